import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { verifyIndex } from '@xtr-nx/storage';
import { writeCatalog } from '@xtr-nx/catalog';
import { chunkRow, fileTree, makeWorkspace, manyChunks, runCli, SAMPLE_SOURCES } from '../test-utils/fixtures';

type Setup = (root: string) => string[] | Promise<string[]>;

const cases: [string, Setup, RegExp][] = [
  [
    "xtr build -o mine, where mine/ holds the user's files",
    (root) => {
      mkdirSync(join(root, 'mine/sub'), { recursive: true });
      writeFileSync(join(root, 'mine/thesis.tex'), 'years of work');
      writeFileSync(join(root, 'mine/sub/data.csv'), '1,2,3');
      return ['build', '-o', 'mine'];
    },
    /mine: it holds sub\/, thesis\.tex, which xtr did not write/,
  ],
  [
    "output.dir equal to the catalog's folder",
    async (root) => {
      mkdirSync(join(root, 'data'));
      await writeCatalog(join(root, 'data/catalog.duckdb'), [chunkRow(1n, SAMPLE_SOURCES[0])]);
      writeFileSync(join(root, 'data/readme.md'), 'catalog notes');
      writeFileSync(
        join(root, 'xtr.config.json'),
        JSON.stringify({ catalog: { path: 'data/catalog.duckdb' }, output: { dir: 'data' } }),
      );
      return ['build'];
    },
    /data: it contains the catalog/,
  ],
  ['-o the catalog file itself', () => ['build', '-o', 'catalog.duckdb'], /catalog\.duckdb: that is the catalog/],
  [
    '-o an existing file',
    (root) => {
      writeFileSync(join(root, 'report.txt'), 'quarterly numbers');
      return ['build', '-o', 'report.txt'];
    },
    /report\.txt: it is a file, not an index folder/,
  ],
  [
    '"output": { "dir": "." } in a project\'s xtr.config.json',
    (root) => {
      mkdirSync(join(root, 'apps/victim/src'), { recursive: true });
      writeFileSync(join(root, 'apps/victim/project.json'), '{ "name": "victim" }');
      writeFileSync(join(root, 'apps/victim/src/main.ts'), 'export const x = 1;');
      writeFileSync(
        join(root, 'apps/victim/xtr.config.json'),
        JSON.stringify({ catalog: { path: '../../catalog.duckdb' }, output: { dir: '.' } }),
      );
      return ['build', '--config', 'apps/victim/xtr.config.json'];
    },
    /victim: it contains the config file/,
  ],
  [
    'xtr build -o . at a repository root',
    (root) => {
      mkdirSync(join(root, '.git'));
      writeFileSync(join(root, '.git/HEAD'), 'ref: refs/heads/main\n');
      return ['build', '-o', '.'];
    },
    /: it contains the catalog \(/,
  ],
];

describe('xtr build never replaces what it did not publish', () => {
  it.each(cases)(
    'refuses %s: exit 1, a message without a stack, every file byte-identical',
    async (_, setup, message) => {
      const root = await makeWorkspace(SAMPLE_SOURCES.map((s, i) => chunkRow(BigInt(i + 1), s)));
      const args = await setup(root);
      const before = fileTree(root);
      const result = await runCli([...args, '--threads', '1'], root);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/^xtr build failed: Refusing to publish the index at /);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /);
      expect(fileTree(root)).toEqual(before);
    },
  );
});

describe('xtr build on SIGINT and SIGTERM', () => {
  /** Bytes the running build has staged beside out/index so far. */
  function stagedBytes(out: string): number {
    const staging = readdirSync(out).find((name) => name.startsWith('.index.xtr-staging-'));
    if (!staging) return 0;
    return readdirSync(join(out, staging)).reduce(
      (sum, file) => sum + (statSync(join(out, staging, file), { throwIfNoEntry: false })?.size ?? 0),
      0,
    );
  }

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)(
    '%s removes the staging folder, says so in one line and exits %i; the last index stays',
    async (signal, code) => {
      const root = await makeWorkspace(manyChunks(20));
      expect((await runCli(['build', '--threads', '1'], root)).exitCode).toBe(0);
      const index = join(root, 'out/index');
      const good = await verifyIndex(index);
      await writeCatalog(join(root, 'catalog.duckdb'), manyChunks(4000));

      const build = runCli(['build', '--threads', '1'], root);
      let exited = false;
      void build.then(() => (exited = true));
      while (!exited && stagedBytes(join(root, 'out')) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(exited).toBe(false);
      build.kill(signal);
      const result = await build;

      expect(result.exitCode).toBe(code);
      expect(result.stderr.trim().split('\n')).toEqual([
        `xtr build interrupted by ${signal}: nothing was published and the unfinished index was removed; out/index keeps its previous index, if it had one.`,
      ]);
      expect(readdirSync(join(root, 'out'))).toEqual(['index']);
      expect(await verifyIndex(index)).toMatchObject({ ok: true, docCount: good.docCount });
    },
  );
});
