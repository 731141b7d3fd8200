import { Tokenizer } from 'tokenizers';
import { makeTestModel } from '../../test-utils/models';
import { HfTokenizer } from './hf-tokenizer';

describe('HfTokenizer', () => {
  it.each(['wordpiece', 'unigram'] as const)('%s: ids equal the tokenizer file loaded on its own, truncated like Python', async (kind) => {
    const { tokenizer: path } = makeTestModel(kind);
    const texts = ['def parse_http_response(raw):', '', 'x'.repeat(50) + ' ' + 'const a = b + c;'.repeat(20)];
    const ours = await HfTokenizer.load(path, 24).encodeBatch(texts);
    const reference = Tokenizer.fromFile(path);
    reference.setTruncation(24);
    for (const [i, text] of texts.entries()) {
      const expected = (await reference.encode(text)).getIds();
      expect(Array.from(ours[i])).toEqual(expected);
    }
    expect(ours[2]).toHaveLength(24);
  });
});
