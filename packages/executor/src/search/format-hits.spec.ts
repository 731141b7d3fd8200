import { hitsAsJson, hitsAsTable } from './format-hits';
import type { ShownHit } from './search-request';

const HIT: ShownHit = {
  query: 'prune store',
  rank: 1,
  id: 9007199254740993n,
  score: 0.87654,
  uri: 'src/store.ts',
  startLine: 41,
  endLine: 80,
  preview: '\n  prune(maxSize: number) {\n    evict();\n',
  matches: [
    { q_index: 0, q_token: 'prune', doc_index: 7, doc_token: 'prune', similarity: 1 },
    { q_index: 1, q_token: 'store', doc_index: null, doc_token: null, similarity: 0.25 },
  ],
};

describe('hitsAsTable', () => {
  it('lines up rank, score, uri:lines and the first preview line, with a line per query token', () => {
    const other: ShownHit = { ...HIT, rank: 2, id: 5n, score: 0.5, uri: null, matches: undefined };
    expect(hitsAsTable([HIT, other], 200)).toEqual([
      'rank  score  chunk               preview',
      '   1  0.877  src/store.ts:41-80  prune(maxSize: number) {',
      '      query token 0 "prune" → chunk token 7 "prune" (1.000)',
      '      query token 1 "store" → no chunk token retrieved, imputed (0.250)',
      '   2  0.500  chunk 5             prune(maxSize: number) {',
    ]);
  });

  it('cuts lines to the width with an ellipsis', () => {
    const [, line] = hitsAsTable([{ ...HIT, matches: undefined }], 30);
    expect(line).toBe('   1  0.877  src/store.ts:41-…');
    expect(line).toHaveLength(30);
  });
});

describe('hitsAsJson', () => {
  it('writes one object per hit with the id as an exact string', () => {
    const [line] = hitsAsJson([HIT]);
    expect(JSON.parse(line)).toEqual({
      query: 'prune store',
      rank: 1,
      id: '9007199254740993',
      score: 0.87654,
      uri: 'src/store.ts',
      start_line: 41,
      end_line: 80,
      preview: HIT.preview,
      matches: HIT.matches,
    });
  });
});
