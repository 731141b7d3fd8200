import { CHUNK_ID_DEFECTS, type ChunkIdDefect, readChunkIds } from './chunk-ids';
import { cut, Examples, isCount, isObject, isPositiveInteger, kindOf, shown } from './describe-value';
import { describeError } from './file-problems';
import { type Dtype, META_FILE } from './types';

/** `index.meta.json` as checked: a field is present only when it is valid (else a problem says why). */
export interface CheckedMeta {
  dim?: number;
  dtype?: Dtype;
  total_tokens?: number;
  doc_count?: number;
  chunk_ids?: readonly bigint[];
  offsets?: readonly number[];
  lengths?: readonly number[];
}

const KEYS = ['dim', 'dtype', 'total_tokens', 'doc_count', 'chunk_ids', 'offsets', 'lengths'];

/** Checks the meta file's text field by field: every defect is a sentence in `problems`. */
export function checkMetaText(text: string, problems: string[]): CheckedMeta {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    problems.push(`${META_FILE} is not valid JSON (${describeError(error)}): rebuild the index.`);
    return {};
  }
  if (!isObject(parsed)) {
    problems.push(`${META_FILE} holds ${kindOf(parsed)}, not a JSON object: rebuild the index.`);
    return {};
  }
  const keys = Object.keys(parsed);
  const missing = KEYS.filter((k) => !keys.includes(k));
  const extra = keys.filter((k) => !KEYS.includes(k));
  if (missing.length) problems.push(`${META_FILE} lacks ${missing.join(', ')}.`);
  if (extra.length) problems.push(`${META_FILE} has keys the Python reader does not expect: ${extra.join(', ')}.`);

  const meta: CheckedMeta = {};
  const { dim, dtype, total_tokens: totalTokens, doc_count: docCount } = parsed;
  if (dtype === 'float16' || dtype === 'float32') meta.dtype = dtype;
  else if (dtype !== undefined)
    problems.push(`${META_FILE}: dtype is ${shown(dtype)}, expected "float16" or "float32".`);
  if (isPositiveInteger(dim)) meta.dim = dim;
  else if (dim !== undefined) problems.push(`${META_FILE}: dim is ${shown(dim)}, expected a positive integer.`);
  for (const [name, value] of [
    ['total_tokens', totalTokens],
    ['doc_count', docCount],
  ] as const) {
    if (isCount(value)) meta[name] = value;
    else if (value !== undefined) problems.push(`${META_FILE}: ${name} is ${shown(value)}, expected an integer ≥ 0.`);
  }
  meta.offsets = countList(parsed, 'offsets', problems);
  meta.lengths = countList(parsed, 'lengths', problems);
  meta.chunk_ids = chunkIds(text, parsed.chunk_ids, problems);
  return meta;
}

/** `offsets` or `lengths`: an array of integers ≥ 0. */
function countList(meta: Record<string, unknown>, name: string, problems: string[]): number[] | undefined {
  const list = meta[name];
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) {
    problems.push(`${META_FILE}: ${name} is ${shown(list)}, expected an array of integers ≥ 0.`);
    return undefined;
  }
  const bad = new Examples();
  list.forEach((n: unknown, i) => isCount(n) || bad.add(() => `${name}[${i}] = ${shown(n)}`));
  if (bad.count === 0) return list as number[];
  problems.push(`${META_FILE}: ${bad.count} ${name} entry(s) are not integers ≥ 0, e.g. ${bad}.`);
  return undefined;
}

/** `chunk_ids`, read from the text so 64-bit values stay exact; one sentence per kind of defect. */
function chunkIds(text: string, parsed: unknown, problems: string[]): bigint[] | undefined {
  if (parsed === undefined) return undefined;
  if (!Array.isArray(parsed)) {
    problems.push(`${META_FILE}: chunk_ids is ${shown(parsed)}, expected an array of 64-bit integers.`);
    return undefined;
  }
  const ids: bigint[] = [];
  const defects = new Map<ChunkIdDefect, Examples>();
  readChunkIds(text, ({ index, source, id }) => {
    if (typeof id === 'bigint') return void ids.push(id);
    const found = defects.get(id) ?? new Examples();
    defects.set(id, found);
    // The source text, not the parsed number: 9223372036854775808 must not print as …6000.
    found.add(() => `chunk_ids[${index}] = ${cut(source)}`);
  });
  for (const [defect, found] of defects) {
    problems.push(`${META_FILE}: ${found.count} chunk_ids entry(s) ${CHUNK_ID_DEFECTS[defect]}, e.g. ${found}.`);
  }
  return defects.size ? undefined : ids;
}

/**
 * What a reader relies on beyond types: arrays as long as doc_count, ids unique and ascending,
 * lengths ≥ 1, offsets contiguous and lengths adding up to total_tokens. Each check runs when
 * the fields it needs are valid.
 */
export function checkStructure(meta: CheckedMeta, problems: string[]): void {
  const { doc_count: count, chunk_ids: ids, offsets, lengths } = meta;
  for (const [name, list] of [
    ['chunk_ids', ids],
    ['offsets', offsets],
    ['lengths', lengths],
  ] as const) {
    if (list && count !== undefined && list.length !== count) {
      problems.push(`${name} has ${list.length} entries but doc_count is ${count}.`);
    }
  }
  if (ids) checkIdOrder(ids, problems);
  if (lengths) {
    const empty = new Examples();
    lengths.forEach((n, i) => n > 0 || empty.add(() => `lengths[${i}] = ${n}`));
    if (empty.count) problems.push(`every chunk needs at least one token: ${empty}.`);
  }
  if (offsets && lengths) {
    const gaps = new Examples();
    let expected = 0;
    for (let i = 0; i < Math.min(offsets.length, lengths.length); i++) {
      const at = expected;
      if (offsets[i] !== at) gaps.add(() => `offsets[${i}] = ${offsets[i]}, expected ${at}`);
      expected = offsets[i] + lengths[i];
    }
    if (gaps.count)
      problems.push(`offsets are not contiguous (offsets[i] must be offsets[i-1] + lengths[i-1]): ${gaps}.`);
  }
  if (lengths && meta.total_tokens !== undefined) {
    const sum = lengths.reduce((a, b) => a + b, 0);
    if (sum !== meta.total_tokens) problems.push(`lengths sum to ${sum} but total_tokens is ${meta.total_tokens}.`);
  }
}

function checkIdOrder(ids: readonly bigint[], problems: string[]): void {
  const duplicates = new Examples();
  const unordered = new Examples();
  for (let i = 1; i < ids.length; i++) {
    if (ids[i] === ids[i - 1]) duplicates.add(() => String(ids[i]));
    else if (ids[i] < ids[i - 1]) unordered.add(() => `${ids[i]} after ${ids[i - 1]} at position ${i}`);
  }
  if (duplicates.count)
    problems.push(`chunk_ids are not unique: ${duplicates.count} duplicate(s), e.g. ${duplicates}.`);
  if (unordered.count) problems.push(`chunk_ids are not ascending: ${unordered}.`);
}
