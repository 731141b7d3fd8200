import { onnx } from 'onnx-proto';

/**
 * Small helpers over the ONNX protobuf schema for graphs this project generates (the built-in
 * encoder and the test transformers). Opset 13 keeps every op we use in its simplest form.
 */
export const OPSET_VERSION = 13;
const IR_VERSION = 8;

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

export type ElementType = 'float32' | 'int64';
/** A dimension: a fixed size or a symbolic name such as `batch`. */
export type Dim = number | string;

const ELEMENT_TYPES: Record<ElementType, onnx.TensorProto.DataType> = {
  float32: DataType.FLOAT,
  int64: DataType.INT64,
};

export function valueInfo(name: string, type: ElementType, dims: readonly Dim[]): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType: ELEMENT_TYPES[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

export function floatTensor(name: string, dims: readonly number[], values: Float32Array): onnx.ITensorProto {
  return {
    name,
    dims: [...dims],
    dataType: DataType.FLOAT,
    rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  };
}

export function int64Tensor(name: string, dims: readonly number[], values: readonly number[]): onnx.ITensorProto {
  const data = BigInt64Array.from(values, (v) => BigInt(v));
  return {
    name,
    dims: [...dims],
    dataType: DataType.INT64,
    rawData: new Uint8Array(data.buffer),
  };
}

type AttributeValue = number | readonly number[] | string;

/** One graph node; integer attributes are INT(S), non-integers FLOAT, strings STRING. */
export function node(
  opType: string,
  inputs: readonly string[],
  outputs: readonly string[],
  attributes: Record<string, AttributeValue> = {},
): onnx.INodeProto {
  return {
    opType,
    name: `${opType}_${outputs[0]}`,
    input: [...inputs],
    output: [...outputs],
    attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
  };
}

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  if (typeof value === 'string') {
    return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  }
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, type: AttributeType.INT, i: value }
      : { name, type: AttributeType.FLOAT, f: value };
  }
  return { name, type: AttributeType.INTS, ints: [...value] };
}

export interface GraphSpec {
  readonly name: string;
  readonly inputs: onnx.IValueInfoProto[];
  readonly outputs: onnx.IValueInfoProto[];
  readonly initializers: onnx.ITensorProto[];
  readonly nodes: onnx.INodeProto[];
}

/** Serialises a graph into the bytes of an `.onnx` file. */
export function encodeModel(spec: GraphSpec): Uint8Array {
  const model = onnx.ModelProto.create({
    irVersion: IR_VERSION,
    producerName: 'xtr-nx',
    opsetImport: [{ domain: '', version: OPSET_VERSION }],
    graph: {
      name: spec.name,
      input: spec.inputs,
      output: spec.outputs,
      initializer: spec.initializers,
      node: spec.nodes,
    },
  });
  return onnx.ModelProto.encode(model).finish();
}
