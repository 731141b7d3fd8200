import { writeFileSync } from 'node:fs';

/**
 * A BERT-shaped WordPiece vocabulary of 20 entries, small enough to tokenize by hand: the ids a
 * text must get can be written down without running any tokenizer.
 */
const VOCAB = [
  '[PAD]',
  '[UNK]',
  '[CLS]',
  '[SEP]',
  'get',
  'user',
  '##user',
  '##by',
  '##id',
  'id',
  'return',
  '##s',
  '(',
  ')',
  '.',
  ';',
  '{',
  '}',
  'find',
  '=',
];

const special = (content: string) => ({
  id: VOCAB.indexOf(content),
  content,
  single_word: false,
  lstrip: false,
  rstrip: false,
  normalized: false,
  special: true,
});

/**
 * Writes a hand-written `tokenizer.json` (what BERT's `save_pretrained()` writes, with `VOCAB`):
 * lower-casing, splitting at whitespace and punctuation, greedy longest-match WordPiece where a
 * word without a full match becomes `[UNK]`, and `[CLS] … [SEP]` around every text. Its ids are
 * ids 0–19 in the order listed, so a test can state the ids of a text by hand.
 */
export function writeTinyWordPiece(path: string): void {
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: ['[PAD]', '[UNK]', '[CLS]', '[SEP]'].map(special),
    normalizer: {
      type: 'BertNormalizer',
      clean_text: true,
      handle_chinese_chars: true,
      strip_accents: null,
      lowercase: true,
    },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: { type: 'BertProcessing', sep: ['[SEP]', 3], cls: ['[CLS]', 2] },
    decoder: null,
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(VOCAB.map((token, id) => [token, id])),
    },
  };
  writeFileSync(path, JSON.stringify(json));
}
