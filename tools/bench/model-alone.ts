import { availableParallelism } from 'node:os';
import type { ChunkBatch } from '@xtr-nx/catalog';
import { createEncoder, type ResolvedEncoderOptions } from '@xtr-nx/encoder';

export interface ModelAloneRun {
  /** Tokens ÷ `session.run` wall time (input tensors filled included), warm session, nothing else running. */
  readonly tokensPerSecond: number;
  /** CPU the model (with its output head) burns over all windows, every thread of this process. */
  readonly modelCoreSeconds: number;
  /** CPU the tokenizer burns over all windows. */
  readonly tokenizeCoreSeconds: number;
  /**
   * The best efficiency the cores allow: a build can take no less wall time than the CPU both
   * stages need ÷ cores, so its efficiency is at most `session.run` time × cores ÷ that CPU.
   */
  readonly cpuBoundEfficiency: number;
}

const coreSeconds = (since: NodeJS.CpuUsage) => {
  const { user, system } = process.cpuUsage(since);
  return (user + system) / 1e6;
};

/**
 * The model alone on the build's windows and micro-batches, with the build's options and output
 * type, each `session.run` waiting for the one before (`overlap: false`), so nothing else
 * competes for the cores: a candidate for the ceiling a build is divided by. The session first
 * encodes one chunk, untimed: a build pays its first-run allocations once per build, and a
 * ceiling must not include them.
 */
export async function modelAlone(
  encoder: ResolvedEncoderOptions,
  batches: readonly ChunkBatch[],
): Promise<ModelAloneRun> {
  const session = await createEncoder({ ...encoder, overlap: false });
  try {
    const tokenizing = process.cpuUsage();
    const windows = [];
    for (const batch of batches) windows.push(await session.tokenize(batch.contents));
    const tokenizeCoreSeconds = coreSeconds(tokenizing);
    await session.encodeTokenized({ tokens: windows[0].tokens.slice(0, 1) });
    const warmUpMs = session.timings.runMs;
    const encoding = process.cpuUsage();
    let tokens = 0;
    for (const window of windows) tokens += (await session.encodeTokenized(window)).lengths.reduce((a, b) => a + b, 0);
    const modelCoreSeconds = coreSeconds(encoding);
    const runSeconds = (session.timings.runMs - warmUpMs) / 1000;
    return {
      tokensPerSecond: tokens / runSeconds,
      modelCoreSeconds,
      tokenizeCoreSeconds,
      cpuBoundEfficiency: Math.min(1, (runSeconds * availableParallelism()) / (modelCoreSeconds + tokenizeCoreSeconds)),
    };
  } finally {
    await session.close();
  }
}
