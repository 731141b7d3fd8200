import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSize, resolveStoreOptions } from './store-options';

describe('resolveStoreOptions', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'xtr-store-options-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("defaults to node_modules/.cache/xtr-nx/vectors of the Nx workspace, not of a project's package.json", () => {
    mkdirSync(join(root, 'apps/search'), { recursive: true });
    writeFileSync(join(root, 'nx.json'), '{}');
    writeFileSync(join(root, 'apps/search/package.json'), '{}');
    expect(resolveStoreOptions(undefined, join(root, 'apps/search'), {})).toEqual({
      dir: join(root, 'node_modules/.cache/xtr-nx/vectors'),
      maxBytes: 4 * 2 ** 30,
    });
  });

  it('uses the npm package root without nx.json, and the user cache outside any package', () => {
    mkdirSync(join(root, 'pkg/sub'), { recursive: true });
    writeFileSync(join(root, 'pkg/package.json'), '{}');
    expect(resolveStoreOptions({}, join(root, 'pkg/sub'), {})?.dir).toBe(
      join(root, 'pkg/node_modules/.cache/xtr-nx/vectors'),
    );
    // tmpdir has no package.json above it on these machines; XDG_CACHE_HOME decides.
    expect(resolveStoreOptions({}, root, { XDG_CACHE_HOME: '/var/cache/me' })?.dir).toBe(
      '/var/cache/me/xtr-nx/vectors',
    );
  });

  it('takes store.dir relative to the config, lets XTR_STORE_DIR win, and turns off with false', () => {
    expect(resolveStoreOptions({ dir: 'vec', maxSize: '500MB' }, root, {})).toEqual({
      dir: join(root, 'vec'),
      maxBytes: 500e6,
    });
    expect(resolveStoreOptions({ dir: 'vec' }, root, { XTR_STORE_DIR: '/srv/xtr' })?.dir).toBe('/srv/xtr');
    expect(resolveStoreOptions(false, root, { XTR_STORE_DIR: '/srv/xtr' })).toBeUndefined();
  });
});

describe('parseSize', () => {
  it.each([
    ['4GiB', 4 * 2 ** 30],
    ['1.5 KiB', 1536],
    ['500MB', 500e6],
    ['1024B', 1024],
    ['2tb', 2e12],
  ])('%s is %d bytes', (text, bytes) => expect(parseSize(text)).toBe(bytes));

  it('names a size it cannot read and how to write one', () => {
    expect(() => parseSize('4 gigs')).toThrow('"4 gigs" is not a size: write it like 4GiB, 500MB or 1024B.');
  });
});
