import { noReuse } from './reuse/reuse-counts';
import { type BuildSummary, formatSummary } from './build-summary';

const stages = { setupMs: 0, reuseSetupMs: 0, readMs: 0, tokenizeMs: 0, runMs: 0, postMs: 0, convertMs: 0, writeMs: 0 };

function summary(long: BuildSummary['long'], encoded = 665): BuildSummary {
  return {
    chunks: 665,
    nullIdsSkipped: 0,
    tokens: 23_716,
    dim: 128,
    dtype: 'float16',
    model: 'builtin:hash',
    outputDir: 'dist/xtr/repo',
    files: ['tokens.f16'],
    bytes: 0,
    elapsedMs: 1000,
    stages,
    reuse: { ...noReuse(), encoded },
    long,
    encodingSavedMs: undefined,
    store: undefined,
  };
}

const longLine = (text: string) => text.split('\n').find((line) => line.startsWith('  long '));

describe('the summary of long chunks', () => {
  it('truncate: how many chunks lost how many tokens, and the option that keeps them', () => {
    const text = formatSummary(
      summary({ overflow: 'truncate', maxLength: 256, texts: 412, cutTokens: 51_230, extraWindows: 0 }),
      String,
    );
    expect(longLine(text)).toBe(
      '  long     412 chunks over maxLength 256: 51,230 tokens cut (set encoder.overflow "window" to index them)',
    );
  });

  it('window: how many chunks were read in how many extra windows, among the chunks encoded', () => {
    const text = formatSummary(
      summary({ overflow: 'window', maxLength: 256, texts: 412, cutTokens: 0, extraWindows: 1_020 }, 500),
      String,
    );
    expect(longLine(text)).toBe(
      '  long     412 chunks over maxLength 256 (of the 500 encoded), read in 1,020 extra windows',
    );
  });

  it('says nothing when no chunk was longer than maxLength', () => {
    const text = formatSummary(
      summary({ overflow: 'truncate', maxLength: 256, texts: 0, cutTokens: 0, extraWindows: 0 }),
      String,
    );
    expect(longLine(text)).toBeUndefined();
  });
});
