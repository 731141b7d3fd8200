import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExecutorContext, logger } from '@nx/devkit';
import { chunkRow, makeWorkspace, SAMPLE_SOURCES } from '../../test-utils/fixtures';
import buildExecutor from '../build/executor';
import verifyExecutor from './executor';

/** Runs `run` with Nx's logger captured: what it logged, line by line. */
async function captured<T>(run: () => Promise<T>): Promise<{ result: T; lines: string[] }> {
  const lines: string[] = [];
  const spies = [jest.spyOn(logger, 'info'), jest.spyOn(logger, 'error')].map((spy) =>
    spy.mockImplementation((line: string) => void lines.push(line)),
  );
  try {
    return { result: await run(), lines };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
  }
}

describe('@xtr-nx/executor:verify', () => {
  let context: ExecutorContext;
  let root: string;
  beforeAll(async () => {
    root = await makeWorkspace(SAMPLE_SOURCES.slice(0, 3).map((s, i) => chunkRow(BigInt(i + 1), s)));
    context = {
      root,
      cwd: root,
      isVerbose: false,
      projectName: 'kb',
      projectsConfigurations: { version: 2, projects: { kb: { root: '.' } } },
    } as unknown as ExecutorContext;
    expect((await captured(() => buildExecutor({ threads: 1 }, context))).result).toEqual({ success: true });
  });

  it("checks the project's index against its catalog", async () => {
    const { result, lines } = await captured(() => verifyExecutor({}, context));
    expect(result).toEqual({ success: true });
    expect(lines.join('\n')).toMatch(/xtr verify: out\/index OK \(3 chunks, .*matches catalog catalog\.duckdb/);
  });

  it('fails and names the problem when the config the option names is missing', async () => {
    const { result, lines } = await captured(() => verifyExecutor({ config: 'missing/xtr.config.json' }, context));
    expect(result).toEqual({ success: false });
    expect(lines.join('\n')).toMatch(/xtr verify failed: .*missing\/xtr\.config\.json/);
  });

  it('fails when the token matrix no longer matches the index', async () => {
    appendFileSync(join(root, 'out/index/tokens.f16'), Buffer.alloc(2));
    const { result, lines } = await captured(() => verifyExecutor({}, context));
    expect(result).toEqual({ success: false });
    expect(lines.join('\n')).toMatch(/xtr verify: out\/index has \d+ problem/);
  });
});
