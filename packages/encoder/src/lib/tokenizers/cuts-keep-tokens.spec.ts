import { cutsKeepTokens, segmentsKeepTokens } from './cuts-keep-tokens';

const BERT = {
  normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, lowercase: true },
  pre_tokenizer: { type: 'BertPreTokenizer' },
  model: { type: 'WordPiece' },
  added_tokens: [{ content: '[CLS]' }, { content: '[SEP]' }],
};
const ROBERTA = {
  normalizer: null,
  pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true },
  model: { type: 'BPE' },
  added_tokens: [{ content: '<s>' }, { content: '<mask>' }],
};
const COLLAPSE_SPACES = { type: 'Replace', pattern: { Regex: ' {2,}' }, content: ' ' };
const T5 = {
  normalizer: { type: 'Sequence', normalizers: [{ type: 'Precompiled', precompiled_charsmap: '…' }, COLLAPSE_SPACES] },
  pre_tokenizer: { type: 'Metaspace', replacement: '▁', prepend_scheme: 'always', split: true },
  model: { type: 'Unigram' },
  added_tokens: [{ content: '</s>' }],
};
const SPACES_TO_METASPACE = { type: 'Replace', pattern: { String: ' ' }, content: '▁' };
const LLAMA = {
  normalizer: { type: 'Sequence', normalizers: [{ type: 'Prepend', prepend: '▁' }, SPACES_TO_METASPACE] },
  pre_tokenizer: null,
  model: { type: 'BPE' },
  added_tokens: [{ content: '<s>' }],
};
const sequence = (...pretokenizers: object[]) => ({ type: 'Sequence', pretokenizers });
const replace = (pattern: object, content: string) => ({ type: 'Replace', pattern, content });

describe('cutsKeepTokens', () => {
  it.each([
    ['BERT WordPiece', BERT],
    ['RoBERTa byte-level BPE', ROBERTA],
    ['T5/XTR Metaspace Unigram', T5],
    [
      'whitespace split then digits',
      { ...BERT, pre_tokenizer: sequence({ type: 'WhitespaceSplit' }, { type: 'Digits' }) },
    ],
  ])('allows prefixes for %s', (_, config) => {
    expect(cutsKeepTokens(config)).toBe(true);
  });

  it.each([
    ['no pre-tokenizer (Llama)', LLAMA],
    ['byte-level without its regex', { ...ROBERTA, pre_tokenizer: { type: 'ByteLevel', use_regex: false } }],
    ['Metaspace that does not split', { ...T5, pre_tokenizer: { ...T5.pre_tokenizer, split: false } }],
    ['a Split (it may look ahead)', { ...ROBERTA, pre_tokenizer: { type: 'Split', pattern: { Regex: '\\S+\\s*' } } }],
    ['a sequence with a Split', { ...ROBERTA, pre_tokenizer: sequence({ type: 'Split' }, { type: 'ByteLevel' }) }],
    ['a Replace reaching across spaces', { ...T5, normalizer: replace({ String: 'a b' }, 'ab') }],
    ['a Replace deleting text', { ...T5, normalizer: replace({ String: '``' }, '') }],
    ['a Replace with a regex', { ...T5, normalizer: replace({ Regex: '\\s+' }, ' ') }],
    ['CJK padding with whitespace kept as tokens', { ...ROBERTA, normalizer: BERT.normalizer }],
    ['an unknown normalizer', { ...BERT, normalizer: { type: 'SomethingNew' } }],
    ['an unknown model', { ...BERT, model: { type: 'SomethingNew' } }],
    ['an added token holding a space', { ...BERT, added_tokens: [{ content: '<|im start|>' }] }],
    ['no config', undefined],
  ])('refuses prefixes for %s', (_, config) => {
    expect(cutsKeepTokens(config)).toBe(false);
  });
});

describe('segmentsKeepTokens', () => {
  it.each([
    ['BERT WordPiece', BERT],
    ['RoBERTa byte-level BPE', ROBERTA],
    ['T5/XTR Metaspace Unigram', T5],
  ])('allows segments for %s', (_, config) => {
    expect(segmentsKeepTokens(config)).toBe(true);
  });

  it.each([
    ['no pre-tokenizer (Llama), which refuses prefixes already', LLAMA],
    ['a Strip normalizer (it strips every segment)', { ...BERT, normalizer: { type: 'Strip', strip_left: true } }],
    [
      'a Prepend inside a sequence (it prefixes every segment)',
      { ...T5, normalizer: { type: 'Sequence', normalizers: [COLLAPSE_SPACES, { type: 'Prepend', prepend: '▁' }] } },
    ],
    [
      'an added token that swallows the whitespace after it',
      { ...ROBERTA, added_tokens: [{ content: '<mask>', rstrip: true }] },
    ],
  ])('refuses segments for %s', (_, config) => {
    expect(segmentsKeepTokens(config)).toBe(false);
  });
});
