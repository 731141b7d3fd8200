import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NAMESPACE_FILE } from './layout';
import type { ScannedNamespace } from './scan';
import type { NamespaceStats } from './types';

/** Enough of an encoder fingerprint to tell namespaces apart in a listing. */
const ENCODER_PREFIX = 12;

/** What `namespace.json` says, or nothing when it is missing or unreadable: the entries still count. */
async function describeNamespace(dir: string): Promise<Pick<NamespaceStats, 'encoderPrefix' | 'dtype' | 'dim'>> {
  try {
    const { encoder, dtype, dim } = JSON.parse(await readFile(join(dir, NAMESPACE_FILE), 'utf8'));
    return {
      encoderPrefix: typeof encoder === 'string' ? encoder.slice(0, ENCODER_PREFIX) : undefined,
      dtype: dtype === 'float16' || dtype === 'float32' ? dtype : undefined,
      dim: Number.isInteger(dim) ? dim : undefined,
    };
  } catch {
    return {};
  }
}

export async function namespaceStats(ns: ScannedNamespace): Promise<NamespaceStats> {
  let bytes = 0;
  let newest = -Infinity;
  let oldest = Infinity;
  for (const entry of ns.entries) {
    bytes += entry.bytes;
    newest = Math.max(newest, entry.mtimeMs);
    oldest = Math.min(oldest, entry.mtimeMs);
  }
  const used = ns.entries.length > 0;
  return {
    id: ns.id,
    ...(await describeNamespace(ns.dir)),
    entries: ns.entries.length,
    bytes,
    newestUse: used ? new Date(newest) : undefined,
    oldestUse: used ? new Date(oldest) : undefined,
  };
}
