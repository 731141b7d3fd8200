import type { IndexMeta } from '@xtr-nx/storage';

/** Positions of the candidate ids the index holds, deduplicated, ascending (chunk_ids ascend). */
export function candidatePositions(meta: IndexMeta, candidates: readonly bigint[]): Int32Array {
  const ids = meta.chunk_ids;
  const found = new Set<number>();
  for (const id of candidates) {
    let lo = 0;
    let hi = ids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] === id) {
        found.add(mid);
        break;
      }
      if (ids[mid] < id) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return Int32Array.from([...found].sort((a, b) => a - b));
}
