import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ExecutorContext, logger } from '@nx/devkit';
import { chunkRow, makeWorkspace, SAMPLE_SOURCES } from '../../test-utils/fixtures';
import buildExecutor from '../build/executor';
import planExecutor from '../plan/executor';
import mergeExecutor from './executor';

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

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const digests = (dir: string) => readdirSync(dir).map((file) => `${file} ${sha(join(dir, file))}`);

/**
 * The targets a 3-shard config infers, run in order through their executors: plan, each shard,
 * merge. Projects `search` (apps/search, which has the config) and `other` (libs/other).
 */
describe('@xtr-nx/executor:plan, :build with a shard, and :merge', () => {
  let root: string;
  let context: ExecutorContext;
  const config = 'apps/search/xtr.config.json';
  beforeAll(async () => {
    root = await makeWorkspace(SAMPLE_SOURCES.map((source, i) => chunkRow(BigInt(i + 1), source)));
    for (const project of ['apps/search', 'libs/other']) {
      mkdirSync(join(root, project), { recursive: true });
      writeFileSync(join(root, project, 'project.json'), '{}');
    }
    writeFileSync(
      join(root, config),
      JSON.stringify({
        catalog: { path: '../../catalog.duckdb' },
        output: { dir: 'dist/xtr' },
        store: false,
        shards: 3,
      }),
    );
    context = {
      root,
      cwd: root,
      isVerbose: false,
      projectName: 'search',
      projectsConfigurations: {
        version: 2,
        projects: { search: { root: 'apps/search' }, other: { root: 'libs/other' } },
      },
    } as unknown as ExecutorContext;
    expect((await captured(() => planExecutor({}, context))).result).toEqual({ success: true });
    for (let shard = 0; shard < 3; shard++)
      expect((await captured(() => buildExecutor({ shard, threads: 1 }, context))).result).toEqual({ success: true });
  });

  it('plans and builds each shard in its folder under <output.dir>-shards', () => {
    expect(readdirSync(join(root, 'apps/search/dist/xtr-shards')).sort()).toEqual([
      'plan',
      'shard-000',
      'shard-001',
      'shard-002',
    ]);
  });

  it('merges the shards into the bytes of an unsharded build', async () => {
    const { result, lines } = await captured(() => mergeExecutor({}, context));
    expect(result).toEqual({ success: true });
    expect(lines.join('\n')).toMatch(/xtr index merged from 3 shards: apps\/search\/dist\/xtr/);
    const whole = 'apps/search/dist/whole';
    await captured(() => buildExecutor({ config, outputDir: whole, threads: 1 }, context));
    expect(digests(join(root, 'apps/search/dist/xtr'))).toEqual(digests(join(root, whole)));
  });

  it('refuses to merge into a folder that holds another project, and touches nothing', async () => {
    const before = readdirSync(root, { recursive: true }).map(String).sort();
    const { result, lines } = await captured(() => mergeExecutor({ outputDir: 'libs' }, context));
    expect(result).toEqual({ success: false });
    expect(lines.join('\n')).toMatch(/it contains the root of project other/);
    expect(readdirSync(root, { recursive: true }).map(String).sort()).toEqual(before);
  });

  it('fails and says so when the config has no shards', async () => {
    const { result, lines } = await captured(() => planExecutor({ config: 'xtr.config.json' }, context));
    expect(result).toEqual({ success: false });
    expect(lines.join('\n')).toMatch(/has no "shards"/);
  });
});
