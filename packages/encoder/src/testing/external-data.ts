import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { onnx } from 'onnx-proto';

/**
 * Moves a model's weights into `dataFile` beside it, as exporters of large models do (like onnx's
 * `convert_model_to_external_data`, small tensors such as shapes stay inline).
 */
export function externalizeWeights(model: string, dataFile: string): void {
  const proto = onnx.ModelProto.decode(readFileSync(model));
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const tensor of proto.graph?.initializer ?? []) {
    const bytes = tensor.rawData;
    if (!bytes || bytes.length < 1024) continue;
    tensor.externalData = [
      { key: 'location', value: dataFile },
      { key: 'offset', value: String(offset) },
      { key: 'length', value: String(bytes.length) },
    ];
    tensor.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    tensor.rawData = new Uint8Array(0);
    chunks.push(bytes);
    offset += bytes.length;
  }
  writeFileSync(join(dirname(model), dataFile), Buffer.concat(chunks));
  writeFileSync(model, onnx.ModelProto.encode(proto).finish());
}
