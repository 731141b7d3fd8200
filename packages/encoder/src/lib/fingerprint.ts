import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { env } from 'onnxruntime-node';
import type { ResolvedEncoderOptions } from './types';

/**
 * Bumped whenever this package's own steps (tokenizer handling, pooling, projection,
 * normalisation, the float16 cast) change vectors: reused vectors must come from the same code.
 */
const ENCODING_VERSION = 1;

/** SHA-256 of a file's bytes, streamed (models can be hundreds of MiB). */
export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** One digest over named parts, order-independent of how the caller built the object. */
function combineFingerprint(parts: Record<string, unknown>): string {
  const canonical = JSON.stringify(parts, Object.keys(parts).sort());
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The fingerprint of an encoder: what determines its vectors — model bytes and options from the
 * caller, plus this package's encoding version and the onnxruntime release (kernels may change
 * results between releases). Indexes and reused vectors are keyed by it.
 */
export function encoderFingerprint(parts: Record<string, unknown>): string {
  return combineFingerprint({
    ...parts,
    encoding: ENCODING_VERSION,
    onnxruntime: env.versions.node ?? env.versions.common,
  });
}

/**
 * The fingerprint parts of how long texts are read. Truncation adds none, so a truncating
 * encoder's fingerprint depends on nothing it ignores (`stride` never changes it) and matches
 * indexes and stores that predate the option; windows add the mode and the stride, which change
 * the vectors of long texts.
 */
export function overflowParts({ overflow, stride }: Pick<ResolvedEncoderOptions, 'overflow' | 'stride'>) {
  return overflow === 'window' ? { overflow, stride } : {};
}
