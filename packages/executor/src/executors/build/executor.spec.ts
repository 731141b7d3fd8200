import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecutorContext } from '@nx/devkit';
import { chunkRow, makeWorkspace, SAMPLE_SOURCES } from '../../test-utils/fixtures';
import buildExecutor from './executor';

/** A workspace with projects `victim` (apps/victim, which has the config) and `other` (libs/other). */
async function workspace(output: string): Promise<{ root: string; context: ExecutorContext }> {
  const root = await makeWorkspace(SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(i + 1), s)));
  for (const project of ['apps/victim', 'libs/other']) {
    mkdirSync(join(root, project, 'src'), { recursive: true });
    writeFileSync(join(root, project, 'project.json'), '{}');
    writeFileSync(join(root, project, 'src/index.ts'), 'export {};');
  }
  writeFileSync(
    join(root, 'apps/victim/xtr.config.json'),
    JSON.stringify({ catalog: { path: '../../catalog.duckdb' }, output: { dir: output } }),
  );
  const context = {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'victim',
    projectsConfigurations: {
      version: 2,
      projects: { victim: { root: 'apps/victim' }, other: { root: 'libs/other' } },
    },
  } as unknown as ExecutorContext;
  return { root, context };
}

describe('@xtr-nx/executor:build', () => {
  const quietly = <T>(run: () => Promise<T>) => {
    const spies = [jest.spyOn(console, 'info'), jest.spyOn(console, 'error'), jest.spyOn(console, 'log')].map((spy) =>
      spy.mockImplementation(() => undefined),
    );
    return run().finally(() => spies.forEach((spy) => spy.mockRestore()));
  };

  it.each([
    ['"." (the project itself)', '.', /the config file/],
    ['a folder holding another project', '../../libs', /it contains the root of project other/],
  ])('fails and touches nothing when output.dir is %s', async (_, output, message) => {
    const { root, context } = await workspace(output);
    const before = readdirSync(root, { recursive: true }).map(String).sort();
    const errors: string[] = [];
    const spy = jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    const result = await buildExecutor({ threads: 1 }, context).finally(() => spy.mockRestore());
    expect(result).toEqual({ success: false });
    expect(errors.join('\n')).toMatch(message);
    expect(readdirSync(root, { recursive: true }).map(String).sort()).toEqual(before);
    expect(readFileSync(join(root, 'libs/other/src/index.ts'), 'utf8')).toBe('export {};');
  });

  it("builds the project's index into its output folder", async () => {
    const { root, context } = await workspace('dist/xtr');
    expect(await quietly(() => buildExecutor({ threads: 1 }, context))).toEqual({ success: true });
    expect(readdirSync(join(root, 'apps/victim/dist/xtr')).sort()).toEqual([
      'index.meta.json',
      'tokens.f16',
      'xtr.manifest.json',
    ]);
  });
});
