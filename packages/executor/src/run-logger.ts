/** Where messages go: Nx's logger in executors, the console in the CLI. */
export interface RunLogger {
  info(message: string): void;
  error(message: string): void;
  readonly isVerbose?: boolean;
}

/** Errors whose message already names the problem and the fix. */
const USER_ERRORS = new Set([
  'BuildError',
  'CatalogError',
  'ConfigError',
  'EncoderError',
  'SearchError',
  'StorageError',
  'TextEncodingError',
]);

interface FileSystemProblem {
  /** What happened to `where`: a path, or what the file was used for when Node names none. */
  readonly fact: (where: string, dest: string | undefined) => string;
  readonly fix: string;
}

const PERMISSION: FileSystemProblem = {
  fact: (where) => `permission denied for ${where}`,
  fix: 'give this user access to it, or set output.dir to a folder it can write',
};
const TOO_MANY_FILES: FileSystemProblem = {
  fact: (where) => `too many files are open to open ${where}`,
  fix: 'raise the limit (ulimit -n) or close other programs',
};
const TAKEN: FileSystemProblem = {
  // A rename or copy names the source as `path` and the target, the one in the way, as `dest`.
  fact: (where, dest) => `${dest ?? where} already exists`,
  fix: 'move it away, or set output.dir to another folder',
};

/**
 * File-system failures a user can cause and fix, by Node's error code: reported as one sentence
 * naming the path and the fix, without a stack trace.
 */
const FILE_SYSTEM_PROBLEMS: Record<string, FileSystemProblem> = {
  ENOSPC: {
    fact: (where) => `the disk holding ${where} is full`,
    fix: 'free space on it, or set output.dir to a folder on another disk',
  },
  EDQUOT: {
    fact: (where) => `the disk quota for ${where} is used up`,
    fix: 'free space, or set output.dir to a folder on another disk',
  },
  EFBIG: {
    fact: (where) => `${where} outgrew the largest file its file system allows`,
    fix: 'set output.dir to another file system',
  },
  EROFS: { fact: (where) => `${where} is on a read-only file system`, fix: 'set output.dir to a writable folder' },
  EACCES: PERMISSION,
  EPERM: PERMISSION,
  ENOENT: {
    fact: (where) => `${where} does not exist`,
    fix: 'check the path, and that nothing else removes it during the run',
  },
  EEXIST: TAKEN,
  ENOTEMPTY: {
    fact: (where, dest) => `${dest ?? where} is a folder that is not empty`,
    fix: 'move it away, or set output.dir to another folder',
  },
  EISDIR: {
    fact: (where) => `${where} is a folder where a file was expected`,
    fix: 'move the folder away or fix the path',
  },
  ENOTDIR: {
    fact: (where) => `part of ${where} is a file where a folder was expected`,
    fix: 'move that file away or fix the path',
  },
  EBUSY: {
    fact: (where) => `${where} is busy`,
    fix: 'it is a mount point or open in another program; unmount or close it, or set output.dir to another folder',
  },
  EMFILE: TOO_MANY_FILES,
  ENFILE: TOO_MANY_FILES,
  EXDEV: {
    fact: (where, dest) => `${where} cannot be moved to ${dest ?? 'its destination'} on another file system`,
    fix: 'keep output.dir on a single file system (not across a mount point)',
  },
  ENAMETOOLONG: {
    fact: (where) => `the path ${where} is too long for its file system`,
    fix: 'use a shorter output.dir',
  },
  ELOOP: { fact: (where) => `${where} leads through a loop of symbolic links`, fix: 'fix the links' },
  EIO: { fact: (where) => `the disk failed reading or writing ${where}`, fix: 'check the disk, then run again' },
};

/** What to call the file when Node names none (calls on an open file descriptor). */
const UNNAMED: Record<string, string> = {
  read: 'the file being read',
  write: 'the file being written',
  fsync: 'the file being saved',
};

/** One sentence for a file-system error users can cause, or `undefined` for anything else. */
function fileSystemSentence(error: NodeJS.ErrnoException & { dest?: string }): string | undefined {
  const { code } = error;
  if (typeof code !== 'string' || !Object.hasOwn(FILE_SYSTEM_PROBLEMS, code)) return undefined;
  const problem = FILE_SYSTEM_PROBLEMS[code];
  const where = error.path ?? UNNAMED[error.syscall ?? ''] ?? 'a file';
  return `${problem.fact(where, error.dest)} (${code}): ${problem.fix}.`;
}

/**
 * The failure as users should read it: the message alone when it names the problem and the fix
 * (xtr's own errors, file-system errors), otherwise the error's name and message (a bug) and how
 * to get its stack. Verbose runs get the stack every time.
 */
export function describeFailure(command: string, error: unknown, verbose: boolean): string {
  // Not `instanceof Error`: errors from another realm (a VM context, a worker) are errors too.
  const isError = typeof error === 'object' && error !== null && 'message' in error;
  const err = isError ? (error as Error) : new Error(String(error));
  const explained = USER_ERRORS.has(err.name) ? err.message : fileSystemSentence(err);
  const headline = `xtr ${command} failed: ${explained ?? `${err.name}: ${err.message}`}`;
  if (verbose) return `${headline}\n${err.stack ?? '(no stack trace)'}`;
  if (explained) return headline;
  return `${headline}\nThis is unexpected: run with --verbose for the stack trace, and report it.`;
}

export function reportFailure(command: string, error: unknown, logger: RunLogger): void {
  logger.error(describeFailure(command, error, logger.isVerbose ?? false));
}
