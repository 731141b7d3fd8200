import { formatMeta, parseMeta } from './meta-json';

const meta = (ids: string) =>
  `{"dim":4,"dtype":"float16","total_tokens":2,"doc_count":2,"chunk_ids":${ids},"offsets":[0,1],"lengths":[1,1]}`;

describe('parseMeta', () => {
  it('keeps ids beyond 2^53 exact, at both ends of the 64-bit range', () => {
    const ends = parseMeta(meta('[-9223372036854775808,9223372036854775807]'));
    expect(ends.chunk_ids).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
    const spaced = parseMeta(meta('[ 9007199254740993 ,\n 9007199254740995 ]'));
    expect(spaced.chunk_ids).toEqual([9007199254740993n, 9007199254740995n]);
  });

  it('reads back what formatMeta writes', () => {
    const written = {
      ...{ dim: 4, dtype: 'float32' as const, total_tokens: 3, doc_count: 2 },
      ...{ chunk_ids: [1n, 2n ** 60n], offsets: [0, 1], lengths: [1, 2] },
    };
    expect(parseMeta(formatMeta(written))).toEqual(written);
  });

  it('is not fooled by "chunk_ids" inside a string that comes first', () => {
    const text = `{"note":"\\"chunk_ids\\":[1]",${meta('[7,8]').slice(1)}`;
    expect(parseMeta(text).chunk_ids).toEqual([7n, 8n]);
  });

  it.each([
    ['"12"', '[10,"12"]', /chunk_ids\[1\] = "12" is not a 64-bit integer\. Rebuild the index\./],
    ['1e3', '[1e3,2]', /chunk_ids\[0\] = 1e3 is not a 64-bit integer/],
    ['2^63', '[1,9223372036854775808]', /chunk_ids\[1\] = 9223372036854775808 is not a 64-bit integer/],
  ])('refuses an id written as %s', (_, ids, message) => {
    expect(() => parseMeta(meta(ids))).toThrow(message);
  });

  it('throws on text that is not JSON', () => {
    expect(() => parseMeta('{"dim":')).toThrow(SyntaxError);
  });
});
