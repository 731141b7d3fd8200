import { describeError } from '../file-problems';
import { errorCode } from './fs-errors';

/** What a store operation was doing when it failed, as the build's summary should say it. */
export type StoreAction = 'read' | 'write' | 'touch' | 'repair' | 'maintain';

const CONSEQUENCE: Record<StoreAction, string> = {
  read: 'stored vectors could not be read, so those chunks were encoded again',
  write: 'new vectors were not stored, so later builds encode those chunks again',
  touch: 'reused vectors were not marked as used, so pruning may remove them early',
  repair: 'a damaged entry could not be removed',
  maintain: "the store's size could not be checked or bounded",
};

const CAUSE: Record<string, string> = {
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

function fixFor(code: string | undefined, dir: string): string {
  if (code === 'ENOSPC' || code === 'EDQUOT') return 'Free some space, or lower store.maxSize.';
  if (code && Object.hasOwn(CAUSE, code)) return `Make ${dir} writable, or choose another store.dir.`;
  return 'Check the folder, or choose another store.dir.';
}

/**
 * Store failures as warnings, one per kind (action and error code) rather than one per entry: a
 * read-only store fails every write the same way, and one line says it all.
 */
export class StoreWarnings {
  readonly list: string[] = [];
  private readonly seen = new Set<string>();

  constructor(private readonly dir: string) {}

  /** Writes dropped because the encoder produced vectors faster than the disk took them: memory stays bounded. */
  skipped(backlogMiB: number): void {
    if (this.seen.has('skip')) return;
    this.seen.add('skip');
    this.list.push(
      `Vector store ${this.dir}: the encoder produced vectors faster than the disk stored them, so writes beyond a ` +
        `${backlogMiB} MiB backlog were skipped and later builds encode those chunks again. The build itself is unaffected; ` +
        'a fast encoder (builtin:hash) re-encodes about as fast as it reads, and a faster disk for store.dir keeps more.',
    );
  }

  add(action: StoreAction, error: unknown): void {
    const code = errorCode(error);
    const kind = `${action}:${code ?? describeError(error)}`;
    if (this.seen.has(kind)) return;
    this.seen.add(kind);
    const cause = code && Object.hasOwn(CAUSE, code) ? CAUSE[code] : describeError(error);
    this.list.push(
      `Vector store ${this.dir}: ${cause}: ${CONSEQUENCE[action]}. The build itself is unaffected. ${fixFor(code, this.dir)}`,
    );
  }
}
