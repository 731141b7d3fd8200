import { readChunkId, readChunkIds } from './chunk-ids';
import { forEachArrayElement } from './json-scan';

const elements = (text: string, key = 'chunk_ids') => {
  const found: string[] = [];
  const present = forEachArrayElement(text, key, (start, end) => found.push(text.slice(start, end)));
  return present ? found : undefined;
};

describe('forEachArrayElement', () => {
  it('finds only the top-level array, not one inside a string or a nested object', () => {
    const text = '{"x":{"chunk_ids":[1]},"s":"\\"chunk_ids\\":[2]","chunk_ids":[ 3 , "4" ,{"a":[5]} ,-6e2, null]}';
    expect(elements(text)).toEqual(['3', '"4"', '{"a":[5]}', '-6e2', 'null']);
  });

  it('takes the last of duplicate keys, like JSON.parse, and decodes escaped keys', () => {
    expect(elements('{"chunk_ids":[1],"chunk_ids":[2,3]}')).toEqual(['2', '3']);
    expect(elements('{"chunk\\u005fids":[7]}')).toEqual(['7']);
    expect(elements('{"chunk_ids":[1],"chunk_ids":null}')).toBeUndefined();
  });

  it('says when there is no such array', () => {
    expect(elements('{"ids":[1]}')).toBeUndefined();
    expect(elements('[1,2]')).toBeUndefined();
    expect(elements('{"chunk_ids":"1,2"}')).toBeUndefined();
    expect(elements('{"chunk_ids":[]}')).toEqual([]);
  });
});

describe('readChunkId', () => {
  it.each([
    ['12', 12n],
    ['0', 0n],
    ['-0', 0n],
    ['9007199254740993', 9007199254740993n], // 2^53 + 1: JSON.parse would give …992
    ['9223372036854775807', 9223372036854775807n],
    ['-9223372036854775808', -9223372036854775808n],
  ])('reads %s exactly', (source, id) => expect(readChunkId(source)).toBe(id));

  it.each([
    ['9223372036854775808', 'out-of-range'],
    ['-9223372036854775809', 'out-of-range'],
    ['1e3', 'not-integer'],
    ['1.0', 'not-integer'],
    ['-1.5', 'not-integer'],
    ['012', 'not-integer'],
    ['"12"', 'string'],
    ['null', 'not-number'],
    ['true', 'not-number'],
    ['[1]', 'not-number'],
    ['{"id":1}', 'not-number'],
  ])('rejects %s as %s', (source, defect) => expect(readChunkId(source)).toBe(defect));
});

describe('readChunkIds', () => {
  it('visits every entry with its position and source text', () => {
    const seen: unknown[] = [];
    readChunkIds('{"chunk_ids":[5,"6",1e3]}', (entry) => seen.push(entry));
    expect(seen).toEqual([
      { index: 0, source: '5', id: 5n },
      { index: 1, source: '"6"', id: 'string' },
      { index: 2, source: '1e3', id: 'not-integer' },
    ]);
  });
});
