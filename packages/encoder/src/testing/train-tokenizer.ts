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

/**
 * Trains a `tokenizer.json` with the Hugging Face trainers on local files: `wordpiece` is shaped
 * like BERT (lower-casing, `[CLS] … [SEP]`), `unigram` like T5/XTR (metaspace, `… </s>`).
 * Training is deterministic for the same files.
 */
export function trainTokenizer(kind: TokenizerKind, files: readonly string[], outPath: string): void {
  const tokenizer = kind === 'wordpiece' ? wordPiece(files) : unigram(files);
  tokenizer.save(outPath);
}

function specialId(tokenizer: Tokenizer, token: string): number {
  const id = tokenizer.tokenToId(token);
  if (id === null) throw new Error(`special token ${token} missing after training`);
  return id;
}

function wordPiece(files: readonly string[]): Tokenizer {
  const tokenizer = new Tokenizer(WordPiece.empty() as unknown as Model);
  tokenizer.setNormalizer(bertNormalizer({ lowercase: true }));
  tokenizer.setPreTokenizer(bertPreTokenizer());
  tokenizer.addSpecialTokens(['[PAD]', '[UNK]', '[CLS]', '[SEP]']);
  tokenizer.train([...files]);
  tokenizer.setPostProcessor(bertProcessing(['[SEP]', specialId(tokenizer, '[SEP]')], ['[CLS]', specialId(tokenizer, '[CLS]')]));
  return tokenizer;
}

function unigram(files: readonly string[]): Tokenizer {
  const tokenizer = new Tokenizer(Unigram.empty());
  tokenizer.setNormalizer(nfkcNormalizer());
  tokenizer.setPreTokenizer(metaspacePreTokenizer());
  tokenizer.addSpecialTokens(['<pad>', '</s>', '<unk>']);
  tokenizer.train([...files]);
  tokenizer.setPostProcessor(templateProcessing('$A </s>', null, [['</s>', specialId(tokenizer, '</s>')]]));
  return tokenizer;
}
