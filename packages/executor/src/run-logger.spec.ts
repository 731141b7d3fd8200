import { mkdirSync, mkdtempSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './config/xtr-config';
import { describeFailure, reportFailure } from './run-logger';

/** An error shaped like the ones Node's fs functions throw. */
function errno(code: string, syscall: string, path?: string, dest?: string): NodeJS.ErrnoException {
  const message = `${code}: fabricated, ${syscall} '${path}'`;
  return Object.assign(new Error(message), { code, errno: -1, syscall, path, dest });
}

const STACK_FRAME = /\n\s+at /;
const FULL_FIX = 'free space on it, or set output.dir to a folder on another disk.';
const ACCESS_FIX = 'give this user access to it, or set output.dir to a folder it can write.';

describe('describeFailure', () => {
  it.each([
    [
      'ENOSPC',
      errno('ENOSPC', 'open', '/ci/out/t.f16'),
      `the disk holding /ci/out/t.f16 is full (ENOSPC): ${FULL_FIX}`,
    ],
    [
      'ENOSPC without a path',
      errno('ENOSPC', 'write'),
      `the disk holding the file being written is full (ENOSPC): ${FULL_FIX}`,
    ],
    [
      'EROFS',
      errno('EROFS', 'open', '/ro/.lock'),
      '/ro/.lock is on a read-only file system (EROFS): set output.dir to a writable folder.',
    ],
    ['EACCES', errno('EACCES', 'mkdir', '/srv/out'), `permission denied for /srv/out (EACCES): ${ACCESS_FIX}`],
    ['EPERM', errno('EPERM', 'unlink', '/srv/out/x'), `permission denied for /srv/out/x (EPERM): ${ACCESS_FIX}`],
    [
      'EEXIST on rename',
      errno('EEXIST', 'rename', '/w/.staging', '/w/index'),
      '/w/index already exists (EEXIST): move it away, or set output.dir to another folder.',
    ],
    [
      'ENOTEMPTY on rename',
      errno('ENOTEMPTY', 'rename', '/w/.staging', '/w/index'),
      '/w/index is a folder that is not empty (ENOTEMPTY): move it away, or set output.dir to another folder.',
    ],
    [
      'EBUSY',
      errno('EBUSY', 'rmdir', '/mnt/out'),
      '/mnt/out is busy (EBUSY): it is a mount point or open in another program; ' +
        'unmount or close it, or set output.dir to another folder.',
    ],
    [
      'EMFILE',
      errno('EMFILE', 'open', '/w/a.f16'),
      'too many files are open to open /w/a.f16 (EMFILE): raise the limit (ulimit -n) or close other programs.',
    ],
    [
      'EXDEV',
      errno('EXDEV', 'rename', '/tmp/x', '/w/index'),
      '/tmp/x cannot be moved to /w/index on another file system (EXDEV): ' +
        'keep output.dir on a single file system (not across a mount point).',
    ],
  ])('%s: one sentence naming the path and the fix, without a stack', (_, error, sentence) => {
    expect(describeFailure('build', error, false)).toBe(`xtr build failed: ${sentence}`);
  });

  describe('errors from real file-system calls', () => {
    const dir = mkdtempSync(join(tmpdir(), 'xtr-run-logger-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const thrown = (act: () => unknown) => {
      try {
        act();
      } catch (error) {
        return error;
      }
      throw new Error('expected a failure');
    };
    const inside = (...names: string[]) => join(dir, ...names);

    it.each([
      ['writing a folder', () => writeFileSync(dir, ''), / is a folder where a file was expected \(EISDIR\)/],
      ['reading a folder', () => readFileSync(dir), /^the file being read is a folder where a file was expected/],
      ['reading a missing file', () => readFileSync(inside('nope')), /nope does not exist \(ENOENT\): check the path/],
      ['creating a folder that exists', () => mkdirSync(dir), /xtr-run-logger-\w+ already exists \(EEXIST\)/],
      [
        'going through a file',
        () => {
          writeFileSync(inside('file'), '');
          return readFileSync(inside('file', 'x'));
        },
        /^part of .*file\/x is a file where a folder was expected \(ENOTDIR\)/,
      ],
      [
        'removing a folder that is not empty',
        () => {
          mkdirSync(inside('full'));
          writeFileSync(inside('full', 'x'), '');
          return rmdirSync(inside('full'));
        },
        /full is a folder that is not empty \(ENOTEMPTY\)/,
      ],
    ])('%s', (_, act, sentence) => {
      const text = describeFailure('build', thrown(act), false);
      expect(text.replace(/^xtr build failed: /, '')).toMatch(sentence);
      expect(text).not.toMatch(STACK_FRAME);
    });
  });

  it('prints xtr’s own errors as they are', () => {
    expect(describeFailure('build', new ConfigError('Config file x is invalid.'), false)).toBe(
      'xtr build failed: Config file x is invalid.',
    );
  });

  it('prints an unexpected error with its name and how to get its stack, but not the stack', () => {
    const text = describeFailure('verify', new TypeError("Cannot read properties of undefined (reading 'dim')"), false);
    expect(text).toBe(
      "xtr verify failed: TypeError: Cannot read properties of undefined (reading 'dim')\n" +
        'This is unexpected: run with --verbose for the stack trace, and report it.',
    );
    expect(describeFailure('build', 'a thrown string', false)).toMatch(/^xtr build failed: Error: a thrown string\n/);
  });

  it('adds the stack to every kind of failure when verbose', () => {
    for (const error of [errno('ENOSPC', 'write', '/x'), new ConfigError('bad'), new RangeError('bug')]) {
      expect(describeFailure('build', error, true)).toMatch(STACK_FRAME);
    }
  });
});

describe('reportFailure', () => {
  it('writes one error through the logger, verbose as the logger says', () => {
    const lines: string[] = [];
    const error = (line: string) => lines.push(line);
    const logger = (isVerbose: boolean) => ({ info: () => undefined, error, isVerbose });
    reportFailure('build', new RangeError('bug'), logger(false));
    reportFailure('build', new RangeError('bug'), logger(true));
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toMatch(STACK_FRAME);
    expect(lines[1]).toMatch(STACK_FRAME);
  });
});
