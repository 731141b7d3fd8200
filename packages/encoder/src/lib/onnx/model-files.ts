import { existsSync, statSync } from 'node:fs';
import { summarizeModel } from './model-summary';

/**
 * The files a model is made of: the `.onnx` file, then the external data files its initializers
 * point at (optimum's `model.onnx_data`, torch's `model.onnx.data`, or any name the exporter
 * chose), which onnxruntime loads from beside the model. A file that is not ONNX yields just
 * itself: loading it reports the problem.
 */
export function modelFiles(model: string): readonly string[] {
  return [model, ...(summarizeModel(model)?.externalData ?? [])];
}

/** Bytes of a model with its external data: what decides how it is best batched. */
export function modelBytes(model: string): number {
  return modelFiles(model)
    .filter((file) => existsSync(file))
    .reduce((sum, file) => sum + statSync(file).size, 0);
}
