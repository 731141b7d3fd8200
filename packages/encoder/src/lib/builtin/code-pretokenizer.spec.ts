import { splitCode } from './code-pretokenizer';

describe('splitCode', () => {
  it.each([
    ['getUserById', ['get', 'user', 'by', 'id']],
    ['parseHTTPResponse_v2', ['parse', 'http', 'response', '_', 'v', '2']],
    ['MAX_RETRY_COUNT', ['max', '_', 'retry', '_', 'count']],
    ['x => x.id === 42;', ['x', '=', '>', 'x', '.', 'id', '=', '=', '=', '42', ';']],
    ['straße Größe', ['straße', 'größe']],
    ['sha256sum', ['sha', '256', 'sum']],
    ['   \n\t', []],
    ['ABc', ['a', 'bc']],
    ['ok 👍 done', ['ok', '👍', 'done']],
  ])('splits %j', (text, expected) => {
    expect(splitCode(text)).toEqual(expected);
  });

  it('stops after `limit` pieces, the same pieces as the full split', () => {
    const text = 'const fooBar = await loadHTTPConfig(path, { retries: 3 });';
    const all = splitCode(text);
    for (const limit of [0, 1, 5, all.length, all.length + 10])
      expect(splitCode(text, limit)).toEqual(all.slice(0, limit));
  });
});
