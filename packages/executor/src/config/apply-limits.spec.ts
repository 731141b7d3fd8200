import { applyLimits } from './apply-limits';

describe('applyLimits', () => {
  const sizes = { maxLength: 256, stride: 32, batchSize: 8, window: 256, threads: 2 };

  it('passes sizes within the limits and the cores through, without warnings', () => {
    expect(applyLimits(sizes, 2)).toEqual({ sizes, warnings: [] });
  });

  it('lowers threads beyond the cores to the cores, with a warning naming both', () => {
    const { sizes: applied, warnings } = applyLimits({ ...sizes, threads: 64 }, 2);
    expect(applied).toEqual({ ...sizes, threads: 2 });
    expect(warnings).toEqual([
      'warning: "encoder.threads" is 64 but this machine has 2 cores; using 2 ' +
        '(more threads than cores only take turns on them).',
    ]);
  });

  const mustBe = 'but it must be an integer from 1 to';
  it.each([
    [{ maxLength: 1e9 }, `"encoder.maxLength" is 1000000000, ${mustBe} 8192. Set it to 8192 or less`],
    [{ batchSize: 100_000 }, `"encoder.batchSize" is 100000, ${mustBe} 256. Set it to 256 or less`],
    [{ window: 10_000 }, `"encoder.window" is 10000, ${mustBe} 4096. Set it to 4096 or less`],
    [{ threads: 100_000 }, `"encoder.threads" is 100000, ${mustBe} 1024. Set it to 1024 or less`],
    [{ window: 0 }, `"encoder.window" is 0, ${mustBe} 4096. Set it to a whole number from 1 to 4096.`],
    [
      { stride: 129 },
      '"encoder.stride" is 129, but it must be an integer from 0 to 128 (half of "encoder.maxLength" 256: past that, each window re-encodes more tokens than it adds). Set it to 128 or less',
    ],
  ])('refuses %o, naming the option, the value, the limit and the fix', (change, message) => {
    expect(() => applyLimits({ ...sizes, ...change }, 2)).toThrow(message);
  });

  it('refuses a window whose chunks could hold more tokens than one window may, naming the window that fits', () => {
    expect(() => applyLimits({ ...sizes, window: 4096, maxLength: 512 }, 2)).toThrow(
      '"encoder.window" × "encoder.maxLength" is 4096 × 512 = 2097152 tokens, ' +
        'more than the 524288 one window may hold. Set "encoder.window" to 1024 or less, or lower "encoder.maxLength".',
    );
    expect(applyLimits({ ...sizes, window: 1024, maxLength: 512 }, 2).warnings).toEqual([]);
  });

  it('reports every bad size at once, and no product of bad sizes', () => {
    expect(() => applyLimits({ ...sizes, maxLength: 1e9, batchSize: 0 }, 2)).toThrow(
      /^"encoder.maxLength" is 1000000000[^\n]*\n"encoder.batchSize" is 0[^\n]*$/,
    );
  });
});
