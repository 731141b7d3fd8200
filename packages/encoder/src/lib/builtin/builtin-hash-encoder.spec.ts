import { createEncoder } from '../create-encoder';
import { maxAbsDiff, testEncoderOptions, textVectors } from '../../testing';
import type { EncodedBatch, EncoderOptions, TokenEncoder } from '../types';

const hashEncoder = (options: Partial<EncoderOptions> = {}) =>
  createEncoder(testEncoderOptions({ model: 'builtin:hash', ...options }));

/** Token `token` of text `text`. */
function row(batch: EncodedBatch, text: number, token: number): ArrayLike<number> {
  return textVectors(batch, 128, text).subarray(token * 128, (token + 1) * 128);
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i] * b[i];
  return sum;
}

describe('builtin:hash encoder', () => {
  let encoder: TokenEncoder;
  beforeAll(async () => {
    encoder = await hashEncoder({ batchSize: 4 });
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
    // Counted by hand, marker first. 0: export function get user by id ( id : number ) { return
    // users . get ( id ) ; } — 1: nothing — 2: select id , content from chunks order by id —
    // 3: x — 4: class user repository { find by id ( id ) { return this . db . get ( id ) } }.
    expect(Array.from(batch.lengths)).toEqual([1 + 21, 1, 1 + 9, 1 + 1, 1 + 22]);
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
    const short = await hashEncoder({ maxLength: 5 });
    const batch = await short.encode([texts[0], 'a']);
    expect(Array.from(batch.lengths)).toEqual([5, 2]);
    await short.close();
  });

  it('matches identifiers lexically while keeping vectors contextual', async () => {
    const batch = await encoder.encode(['getUserById(id)', 'findUserByName(name)']);
    // "user" is token 2 in both texts (after the marker and "get"/"find"): same piece, other neighbours.
    const sameWord = dot(row(batch, 0, 2), row(batch, 1, 2));
    expect(sameWord).toBeGreaterThan(0.7);
    expect(sameWord).toBeLessThan(0.9999);
    expect(Math.abs(dot(row(batch, 0, 1), row(batch, 1, 1)))).toBeLessThan(0.5);
  });

  it('is deterministic across instances and has a stable fingerprint', async () => {
    const other = await hashEncoder();
    const [x, y] = [await encoder.encode(texts), await other.encode(texts)];
    expect(Buffer.from(x.vectors.buffer).equals(Buffer.from(y.vectors.buffer))).toBe(true);
    expect(other.fingerprint).toBe(encoder.fingerprint);
    const longer = await hashEncoder({ maxLength: 512 });
    expect(longer.fingerprint).not.toBe(encoder.fingerprint);
    await Promise.all([other.close(), longer.close()]);
  });

  it('fingerprints windows apart from truncation, and the stride only with windows', async () => {
    const fingerprint = async (options: Partial<EncoderOptions>) => {
      const other = await hashEncoder(options);
      await other.close();
      return other.fingerprint;
    };
    const truncating = await fingerprint({ overflow: 'truncate', stride: 32 });
    expect(await fingerprint({ overflow: 'truncate', stride: 8 })).toBe(truncating);
    const windowed = await fingerprint({ overflow: 'window', stride: 32 });
    expect(windowed).not.toBe(truncating);
    expect(await fingerprint({ overflow: 'window', stride: 8 })).not.toBe(windowed);
  });

  it('rejects an unknown built-in and options it has no use for', async () => {
    await expect(hashEncoder({ model: 'builtin:bm25' })).rejects.toThrow(
      /Unknown built-in encoder "builtin:bm25". Use "builtin:hash"/,
    );
    await expect(hashEncoder({ tokenizer: 't.json' })).rejects.toThrow(/remove encoder.tokenizer/);
    await expect(hashEncoder({ normalize: false })).rejects.toThrow(/remove encoder.normalize/);
    await expect(hashEncoder({ dim: 768 })).rejects.toThrow(/produces 128-wide vectors but "encoder.dim" is 768/);
  });
});
