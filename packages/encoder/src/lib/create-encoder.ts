import { createBuiltinHashEncoder } from './builtin/builtin-hash-encoder';
import { BUILTIN_HASH, isBuiltinModel } from './builtin/builtin-names';
import { type LimitedOption, limitProblem, overflowProblem, strideProblem } from './limits';
import { createOnnxEncoder } from './onnx-encoder';
import { EncoderError, type ResolvedEncoderOptions, type TokenEncoder } from './types';

const SIZES: readonly Exclude<LimitedOption, 'window'>[] = ['maxLength', 'batchSize', 'threads'];

/** Every problem of resolved options at once, each naming the option, its value and the fix. */
function optionProblems(options: ResolvedEncoderOptions): string[] {
  const problems = SIZES.flatMap((name) => limitProblem(name, options[name]) ?? []);
  problems.push(
    ...[overflowProblem(options.overflow), strideProblem(options.stride, options.maxLength)].flatMap((p) => p ?? []),
  );
  if (typeof options.normalize !== 'boolean') {
    problems.push(
      `"encoder.normalize" is ${options.normalize}, but it must be true or false. Set it to true for unit-length token vectors, false for the model's own.`,
    );
  }
  return problems;
}

/** Builds the encoder named by `options.model` from resolved options, which it checks but never fills in. */
export async function createEncoder(options: ResolvedEncoderOptions): Promise<TokenEncoder> {
  const problems = optionProblems(options);
  if (problems.length > 0) throw new EncoderError(problems.join('\n'));
  if (options.model === BUILTIN_HASH) return createBuiltinHashEncoder(options);
  if (isBuiltinModel(options.model)) {
    throw new EncoderError(
      `Unknown built-in encoder "${options.model}". Use "${BUILTIN_HASH}" or a path to an .onnx model.`,
    );
  }
  return createOnnxEncoder(options);
}
