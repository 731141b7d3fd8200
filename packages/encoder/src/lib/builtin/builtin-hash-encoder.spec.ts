import { createEncoder } from '../create-encoder';
import { splitCode } from './code-pretokenizer';
import type { EncodedBatch, TokenEncoder } from '../types';

function rows(batch: EncodedBatch, dim: number, text: number): ArrayLike<number>[] {
  const start = batch.lengths.slice(0, text).reduce((a, b) => a + b, 0);
  return Array.from({ length: batch.lengths[text] }, (_, t) =>
    batch.vectors.subarray((start + t) * dim, (start + t + 1) * dim),
  );
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

describe('builtin:hash encoder', () => {
  let encoder: TokenEncoder;
  beforeAll(async () => {
    encoder = await createEncoder({ model: 'builtin:hash', batchSize: 4, threads: 1 });
  });
  afterAll(() => encoder.close());

  const texts = [
    'export function getUserById(id: number) { return users.get(id); }',
    '',
    'SELECT id, content FROM chunks ORDER BY id',
    'x',
    'class UserRepository { findById(id) { return this.db.get(id) } }',
  ];

  it('emits 128-d unit vectors, one per token plus the document marker', async () => {
    const batch = await encoder.encode(texts);
    expect(encoder.dim).toBe(128);
    expect(Array.from(batch.lengths)).toEqual([22, 1, 10, 2, 23]);
    expect(Array.from(batch.lengths)).toEqual(texts.map((t) => splitCode(t).length + 1));
    expect(batch.vectors.length).toBe(58 * 128);
    for (let r = 0; r < 58; r++) {
      const v = batch.vectors.subarray(r * 128, (r + 1) * 128);
      expect(Math.sqrt(dot(v, v))).toBeCloseTo(1, 5);
    }
  });

  it('gives the same vectors batched as one text at a time', async () => {
    const batched = await encoder.encode(texts);
    let offset = 0;
    for (const text of texts) {
      const single = await encoder.encode([text]);
      const expected = batched.vectors.subarray(offset, offset + single.vectors.length);
      expect(maxAbsDiff(single.vectors, expected)).toBeLessThanOrEqual(1e-5);
      offset += single.vectors.length;
    }
  });

  it('truncates to maxLength tokens, the document marker included', async () => {
    const short = await createEncoder({ model: 'builtin:hash', maxLength: 5, threads: 1 });
    const batch = await short.encode([texts[0], 'a']);
    expect(Array.from(batch.lengths)).toEqual([5, 2]);
    await short.close();
  });

  it('matches identifiers lexically while keeping vectors contextual', async () => {
    const batch = await encoder.encode(['getUserById(id)', 'findUserByName(name)']);
    const [a, b] = [rows(batch, 128, 0), rows(batch, 128, 1)];
    // "user" is token 2 in both texts (after the marker and "get"/"find"): same piece, other neighbours.
    const sameWord = dot(a[2], b[2]);
    expect(sameWord).toBeGreaterThan(0.7);
    expect(sameWord).toBeLessThan(0.9999);
    expect(Math.abs(dot(a[1], b[1]))).toBeLessThan(0.5);
  });

  it('is deterministic across instances and has a stable fingerprint', async () => {
    const other = await createEncoder({ model: 'builtin:hash', threads: 1 });
    const [x, y] = [await encoder.encode(texts), await other.encode(texts)];
    expect(Buffer.from(x.vectors.buffer).equals(Buffer.from(y.vectors.buffer))).toBe(true);
    expect(other.fingerprint).toBe(encoder.fingerprint);
    const longer = await createEncoder({ model: 'builtin:hash', maxLength: 512, threads: 1 });
    expect(longer.fingerprint).not.toBe(encoder.fingerprint);
    await Promise.all([other.close(), longer.close()]);
  });

  it('rejects an unknown built-in and options it has no use for', async () => {
    await expect(createEncoder({ model: 'builtin:bm25' })).rejects.toThrow(
      /Unknown built-in encoder "builtin:bm25". Use "builtin:hash"/,
    );
    await expect(createEncoder({ model: 'builtin:hash', tokenizer: 't.json' })).rejects.toThrow(
      /remove encoder.tokenizer/,
    );
    await expect(createEncoder({ model: 'builtin:hash', normalize: false })).rejects.toThrow(
      /remove encoder.normalize/,
    );
    await expect(createEncoder({ model: 'builtin:hash', dim: 768 })).rejects.toThrow(
      /produces 128-wide vectors but "encoder.dim" is 768/,
    );
  });
});
