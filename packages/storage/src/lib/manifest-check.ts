import { cut, Examples, isCount, isObject, isPositiveInteger, kindOf, shown } from './describe-value';
import { describeError } from './file-problems';
import type { CheckedMeta } from './meta-check';
import { CONTENT_HASH_DIGITS } from './content-hash';
import { type Dtype, FORMAT_VERSION, MANIFEST_FILE, META_FILE, TOKENS_FILE } from './types';

/** The manifest fields verify relies on, each present only when valid (else a problem says why). */
export interface CheckedManifest {
  dim?: number;
  dtype?: Dtype;
  docCount?: number;
  totalTokens?: number;
  tokensFile?: string;
  tokensSha256?: string;
  contentHashes?: readonly string[];
  /** Whether rows were L2-normalised; manifests from before the field was recorded were. */
  normalized: boolean;
}

type Test = (value: unknown) => boolean;

const isString = (v: unknown): v is string => typeof v === 'string';
const isDtype: Test = (v) => v === 'float16' || v === 'float32';
const SHA256 = /^[0-9a-f]{64}$/;
const CONTENT_HASH = new RegExp(`^[0-9a-f]{${CONTENT_HASH_DIGITS}}$`);
const HASHES = `${CONTENT_HASH_DIGITS}-hex-digit strings`;

/**
 * Every field with its type: `required` ones verify needs; the others only describe the build,
 * and older manifests may lack them, but when present they must have the right type.
 */
const FIELDS: readonly { path: string; test: Test; expected: string; required?: true }[] = [
  {
    path: 'formatVersion',
    test: (v) => v === FORMAT_VERSION,
    expected: `${FORMAT_VERSION} (the only format this tool reads; rebuild an index from an older xtr)`,
    required: true,
  },
  { path: 'dim', test: isPositiveInteger, expected: 'a positive integer', required: true },
  { path: 'dtype', test: isDtype, expected: '"float16" or "float32"', required: true },
  { path: 'docCount', test: isCount, expected: 'an integer ≥ 0', required: true },
  { path: 'totalTokens', test: isCount, expected: 'an integer ≥ 0', required: true },
  { path: 'tokensFile', test: isString, expected: 'a file name', required: true },
  {
    path: 'tokensSha256',
    test: (v) => isString(v) && SHA256.test(v),
    expected: '64 lowercase hex digits',
    required: true,
  },
  { path: 'contentHashes', test: Array.isArray, expected: `an array of ${HASHES}`, required: true },
  { path: 'tool.name', test: isString, expected: 'a string' },
  { path: 'tool.version', test: isString, expected: 'a string' },
  { path: 'encoder.model', test: isString, expected: 'a string' },
  { path: 'encoder.fingerprint', test: isString, expected: 'a string' },
  { path: 'encoder.normalized', test: (v) => typeof v === 'boolean', expected: 'true or false' },
  { path: 'catalog.path', test: isString, expected: 'a string' },
  { path: 'catalog.table', test: isString, expected: 'a string' },
  { path: 'catalog.nullIdsSkipped', test: isCount, expected: 'an integer ≥ 0' },
  { path: 'catalog.fingerprint', test: isString, expected: 'a string' },
];

/** Checks the manifest's text field by field: every defect is a sentence in `problems`. */
export function checkManifestText(text: string, problems: string[]): CheckedManifest | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push(`${MANIFEST_FILE} is not valid JSON (${describeError(error)}): rebuild the index.`);
    return undefined;
  }
  if (!isObject(parsed)) {
    problems.push(`${MANIFEST_FILE} holds ${kindOf(parsed)}, not a JSON object: rebuild the index.`);
    return undefined;
  }
  const valid = new Map<string, unknown>();
  const missing: string[] = [];
  const notObjects = new Set<string>();
  for (const { path, test, expected, required } of FIELDS) {
    const [parent, child] = path.split('.');
    let value: unknown = parsed[parent];
    if (child !== undefined) {
      if (value !== undefined && !isObject(value)) {
        if (!notObjects.has(parent))
          problems.push(`${MANIFEST_FILE}: ${parent} is ${shown(value)}, expected an object.`);
        notObjects.add(parent);
        continue;
      }
      value = (value as Record<string, unknown> | undefined)?.[child];
    }
    if (value === undefined) {
      if (required) missing.push(path);
    } else if (!test(value)) {
      problems.push(`${MANIFEST_FILE}: ${path} is ${shown(value)}, expected ${expected}.`);
    } else valid.set(path, value);
  }
  if (missing.length) problems.push(`${MANIFEST_FILE} lacks ${missing.join(', ')}: rebuild the index.`);
  const field = <T>(path: string) => valid.get(path) as T | undefined;
  return {
    dim: field('dim'),
    dtype: field('dtype'),
    docCount: field('docCount'),
    totalTokens: field('totalTokens'),
    tokensFile: field('tokensFile'),
    tokensSha256: field('tokensSha256'),
    contentHashes: contentHashes(field('contentHashes'), problems),
    normalized: field<boolean>('encoder.normalized') ?? true,
  };
}

function contentHashes(list: readonly unknown[] | undefined, problems: string[]): string[] | undefined {
  if (!list) return undefined;
  const bad = new Examples();
  list.forEach((h, i) => (isString(h) && CONTENT_HASH.test(h)) || bad.add(() => `contentHashes[${i}] = ${shown(h)}`));
  if (bad.count === 0) return list as string[];
  problems.push(
    `${MANIFEST_FILE}: ${bad.count} contentHashes entry(s) are not ${CONTENT_HASH_DIGITS} lowercase hex digits, e.g. ${bad}.`,
  );
  return undefined;
}

/** Fields the manifest and the meta both record must agree; only valid values are compared. */
export function compareWithMeta(manifest: CheckedManifest, meta: CheckedMeta, problems: string[]): void {
  const pairs: [string, unknown, unknown][] = [
    ['dim', manifest.dim, meta.dim],
    ['dtype', manifest.dtype, meta.dtype],
    ['docCount', manifest.docCount, meta.doc_count],
    ['totalTokens', manifest.totalTokens, meta.total_tokens],
    ['tokensFile', manifest.tokensFile, meta.dtype && TOKENS_FILE[meta.dtype]],
    ['contentHashes (count)', manifest.contentHashes?.length, meta.doc_count],
  ];
  for (const [name, ours, theirs] of pairs) {
    if (ours !== undefined && theirs !== undefined && ours !== theirs) {
      problems.push(`${MANIFEST_FILE} says ${name} ${cut(String(ours))} but ${META_FILE} says ${theirs}.`);
    }
  }
}
