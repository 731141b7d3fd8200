import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { onnx } from 'onnx-proto';

/**
 * Above this size an `.onnx` file holds its weights inline (external data exists because
 * protobuf files stop at 2 GiB, and exporters only split big models), so it is not parsed.
 */
const INLINE_WEIGHTS_BYTES = 64 * 2 ** 20;

/** What an `.onnx` file says about itself, read from its protobuf without starting onnxruntime. */
export interface ModelSummary {
  /** The files its initializers keep their data in, absolute and sorted. */
  readonly externalData: readonly string[];
  /**
   * Rows of its absolute position-embedding table (BERT's `embeddings.position_embeddings.weight`):
   * the longest input it takes. `undefined` for models without one (T5/XTR use relative positions).
   */
  readonly positions: number | undefined;
}

/**
 * The summary of `model`, or `undefined` when it is missing, not ONNX, or too large to parse
 * cheaply. Remembered by path, size and mtime: one build asks several times (batch default,
 * fingerprint, position check, Nx-input warning).
 */
export function summarizeModel(model: string): ModelSummary | undefined {
  if (!existsSync(model)) return undefined;
  const { size, mtimeMs } = statSync(model);
  if (size >= INLINE_WEIGHTS_BYTES) return undefined;
  const key = `${model}\0${size}\0${mtimeMs}`;
  if (!summaries.has(key)) summaries.set(key, parse(model));
  return summaries.get(key);
}

const summaries = new Map<string, ModelSummary | undefined>();

/** Position tables as exporters name them: `position_embeddings`, with any prefix or `.weight`. */
const POSITION_TABLE = /position_embeddings(\.weight)?$/;

function parse(model: string): ModelSummary | undefined {
  let graph: onnx.IGraphProto | null | undefined;
  try {
    graph = onnx.ModelProto.decode(readFileSync(model)).graph;
  } catch {
    return undefined;
  }
  const locations = new Set<string>();
  const positionRows: number[] = [];
  for (const tensor of graph?.initializer ?? []) {
    if (tensor.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) {
      const location = tensor.externalData?.find((entry) => entry.key === 'location')?.value;
      if (location) locations.add(resolve(dirname(model), location));
    }
    if (POSITION_TABLE.test(tensor.name ?? '') && tensor.dims?.length === 2) {
      const rows = tensor.dims[0];
      positionRows.push(typeof rows === 'number' ? rows : rows.toNumber());
    }
  }
  return {
    externalData: [...locations].sort(),
    positions: positionRows.length > 0 ? Math.min(...positionRows) : undefined,
  };
}
