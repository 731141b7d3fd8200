import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  bertNormalizer,
  bertPreTokenizer,
  bertProcessing,
  BPE,
  byteLevelAlphabet,
  byteLevelPreTokenizer,
  metaspacePreTokenizer,
  type Model,
  nfkcNormalizer,
  robertaProcessing,
  templateProcessing,
  Tokenizer,
  Unigram,
  WordPiece,
} from 'tokenizers';

export type TokenizerKind = 'wordpiece' | 'unigram' | 'bpe';

const SPECIALS: Record<TokenizerKind, string[]> = {
  wordpiece: ['[PAD]', '[UNK]', '[CLS]', '[SEP]'],
  unigram: ['<pad>', '</s>', '<unk>'],
  bpe: ['<s>', '<pad>', '</s>', '<unk>'],
};

/**
 * Trains a `tokenizer.json` with the Hugging Face trainers on local files: `wordpiece` is shaped
 * like BERT (lower-casing, `[CLS] … [SEP]`), `unigram` like T5/XTR (metaspace, `… </s>`), `bpe`
 * like RoBERTa (byte-level, `<s> … </s>`).
 *
 * The vocabulary is rewritten canonically: special tokens first (the trainers exposed to Node
 * take no special tokens, and tokens added before training would collide with trained ids), then
 * pieces in a fixed order. The Rust trainers break ties between equally frequent merges or
 * equally scored pieces in hash-map order, so two trainings on the same files can still differ
 * in a few rare pieces; keep the generated tokenizer.json when bit-identical ids matter.
 */
export function trainTokenizer(kind: TokenizerKind, files: readonly string[], outPath: string): void {
  const raw = new Tokenizer(untrainedModel(kind));
  if (kind === 'wordpiece') {
    raw.setNormalizer(bertNormalizer({ lowercase: true }));
    raw.setPreTokenizer(bertPreTokenizer());
  } else if (kind === 'unigram') {
    raw.setNormalizer(nfkcNormalizer());
    raw.setPreTokenizer(metaspacePreTokenizer());
  } else {
    raw.setPreTokenizer(byteLevelPreTokenizer(false));
  }
  raw.train([...files]);
  const json = JSON.parse(saveToString(raw));
  const canonical = { wordpiece: canonicalWordPiece, unigram: canonicalUnigram, bpe: canonicalBpe }[kind];
  json.model = canonical(json.model);
  const tokenizer = Tokenizer.fromString(JSON.stringify(json));
  const specials = SPECIALS[kind];
  tokenizer.addSpecialTokens(specials);
  const special = (token: string): [string, number] => [token, specials.indexOf(token)];
  tokenizer.setPostProcessor(
    kind === 'wordpiece'
      ? bertProcessing(special('[SEP]'), special('[CLS]'))
      : kind === 'unigram'
        ? templateProcessing('$A </s>', null, [special('</s>')])
        : robertaProcessing(special('</s>'), special('<s>')),
  );
  tokenizer.save(outPath);
}

function untrainedModel(kind: TokenizerKind): Model {
  if (kind === 'wordpiece') return WordPiece.empty() as unknown as Model;
  return kind === 'unigram' ? Unigram.empty() : BPE.empty();
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
  const specials = SPECIALS.wordpiece;
  const pieces = Object.keys(model.vocab)
    .filter((t) => !specials.includes(t))
    .sort(byCodePoint);
  const vocab = Object.fromEntries([...specials, ...pieces].map((token, id) => [token, id]));
  return { ...model, unk_token: '[UNK]', vocab };
}

/** Every byte's symbol is in the vocabulary, as in GPT-2 and RoBERTa: no text has unknown bytes. */
function canonicalBpe(model: { vocab: Record<string, number> }) {
  const specials = SPECIALS.bpe;
  const symbols = new Set([...Object.keys(model.vocab), ...byteLevelAlphabet()]);
  const pieces = [...symbols].filter((t) => !specials.includes(t)).sort(byCodePoint);
  const vocab = Object.fromEntries([...specials, ...pieces].map((token, id) => [token, id]));
  return { ...model, vocab };
}

function canonicalUnigram(model: { vocab: [string, number][] }) {
  const specials = SPECIALS.unigram;
  // Scores differ between runs in the last bits of float64 summation: round before ordering.
  const pieces = model.vocab
    .filter(([piece]) => !specials.includes(piece))
    .map(([piece, score]): [string, number] => [piece, Math.round(score * 1e9) / 1e9])
    .sort(([a, x], [b, y]) => y - x || byCodePoint(a, b));
  const vocab = [...specials.map((piece): [string, number] => [piece, 0]), ...pieces];
  return { ...model, unk_id: specials.indexOf('<unk>'), vocab };
}
