import { createEncoder } from './create-encoder';
import { testEncoderOptions } from '../testing';
import type { ResolvedEncoderOptions } from './types';

describe('createEncoder', () => {
  const refuse = (options: Partial<ResolvedEncoderOptions>, message: RegExp) =>
    expect(createEncoder(testEncoderOptions({ model: 'builtin:hash', ...options }))).rejects.toThrow(message);

  it('refuses sizes beyond their limits, naming the option, the value, the limit and the fix', async () => {
    await refuse(
      { maxLength: 1e9 },
      /^"encoder.maxLength" is 1000000000, .* to 8192\. Set it to 8192 or less \(longer/,
    );
    await refuse(
      { batchSize: 100_000 },
      /^"encoder.batchSize" is 100000, .* to 256\. Set it to 256 or less \(or leave it unset/,
    );
    await refuse(
      { threads: 100_000 },
      /^"encoder.threads" is 100000, .* to 1024\. Set it to 1024 or less \(or leave it unset/,
    );
  });

  it('refuses sizes that are not positive integers', async () => {
    await refuse(
      { maxLength: 0 },
      /^"encoder.maxLength" is 0, .* 1 to 8192\. Set it to a whole number from 1 to 8192\.$/,
    );
    await refuse({ batchSize: 2.5 }, /^"encoder.batchSize" is 2.5/);
    await refuse({ threads: Number.NaN }, /^"encoder.threads" is NaN/);
  });

  it('refuses an overflow mode it does not know and a stride beyond half of maxLength, naming the fix', async () => {
    await refuse(
      { overflow: 'wrap' as never },
      /^"encoder.overflow" is "wrap", but it must be "truncate" or "window"\./,
    );
    await refuse(
      { overflow: 'window', maxLength: 64, stride: 33 },
      /^"encoder.stride" is 33, but it must be an integer from 0 to 32 \(half of "encoder.maxLength" 64: .*Set it to 32 or less/,
    );
    await refuse(
      { overflow: 'window', stride: -1 },
      /^"encoder.stride" is -1, but it must be an integer from 0 to 128 /,
    );
  });

  it('refuses windows that could not advance past the special tokens and the stride', async () => {
    // builtin:hash puts one document marker in each input: 2 − 1 leaves 1 text token, all of it stride.
    await refuse(
      { overflow: 'window', maxLength: 2, stride: 1 },
      /^"encoder.stride" is 1, but windows of "encoder.maxLength" 2 tokens hold 1 text tokens beside the model's 1 special ones.*Set "encoder.stride" below 1 or raise "encoder.maxLength"\.$/,
    );
  });

  it('fills in nothing: options a caller left unresolved are refused, every one named', async () => {
    const unresolved = { model: 'builtin:hash' } as ResolvedEncoderOptions;
    await expect(createEncoder(unresolved)).rejects.toThrow(
      /^"encoder.maxLength" is undefined[^\n]*\n"encoder.batchSize" is undefined[^\n]*\n"encoder.threads" is undefined[^\n]*\n"encoder.overflow" is undefined, but it must be "truncate" or "window"\.[^\n]*\n"encoder.stride" is undefined[^\n]*\n"encoder.normalize" is undefined, but it must be true or false\.[^\n]*$/,
    );
  });

  it('accepts the limits themselves', async () => {
    const encoder = await createEncoder(
      testEncoderOptions({ model: 'builtin:hash', maxLength: 8192, batchSize: 256, threads: 1 }),
    );
    try {
      const { tokens } = await encoder.tokenize(['a b '.repeat(10_000)]);
      expect(tokens[0]).toHaveLength(8192);
    } finally {
      await encoder.close();
    }
  });
});
