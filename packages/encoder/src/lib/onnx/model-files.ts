import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { onnx } from 'onnx-proto';

/**
 * Above this size an `.onnx` file holds its weights inline (external data exists because
 * protobuf files stop at 2 GiB, and exporters only split big models), so it is not parsed.
 */
const INLINE_WEIGHTS_BYTES = 64 * 2 ** 20;

/**
 * The files a model is made of: the `.onnx` file, then the external data files its initializers
 * point at (optimum's `model.onnx_data`, torch's `model.onnx.data`, or any name the exporter
 * chose), which onnxruntime loads from beside the model. A file that is not ONNX yields just
 * itself: loading it reports the problem.
 */
export function modelFiles(model: string): readonly string[] {
  if (!existsSync(model)) return [model];
  const { size, mtimeMs } = statSync(model);
  if (size >= INLINE_WEIGHTS_BYTES) return [model];
  // One build asks three times (batch default, fingerprint, Nx-input warning); parse once.
  const key = `${model}\0${size}\0${mtimeMs}`;
  let files = parsed.get(key);
  if (!files) {
    files = [model, ...externalDataFiles(model)];
    parsed.set(key, files);
  }
  return files;
}

const parsed = new Map<string, readonly string[]>();

function externalDataFiles(model: string): string[] {
  let graph: onnx.IGraphProto | null | undefined;
  try {
    graph = onnx.ModelProto.decode(readFileSync(model)).graph;
  } catch {
    return [];
  }
  const locations = new Set<string>();
  for (const tensor of graph?.initializer ?? []) {
    if (tensor.dataLocation !== onnx.TensorProto.DataLocation.EXTERNAL) continue;
    const location = tensor.externalData?.find((entry) => entry.key === 'location')?.value;
    if (location) locations.add(resolve(dirname(model), location));
  }
  return [...locations].sort();
}

/** Bytes of a model with its external data: what decides how it is best batched. */
export function modelBytes(model: string): number {
  return modelFiles(model)
    .filter((file) => existsSync(file))
    .reduce((sum, file) => sum + statSync(file).size, 0);
}
