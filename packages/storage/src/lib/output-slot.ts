import { rmdirSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { assertReplaceable, type ProtectedPath, resolveOutputDir } from './output-guard';
import { type LockWait, lockOutput, type OutputLock } from './output-lock';
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
    /** The outermost parent folder the claim created, removed again if nothing is published. */
    private readonly createdParent: string | undefined,
  ) {}

  /** Waits while another build holds the folder (`wait` tells when it starts waiting). */
  static async claim(outDir: string, protect: readonly ProtectedPath[] = [], wait: LockWait = {}): Promise<OutputSlot> {
    const target = resolveOutputDir(outDir);
    assertReplaceable(target, protect);
    const createdParent = await mkdir(dirname(target), { recursive: true });
    let lock: OutputLock | undefined;
    try {
      lock = await lockOutput(target, wait);
      recoverOutputSync(target);
      // Recovery may have put a previous index back, and the wait may have been long: check again.
      assertReplaceable(target, protect);
      const staging = stagingPath(target);
      await mkdir(staging);
      return new OutputSlot(target, staging, lock, protect, createdParent);
    } catch (error) {
      await lock?.release();
      removeCreatedParents(target, createdParent);
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
    if (!this.published) removeCreatedParents(this.outDir, this.createdParent);
  }

  /** What a signal handler does before the process exits: no waiting. */
  abandonSync(): void {
    if (this.released) return;
    this.released = true;
    if (!this.published) removeOwnedDir(this.staging);
    this.lock.releaseSync();
    if (!this.published) removeCreatedParents(this.outDir, this.createdParent);
  }
}

/** Removes the parent folders a claim created for `outDir`, innermost first, while they are empty. */
function removeCreatedParents(outDir: string, createdParent: string | undefined): void {
  if (!createdParent) return;
  for (let dir = dirname(outDir); dir.startsWith(createdParent); dir = dirname(dir)) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}
