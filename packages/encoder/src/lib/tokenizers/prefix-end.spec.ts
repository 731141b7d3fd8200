import { prefixEnd } from './prefix-end';

describe('prefixEnd', () => {
  it('keeps a text no longer than the budget whole', () => {
    expect(prefixEnd('abc def', 7)).toBe(7);
    expect(prefixEnd('', 0)).toBe(0);
  });

  it('cuts before the last space that ends a word within the budget', () => {
    //                 0123456789
    expect(prefixEnd('ab cd ef gh', 7)).toBe(5);
    expect(prefixEnd('ab cd ef gh', 5)).toBe(5);
  });

  it('never cuts inside a run of whitespace, only where it starts', () => {
    expect(prefixEnd('ab    cd ef', 5)).toBe(2);
    expect(prefixEnd('ab\n  cd ef', 5)).toBe(7);
    expect(prefixEnd('ab\u00a0 cd ef', 5)).toBe(6);
  });

  it('looks past the budget when no word ends before it, and keeps a text without one whole', () => {
    expect(prefixEnd('abcdefgh ij', 3)).toBe(8);
    expect(prefixEnd('x'.repeat(100), 10)).toBe(100);
    expect(prefixEnd(' '.repeat(100), 10)).toBe(100);
  });

  const word = 'c'.repeat(20);

  it('does not cut after characters a normalizer may remove or turn into a space', () => {
    for (const odd of ['\u0001', '\u200b', '\ufeff', '\u0301', '´', '¨', '▁', '\ufffd']) {
      // The space after `odd` is within the budget, but the first cut is after the word.
      expect(prefixEnd(`ab${odd} ${word} d`, 5)).toBe(24);
    }
  });

  it('cuts after letters, digits, punctuation and symbols, astral ones included', () => {
    for (const end of ['é', '中', '7', ';', '😀', '…']) {
      expect(prefixEnd(`ab${end} ${word} d`, 5)).toBe(2 + end.length);
    }
  });
});
