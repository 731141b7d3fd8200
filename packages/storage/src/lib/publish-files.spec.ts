import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishFiles } from './publish-files';

const plan = (shards: number) => `{"formatVersion":1,"tool":{"name":"xtr","version":"test"},"shards":${shards}}\n`;

describe('publishFiles', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'xtr-publish-files-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('publishes a plan folder and replaces the one it published before, leaving no staging behind', async () => {
    const dir = join(root, 'shards/plan');
    await publishFiles(
      dir,
      new Map([
        ['xtr.plan.json', [plan(3)]],
        ['xtr.shard-000.json', ['{"a":', '1}\n']],
      ]),
    );
    await publishFiles(dir, new Map([['xtr.plan.json', [plan(2)]]]));
    expect(readdirSync(dir)).toEqual(['xtr.plan.json']);
    expect(readFileSync(join(dir, 'xtr.plan.json'), 'utf8')).toBe(plan(2));
    expect(readdirSync(join(root, 'shards'))).toEqual(['plan']);
  });

  it('refuses a folder holding a file xtr did not write, and leaves it as it was', async () => {
    const dir = join(root, 'plan');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await expect(publishFiles(dir, new Map([['xtr.plan.json', [plan(2)]]]))).rejects.toThrow(
      /holds notes\.txt, which xtr did not write/,
    );
    expect(readdirSync(dir)).toEqual(['notes.txt']);
    expect(readdirSync(root)).toEqual(['plan']);
  });

  it('writes only names xtr owns', async () => {
    await expect(publishFiles(join(root, 'plan'), new Map([['notes.txt', ['x']]]))).rejects.toThrow(
      'publishFiles: notes.txt are not names xtr writes.',
    );
  });
});
