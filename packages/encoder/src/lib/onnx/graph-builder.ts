import { onnx } from 'onnx-proto';

/**
 * A small builder over the ONNX protobuf schema for graphs this project generates (the built-in
 * encoder and the test transformers). Opset 13 keeps every op we use in its simplest form.
 */
export const OPSET_VERSION = 13;
const IR_VERSION = 8;

const { DataType } = onnx.TensorProto;
const { AttributeType } = onnx.AttributeProto;

export type ElementType = 'float32' | 'float16' | 'int64';
/** A dimension: a fixed size or a symbolic name such as `batch`. */
export type Dim = number | string;
type AttributeValue = number | readonly number[] | string;

const ELEMENT_TYPES: Record<ElementType, onnx.TensorProto.DataType> = {
  float32: DataType.FLOAT,
  float16: DataType.FLOAT16,
  int64: DataType.INT64,
};
/** `Cast`'s `to` attribute for float32 and float16. */
export const FLOAT_TYPE = DataType.FLOAT;
export const FLOAT16_TYPE = DataType.FLOAT16;

export class GraphBuilder {
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly nodes: onnx.INodeProto[] = [];
  private counter = 0;

  input(name: string, type: ElementType, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  output(name: string, type: ElementType, dims: readonly Dim[]): void {
    this.outputs.push(valueInfo(name, type, dims));
  }

  floats(name: string, dims: readonly number[], values: Float32Array): string {
    this.initializers.push({
      name,
      dims: [...dims],
      dataType: DataType.FLOAT,
      rawData: new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
    });
    return name;
  }

  ints(name: string, dims: readonly number[], values: readonly number[]): string {
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    this.initializers.push({ name, dims: [...dims], dataType: DataType.INT64, rawData: new Uint8Array(data.buffer) });
    return name;
  }

  /**
   * Adds a node and returns its output name (`output` when given, a fresh name otherwise).
   * Integer attributes become INT(S), other numbers FLOAT, strings STRING.
   */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
    output?: string,
  ): string {
    const name = output ?? `${opType.toLowerCase()}_${this.counter++}`;
    this.opWithOutputs(opType, inputs, [name], attributes);
    return name;
  }

  /** Adds a node with several outputs (such as TopK's values and indices), named as given. */
  opWithOutputs(
    opType: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attributes: Record<string, AttributeValue> = {},
  ): void {
    this.nodes.push({
      opType,
      name: `${opType}_${outputs[0]}`,
      input: [...inputs],
      output: [...outputs],
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
  }

  /** Serialises the graph into the bytes of an `.onnx` file. */
  encode(graphName: string): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: IR_VERSION,
      producerName: 'xtr-nx',
      opsetImport: [{ domain: '', version: OPSET_VERSION }],
      graph: {
        name: graphName,
        input: this.inputs,
        output: this.outputs,
        initializer: this.initializers,
        node: this.nodes,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}

function valueInfo(name: string, type: ElementType, dims: readonly Dim[]): onnx.IValueInfoProto {
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

function attribute(name: string, value: AttributeValue): onnx.IAttributeProto {
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    return Number.isInteger(value)
      ? { name, type: AttributeType.INT, i: value }
      : { name, type: AttributeType.FLOAT, f: value };
  }
  return { name, type: AttributeType.INTS, ints: [...value] };
}
