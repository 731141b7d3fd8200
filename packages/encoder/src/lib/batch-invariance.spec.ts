import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testEncoderOptions, textVectors, writeTestModel } from '../testing';
import { createEncoder } from './create-encoder';
import type { EncoderOptions, TokenEncoder } from './types';

/**
 * Whether a chunk's vectors are a function of the chunk alone: the same bytes whatever it is
 * batched with, however much padding its batch adds, on one thread or two, float32 or float16.
 * Incremental builds copy a chunk's rows from an earlier build and must equal a full rebuild.
 */

/** Texts from 1 to a few hundred tokens, so batches pad by up to hundreds of positions. */
function texts(): string[] {
  const source = readFileSync(join(__dirname, 'batched-encoder.ts'), 'utf8').split('\n');
  return Array.from({ length: 24 }, (_, i) => source.slice(i * 3, i * 3 + 1 + ((i * 7) % 23)).join('\n'));
}

/** A fixed shuffle: other batch mates and other padding for every text than in the previous order. */
function shuffled<T>(items: readonly T[]): T[] {
  return items
    .map((item, i) => [(i * 7919) % items.length, item] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, item]) => item);
}

/** Each text's rows as bytes, for every order, encoded `batchSize` texts per run on `threads` threads. */
async function rowsByText(
  options: EncoderOptions,
  orders: readonly (readonly string[])[],
  batchSize: number,
  threads: number,
) {
  const encoder: TokenEncoder = await createEncoder(testEncoderOptions({ ...options, batchSize, threads }));
  try {
    const results: Map<string, string>[] = [];
    for (const order of orders) {
      // One text per call when batches are of one: no padding, no batch mates.
      const calls = batchSize === 1 ? order.map((text) => [text]) : [order];
      const rows = new Map<string, string>();
      for (const call of calls) {
        const batch = await encoder.encode(call);
        const dim = encoder.dim as number;
        call.forEach((text, i) =>
          rows.set(text, Buffer.from(textVectors(batch, dim, i).slice().buffer).toString('base64')),
        );
      }
      results.push(rows);
    }
    return results;
  } finally {
    await encoder.close();
  }
}

describe("a chunk's vectors do not depend on its batch", () => {
  const folder = mkdtempSync(join(tmpdir(), 'xtr-invariance-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  const model = writeTestModel(folder, { trainingFiles: [join(__dirname, 'batched-encoder.ts')], projectionDim: 16 });
  // Windows of 32 tokens: most texts are read in several, batched apart from each other.
  const windows = { overflow: 'window', maxLength: 32, stride: 8 } as const;
  const transformer = { model: model.model, tokenizer: model.tokenizer };
  const encoders: [string, EncoderOptions][] = [
    ['builtin:hash', { model: 'builtin:hash' }],
    ['a generated transformer with a projection', transformer],
    ['builtin:hash in windows', { model: 'builtin:hash', ...windows }],
    ['a generated transformer with a projection in windows', { ...transformer, ...windows }],
  ];

  it.each(
    encoders.flatMap(([name, options]) =>
      // Windows only pick rows: the float16 cast before them is covered by the other encoders.
      (options.overflow ? (['float32'] as const) : (['float32', 'float16'] as const)).map(
        (dtype) => [name, dtype, options] as const,
      ),
    ),
  )('%s, %s: alone, in batches of 2, 8 and 24 in two orders, on 1 and 2 threads', async (_, dtype, options) => {
    const all = texts();
    const withDtype = { ...options, outputDtype: dtype };
    const [alone] = await rowsByText(withDtype, [all], 1, 1);
    for (const threads of [1, 2]) {
      for (const batchSize of [2, 8, 24]) {
        for (const batched of await rowsByText(withDtype, [all, shuffled(all)], batchSize, threads)) {
          const differing = all.filter((text) => batched.get(text) !== alone.get(text));
          expect({ threads, batchSize, differing: differing.length }).toEqual({ threads, batchSize, differing: 0 });
        }
      }
    }
  });
});
