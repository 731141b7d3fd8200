import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assertReplaceable, type ProtectedPath, resolveOutputDir } from './output-guard';
import { lockOutput, type OutputLock } from './output-lock';
import { removeOwnedDir } from './owned-dir';
import { publishStagingDir, recoverOutputSync, stagingPath } from './publish';
import { StorageError } from './types';

/**
 * A build's claim on an output folder, taken before any work starts: the folder is checked to be
 * replaceable, locked against other builds, repaired if a build died there, and given a staging
 * folder. Released (staging removed, lock freed) whether or not the build publishes.
 */
export class OutputSlot {
  private published = false;
  private released = false;

  private constructor(
    /** The folder published into: symlinks followed. */
    readonly outDir: string,
    readonly staging: string,
    private readonly lock: OutputLock,
    private readonly protect: readonly ProtectedPath[],
  ) {}

  static async claim(outDir: string, protect: readonly ProtectedPath[] = []): Promise<OutputSlot> {
    const target = resolveOutputDir(outDir);
    assertReplaceable(target, protect);
    await mkdir(dirname(target), { recursive: true });
    const lock = await lockOutput(target);
    try {
      recoverOutputSync(target);
      // Recovery may have put a previous index back: it is checked like any other.
      assertReplaceable(target, protect);
      const staging = stagingPath(target);
      await mkdir(staging);
      return new OutputSlot(target, staging, lock, protect);
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** Replaces the output folder with the staging folder. */
  async publish(): Promise<void> {
    const lost = this.lock.compromised();
    if (lost) {
      throw new StorageError(
        `Lost the lock on ${this.outDir} (${lost.message}): the process stalled and another build took the folder over, so this build publishes nothing. Run it again.`,
      );
    }
    // Hours may have passed since the claim: someone may have put files into the folder meanwhile.
    assertReplaceable(this.outDir, this.protect);
    await publishStagingDir(this.staging, this.outDir);
    this.published = true;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (!this.published) removeOwnedDir(this.staging);
    await this.lock.release();
  }

  /** What a signal handler does before the process exits: no waiting. */
  abandonSync(): void {
    if (this.released) return;
    this.released = true;
    if (!this.published) removeOwnedDir(this.staging);
    this.lock.releaseSync();
  }
}
