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
  ])('splits %j', (text, expected) => {
    expect(splitCode(text)).toEqual(expected);
  });
});
