import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { makeWorkspace, manyChunks, runCliMounted } from '../test-utils/fixtures';

describe('xtr build on a file system that refuses the index', () => {
  it('a full disk: names the file, says the disk is full, exit 1, no stack, nothing left behind', async () => {
    const root = await makeWorkspace(manyChunks(400));
    mkdirSync(join(root, 'out'));
    const result = await runCliMounted(
      'mount -t tmpfs -o size=256k tmpfs out',
      'echo "left: [$(ls -A out)]"',
      ['build', '--threads', '1'],
      root,
    );
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^xtr build failed: the disk holding \/.*\/out\/\.index\.xtr-staging-[0-9a-f]+\/tokens\.arrival is full \(ENOSPC\): free space on it, or set output\.dir to a folder on another disk\.$/m,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stdout).toMatch(/^left: \[\]$/m);
  });

  it('a read-only file system: names the folder, exit 1, no stack', async () => {
    const root = await makeWorkspace(manyChunks(5));
    mkdirSync(join(root, 'out'));
    const result = await runCliMounted('mount -t tmpfs -o ro tmpfs out', 'true', ['build', '--threads', '1'], root);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^xtr build failed: \/.*\/out\/\.index\.xtr-lock is on a read-only file system \(EROFS\): set output\.dir to a writable folder\.$/m,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
