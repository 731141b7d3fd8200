/** A component of a `tokenizer.json` (normalizer, pre-tokenizer, model): its `type` and settings. */
interface Component {
  readonly type?: string;
  readonly [setting: string]: unknown;
}

/** Pre-tokenizers that split at every space, so no pre-token holds one followed by more text. */
function splitsAtSpaces(pre: Component): boolean {
  switch (pre.type) {
    case 'BertPreTokenizer':
    case 'Whitespace':
    case 'WhitespaceSplit':
      return true;
    case 'ByteLevel':
      return pre.use_regex !== false;
    case 'Metaspace':
      return pre.split !== false;
    case 'Sequence': {
      const members = (pre.pretokenizers ?? []) as Component[];
      const local = (member: Component) => splitsAtSpaces(member) || LOCAL_PRE_TOKENIZERS.has(member.type ?? '');
      return members.every(local) && members.some(splitsAtSpaces);
    }
    default:
      return false;
  }
}

/** Pre-tokenizers that decide each split from the characters around it only (no look-ahead). */
const LOCAL_PRE_TOKENIZERS = new Set(['ByteLevel', 'Metaspace', 'Punctuation', 'Digits', 'UnicodeScripts']);

/**
 * Normalizers that map characters (or combining sequences, which never start with a space) one
 * at a time, so the normalized prefix is a prefix of the normalized text.
 */
const CHARACTERWISE_NORMALIZERS = new Set([
  'ByteLevel',
  'Lowercase',
  'NFC',
  'NFD',
  'NFKC',
  'NFKD',
  'Nmt',
  'Precompiled',
  'Prepend',
  'Strip',
  'StripAccents',
]);

const SPACES = /^ +$/;
const SPACE_RUN_REGEX = /^ +(\{\d+(,\d*)?\}|[+*])?$/;

/**
 * A `Replace` cannot reach across the cut: it matches runs of spaces only (the cut comes before a
 * run, so the run lies after it), or text without whitespace that it turns into other text
 * without whitespace (never into nothing, which could leave the prefix ending in a space).
 */
function replaceKeepsPrefixes({ pattern, content }: Component): boolean {
  const { String: literal, Regex: regex } = (pattern ?? {}) as { String?: string; Regex?: string };
  if (typeof regex === 'string') return SPACE_RUN_REGEX.test(regex);
  if (typeof literal !== 'string') return false;
  return SPACES.test(literal) || (/^\S+$/.test(literal) && typeof content === 'string' && /^\S+$/.test(content));
}

/**
 * Whether the normalized prefix is a prefix of the normalized text, ending in the same
 * character; with `dropsWhitespace`, trailing whitespace may differ too (BERT's normalizer puts
 * spaces around CJK characters, which its pre-tokenizer then drops).
 */
function normalizerKeepsPrefixes(normalizer: Component | null | undefined, dropsWhitespace: boolean): boolean {
  if (!normalizer) return true;
  switch (normalizer.type) {
    case 'Sequence': {
      const members = (normalizer.normalizers ?? []) as Component[];
      return members.every((member) => normalizerKeepsPrefixes(member, dropsWhitespace));
    }
    case 'Replace':
      return replaceKeepsPrefixes(normalizer);
    case 'BertNormalizer':
      return dropsWhitespace || normalizer.handle_chinese_chars === false;
    default:
      return CHARACTERWISE_NORMALIZERS.has(normalizer.type ?? '');
  }
}

const WHITESPACE_DROPPING = new Set(['BertPreTokenizer', 'Whitespace', 'WhitespaceSplit']);

/** Whether the pre-tokenizer throws whitespace away before anything else sees it. */
function dropsWhitespace(pre: Component): boolean {
  const first = pre.type === 'Sequence' ? ((pre.pretokenizers ?? []) as Component[])[0] : pre;
  return WHITESPACE_DROPPING.has(first?.type ?? '');
}

/** Models that tokenize each pre-token on its own. */
const PER_WORD_MODELS = new Set(['BPE', 'Unigram', 'WordLevel', 'WordPiece']);

/**
 * Whether a `tokenizer.json` gives a text cut before a space that follows a non-space (see
 * `prefixEnd`) the same first tokens as the whole text: its normalizer keeps prefixes, its
 * pre-tokenizer splits at spaces, its model works word by word, and no added token holds
 * whitespace (added tokens are matched before everything else). BERT WordPiece, byte-level BPE
 * (GPT-2, RoBERTa) and Metaspace Unigram/BPE (T5, XTR) qualify; tokenizers without a
 * pre-tokenizer (Llama's sentencepiece BPE) do not, and are tokenized whole.
 */
export function cutsKeepTokens(config: unknown): boolean {
  const {
    normalizer,
    pre_tokenizer: pre,
    model,
    added_tokens: added,
  } = (config ?? {}) as {
    normalizer?: Component | null;
    pre_tokenizer?: Component | null;
    model?: Component;
    added_tokens?: { content?: string }[];
  };
  return (
    !!pre &&
    splitsAtSpaces(pre) &&
    normalizerKeepsPrefixes(normalizer, dropsWhitespace(pre)) &&
    PER_WORD_MODELS.has(model?.type ?? '') &&
    (added ?? []).every((token) => typeof token.content === 'string' && !/\s/.test(token.content))
  );
}

/** Normalizers that act on the start or end of the text they are given, wherever a cut put it. */
const EDGE_NORMALIZERS = new Set(['Strip', 'Prepend']);

function actsAtEdges(normalizer: Component | null | undefined): boolean {
  if (normalizer?.type === 'Sequence') return ((normalizer.normalizers ?? []) as Component[]).some(actsAtEdges);
  return EDGE_NORMALIZERS.has(normalizer?.type ?? '');
}

/**
 * Whether a text cut before spaces that follow a non-space (see `prefixEnd`) into segments gives,
 * segment after segment, the tokens of the whole text: the prefix condition (`cutsKeepTokens`)
 * for every cut, and nothing that treats a segment's start or end as the text's — no `Strip` or
 * `Prepend` normalizer, and no added token that swallows the whitespace after it (`rstrip`),
 * which would reach across the cut.
 */
export function segmentsKeepTokens(config: unknown): boolean {
  const { normalizer, added_tokens: added } = (config ?? {}) as {
    normalizer?: Component | null;
    added_tokens?: { rstrip?: boolean }[];
  };
  return cutsKeepTokens(config) && !actsAtEdges(normalizer) && !(added ?? []).some((token) => token.rstrip);
}
