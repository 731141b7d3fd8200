import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bertNormalizer,
  bertPreTokenizer,
  bertProcessing,
  metaspacePreTokenizer,
  type Model,
  nfkcNormalizer,
  templateProcessing,
  Tokenizer,
  Unigram,
  WordPiece,
} from 'tokenizers';

export type TokenizerKind = 'wordpiece' | 'unigram';

const WORDPIECE_SPECIALS = ['[PAD]', '[UNK]', '[CLS]', '[SEP]'];
const UNIGRAM_SPECIALS = ['<pad>', '</s>', '<unk>'];

/**
 * Trains a `tokenizer.json` with the Hugging Face trainers on local files: `wordpiece` is shaped
 * like BERT (lower-casing, `[CLS] … [SEP]`), `unigram` like T5/XTR (metaspace, `… </s>`).
 *
 * The vocabulary is rewritten canonically: special tokens first (the trainers exposed to Node
 * take no special tokens, and tokens added before training would collide with trained ids), then
 * pieces in a fixed order. The Rust trainers break ties between equally frequent merges or
 * equally scored pieces in hash-map order, so two trainings on the same files can still differ
 * in a few rare pieces; keep the generated tokenizer.json when bit-identical ids matter.
 */
export function trainTokenizer(kind: TokenizerKind, files: readonly string[], outPath: string): void {
  const raw = new Tokenizer(kind === 'wordpiece' ? (WordPiece.empty() as unknown as Model) : Unigram.empty());
  if (kind === 'wordpiece') {
    raw.setNormalizer(bertNormalizer({ lowercase: true }));
    raw.setPreTokenizer(bertPreTokenizer());
  } else {
    raw.setNormalizer(nfkcNormalizer());
    raw.setPreTokenizer(metaspacePreTokenizer());
  }
  raw.train([...files]);
  const json = JSON.parse(saveToString(raw));
  json.model = kind === 'wordpiece' ? canonicalWordPiece(json.model) : canonicalUnigram(json.model);
  const tokenizer = Tokenizer.fromString(JSON.stringify(json));
  const specials = kind === 'wordpiece' ? WORDPIECE_SPECIALS : UNIGRAM_SPECIALS;
  tokenizer.addSpecialTokens(specials);
  const id = (token: string) => specials.indexOf(token);
  tokenizer.setPostProcessor(
    kind === 'wordpiece'
      ? bertProcessing(['[SEP]', id('[SEP]')], ['[CLS]', id('[CLS]')])
      : templateProcessing('$A </s>', null, [['</s>', id('</s>')]]),
  );
  tokenizer.save(outPath);
}

function saveToString(tokenizer: Tokenizer): string {
  const dir = mkdtempSync(join(tmpdir(), 'xtr-tokenizer-'));
  try {
    tokenizer.save(join(dir, 'tokenizer.json'));
    return readFileSync(join(dir, 'tokenizer.json'), 'utf8');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function canonicalWordPiece(model: { vocab: Record<string, number> }) {
  const pieces = Object.keys(model.vocab).filter((t) => !WORDPIECE_SPECIALS.includes(t)).sort(byCodePoint);
  const vocab = Object.fromEntries([...WORDPIECE_SPECIALS, ...pieces].map((token, id) => [token, id]));
  return { ...model, unk_token: '[UNK]', vocab };
}

function canonicalUnigram(model: { vocab: [string, number][] }) {
  // Scores differ between runs in the last bits of float64 summation: round before ordering.
  const pieces = model.vocab
    .filter(([piece]) => !UNIGRAM_SPECIALS.includes(piece))
    .map(([piece, score]): [string, number] => [piece, Math.round(score * 1e9) / 1e9])
    .sort(([a, x], [b, y]) => y - x || byCodePoint(a, b));
  const vocab = [...UNIGRAM_SPECIALS.map((piece): [string, number] => [piece, 0]), ...pieces];
  return { ...model, unk_id: UNIGRAM_SPECIALS.indexOf('<unk>'), vocab };
}
