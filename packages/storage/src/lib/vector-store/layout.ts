import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { StorageError } from '../types';
import type { StoreNamespaceKey } from './types';

/**
 * Every name the store writes, in one place. Clean-ups delete only names matching these patterns,
 * inside this layout: `<dir>/CACHEDIR.TAG`, `<dir>/v1/usage.json`,
 * `<dir>/v1/<namespace>/namespace.json`, `<dir>/v1/<namespace>/<2 hex>/<30 hex>.xv`.
 */
export const TAG_FILE = 'CACHEDIR.TAG';
export const TAG_SIGNATURE = 'Signature: 8a477f597d28d172789f06886806bc55';
export const TAG_TEXT = [
  TAG_SIGNATURE,
  '# This file is a cache directory tag created by xtr-nx (its vector store).',
  '# For information about cache directory tags see https://bford.info/cachedir/',
  '',
].join('\n');
export const LAYOUT_DIR = 'v1';
export const USAGE_FILE = 'usage.json';
export const NAMESPACE_FILE = 'namespace.json';

export const KEY = /^[0-9a-f]{32}$/;
export const NAMESPACE_DIR = /^[0-9a-f]{32}$/;
export const FAN_DIR = /^[0-9a-f]{2}$/;
export const ENTRY_FILE = /^[0-9a-f]{30}\.xv$/;
const TEMP_FILE = /^(.+)\.tmp-\d+-[0-9a-f]{12}$/;

/** A temp file's name in the folder of `final`: unique across processes and within one. */
export const tempName = (final: string) => `${final}.tmp-${process.pid}-${randomBytes(6).toString('hex')}`;

/** The final name a temp file was going to become, or undefined when `name` is no temp file of ours. */
export const tempTarget = (name: string): string | undefined => TEMP_FILE.exec(name)?.[1];

/** The folder name of a namespace: keyed by everything that must match for vectors to be reused. */
export function namespaceId({ encoder, dtype, dim }: StoreNamespaceKey): string {
  const canonical = JSON.stringify({ store: 'xtr-nx vector store', encoder, dtype, dim });
  return createHash('sha256').update(canonical).digest('hex').slice(0, 32);
}

export function assertKey(key: string): void {
  if (typeof key !== 'string' || !KEY.test(key)) {
    throw new StorageError(
      `Vector store key ${JSON.stringify(key)} is not 32 lowercase hex digits (a 128-bit content hash).`,
    );
  }
}

/** Fanned out by the key's first two digits, so no folder holds more than 1/256 of a namespace. */
export const entryPath = (namespaceDir: string, key: string) =>
  join(namespaceDir, key.slice(0, 2), `${key.slice(2)}.xv`);
