import {
  createEncoder,
  type ResolvedEncoderOptions,
  TextEncodingError,
  type TokenEncoder,
  type TokenIds,
} from '@xtr-nx/encoder';
import type { IndexManifest } from '@xtr-nx/storage';
import { SearchError } from './types';

/** Encodes query text into token rows with the encoder an index was built with. */
export interface QueryEncoder {
  /** `[tokens, dim]` float32 rows of `text`. */
  encode(text: string): Promise<Float32Array>;
  /** What people read for each row `encode` gives for `text` (a query's, or a chunk's as indexed). */
  rowTokens(text: string): Promise<string[]>;
  close(): Promise<void>;
}

const short = (fingerprint: string) => fingerprint.slice(0, 12);

/**
 * Opens the encoder `options` describe and checks it is the one the index at `indexDir` was
 * built with (equal fingerprints: same model bytes, tokenizer and options), so query rows live in
 * the same space as the index's rows.
 */
export async function openQueryEncoder(
  options: ResolvedEncoderOptions,
  manifest: IndexManifest,
  indexDir: string,
): Promise<QueryEncoder> {
  const encoder = await createEncoder({ ...options, outputDtype: 'float32', overlap: false });
  if (encoder.fingerprint !== manifest.encoder.fingerprint) {
    await encoder.close();
    throw new SearchError(
      `The index at ${indexDir} was built with encoder ${manifest.encoder.model} (fingerprint ${short(manifest.encoder.fingerprint)}), ` +
        `but the query encoder is ${options.model} (fingerprint ${short(encoder.fingerprint)}): their vectors are not comparable. ` +
        `Search with the config the index was built with, or rebuild the index with this one.`,
    );
  }
  return {
    async encode(text: string) {
      if (text.trim() === '') throw new SearchError('The query is empty: give the text to search for.');
      const window = await tokensOf(encoder, text);
      if (!window || (await tokenizesLikeEmpty(encoder, window.tokens[0])))
        throw new SearchError(
          `The query "${text}" tokenizes to nothing (no token besides the encoder's special ones): search for words or identifiers.`,
        );
      const { vectors } = await encoder.encodeTokenized(window);
      return vectors as Float32Array;
    },
    rowTokens: (text) => encoder.rowTokens(text),
    close: () => encoder.close(),
  };
}

async function tokensOf(encoder: TokenEncoder, text: string) {
  try {
    return await encoder.tokenize([text]);
  } catch (error) {
    if (error instanceof TextEncodingError) return undefined;
    throw error;
  }
}

/** Whether `ids` are what the empty text gives: only special tokens such as [CLS] [SEP]. */
async function tokenizesLikeEmpty(encoder: TokenEncoder, ids: TokenIds): Promise<boolean> {
  const empty = await tokensOf(encoder, '');
  const nothing = empty?.tokens[0] ?? new Int32Array(0);
  return ids.length === nothing.length && ids.every((id, i) => id === nothing[i]);
}
