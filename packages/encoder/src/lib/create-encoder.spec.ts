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

  it('fills in nothing: options a caller left unresolved are refused, every one named', async () => {
    const unresolved = { model: 'builtin:hash' } as ResolvedEncoderOptions;
    await expect(createEncoder(unresolved)).rejects.toThrow(
      /^"encoder.maxLength" is undefined[^\n]*\n"encoder.batchSize" is undefined[^\n]*\n"encoder.threads" is undefined[^\n]*\n"encoder.normalize" is undefined, but it must be true or false\.[^\n]*$/,
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
