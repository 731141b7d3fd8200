import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RemoteCache, startRemoteCache } from './server';

const RW = 'rw-token-0123456789';
const RO = 'ro-token-0123456789';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP request; `body` is sent with its exact length unless `headers` say otherwise. */
function send(
  cache: RemoteCache,
  method: string,
  path: string,
  options: { token?: string | null; body?: Buffer; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const token = options.token === undefined ? RW : options.token;
  const headers: Record<string, string> = {
    ...(token === null ? {} : { Authorization: `Bearer ${token}` }),
    ...(options.body ? { 'Content-Type': 'application/octet-stream', 'Content-Length': `${options.body.length}` } : {}),
    ...options.headers,
  };
  return new Promise((resolve, reject) => {
    const req = request(cache.url + path, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const put = (cache: RemoteCache, hash: string, body: Buffer, token?: string | null) =>
  send(cache, 'PUT', `/v1/cache/${hash}`, { body, token });
const get = (cache: RemoteCache, hash: string, token?: string | null) =>
  send(cache, 'GET', `/v1/cache/${hash}`, { token });

/** Raw bytes over TCP: for what a well-behaved HTTP client will not send. */
function raw(
  cache: RemoteCache,
  data: string | Buffer,
  then: 'half-close' | 'wait' | 'destroy' = 'wait',
): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(cache.port, '127.0.0.1');
    let out = '';
    socket.on('data', (chunk) => (out += chunk.toString('latin1')));
    socket.on('close', () => resolve(out));
    socket.on('error', () => undefined);
    socket.write(data, () => {
      if (then === 'half-close') socket.end();
      if (then === 'destroy') socket.destroy();
    });
  });
}

const status = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Polls until `check` holds (cleanup after a dropped upload finishes just after the client sees it). */
async function eventually(check: () => boolean, ms = 2000) {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await delay(20);
  return check();
}
const entries = (cache: RemoteCache) => readdirSync(join(cache.dir, 'entries'));
const incoming = (cache: RemoteCache) => readdirSync(join(cache.dir, 'incoming'));

describe('remote cache server', () => {
  let cache: RemoteCache;

  beforeEach(async () => {
    cache = await startRemoteCache({ tokens: { readWrite: [RW], readOnly: [RO] }, bodyIdleTimeoutMs: 300 });
  });
  afterEach(async () => {
    await cache.close();
  });

  describe('authentication', () => {
    it('answers 401, as text/plain, without a token or with an unknown one', async () => {
      for (const token of [null, 'wrong-token', `${RW}x`, RW.slice(0, -1)]) {
        for (const reply of [await get(cache, '123', token), await put(cache, '123', Buffer.from('x'), token)]) {
          expect(reply.status).toBe(401);
          // Nx shows a 401's body only when Content-Type is exactly text/plain.
          expect(reply.headers['content-type']).toBe('text/plain');
          expect(reply.headers['www-authenticate']).toBe('Bearer');
          expect(reply.body.toString()).toMatch(/token/);
        }
      }
      expect(cache.stats.unauthorized).toBe(8);
      expect(entries(cache)).toEqual([]);
    });

    it('accepts only the Bearer scheme', async () => {
      for (const authorization of [RW, `Basic ${RW}`, `bearer  ${RW}`, `Bearer ${RW} extra`]) {
        const reply = await send(cache, 'GET', '/v1/cache/123', { token: null, headers: { authorization } });
        expect(reply.status).toBe(401);
      }
    });

    it('answers 403 to a read-only token that tries to write, and stores nothing', async () => {
      const reply = await put(cache, '123', randomBytes(1000), RO);
      expect(reply.status).toBe(403);
      expect(reply.headers['content-type']).toBe('text/plain');
      expect(cache.stats.forbidden).toBe(1);
      expect((await get(cache, '123', RO)).status).toBe(404);
      expect(entries(cache)).toEqual([]);
    });

    it('lets a read-only token read', async () => {
      const body = randomBytes(1000);
      expect((await put(cache, '123', body)).status).toBe(200);
      const reply = await get(cache, '123', RO);
      expect(reply.status).toBe(200);
      expect(reply.body.equals(body)).toBe(true);
    });
  });

  describe('PUT then GET', () => {
    it('round-trips bytes identically, streamed in many chunks', async () => {
      const body = randomBytes(5 * 1024 * 1024 + 7);
      const stored = await put(cache, '13724849017426016591', body);
      expect(stored.status).toBe(200);
      const reply = await get(cache, '13724849017426016591');
      expect(reply.status).toBe(200);
      expect(reply.headers['content-type']).toBe('application/octet-stream');
      expect(reply.headers['content-length']).toBe(`${body.length}`);
      expect(reply.body.equals(body)).toBe(true);
      expect(cache.stats).toMatchObject({ gets: 1, hits: 1, puts: 1, conflicts: 0 });
      expect(incoming(cache)).toEqual([]);
    });

    it('stores an empty body', async () => {
      expect((await put(cache, 'empty', Buffer.alloc(0))).status).toBe(200);
      const reply = await get(cache, 'empty');
      expect(reply.status).toBe(200);
      expect(reply.body.length).toBe(0);
    });

    it('answers 404 for a hash it does not have', async () => {
      const reply = await get(cache, '999');
      expect(reply.status).toBe(404);
      expect(cache.stats).toMatchObject({ gets: 1, hits: 0 });
    });

    it('never overwrites: a second PUT of a hash is 409 and the first content stays', async () => {
      const first = randomBytes(2000);
      expect((await put(cache, '42', first)).status).toBe(200);
      const second = await put(cache, '42', randomBytes(3000));
      expect(second.status).toBe(409);
      expect(cache.stats.conflicts).toBe(1);
      expect((await get(cache, '42')).body.equals(first)).toBe(true);
    });

    it('lets exactly one of many concurrent PUTs of a hash win', async () => {
      const bodies = Array.from({ length: 8 }, () => randomBytes(256 * 1024));
      const replies = await Promise.all(bodies.map((body) => put(cache, '7', body)));
      const winners = replies.map((reply, i) => (reply.status === 200 ? i : -1)).filter((i) => i >= 0);
      expect(winners).toHaveLength(1);
      expect(replies.filter((reply) => reply.status === 409)).toHaveLength(7);
      expect((await get(cache, '7')).body.equals(bodies[winners[0]])).toBe(true);
      expect(incoming(cache)).toEqual([]);
    });

    it('never shows a half-written entry to a concurrent GET', async () => {
      const body = randomBytes(64 * 1024);
      const head = `PUT /v1/cache/55 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${RW}\r\nContent-Length: ${body.length}\r\n\r\n`;
      const socket = connect(cache.port, '127.0.0.1');
      let answer = '';
      const answered = new Promise<void>((resolve) => {
        socket.on('data', (chunk) => {
          answer += chunk.toString('latin1');
          if (answer.includes('\r\n\r\n')) resolve();
        });
      });
      socket.write(head);
      socket.write(body.subarray(0, 40_000));
      await delay(100);
      expect((await get(cache, '55')).status).toBe(404);
      socket.write(body.subarray(40_000));
      await answered;
      socket.destroy();
      expect(status(answer)).toBe(200);
      expect((await get(cache, '55')).body.equals(body)).toBe(true);
    });
  });

  describe('rejected uploads', () => {
    const head = (hash: string, length: number | null, extra = '') =>
      `PUT /v1/cache/${hash} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${RW}\r\n` +
      (length === null ? '' : `Content-Length: ${length}\r\n`) +
      extra +
      '\r\n';

    it('answers 400 to a body shorter than Content-Length that stalls, and stores nothing', async () => {
      const answer = await raw(cache, head('1', 1000) + 'x'.repeat(600));
      expect(status(answer)).toBe(400);
      expect(answer).toMatch(/body is 600 bytes, then stalled, Content-Length says 1000: not stored/);
      expect((await get(cache, '1')).status).toBe(404);
      expect(incoming(cache)).toEqual([]);
      expect(cache.stats.puts).toBe(0);
    });

    it('answers 400 to a body cut short by the client closing its side, and stores nothing', async () => {
      const answer = await raw(cache, head('2', 1000) + 'x'.repeat(600), 'half-close');
      // Node's HTTP parser answers this one itself: the request ended before its body did.
      expect(status(answer)).toBe(400);
      expect(await eventually(() => cache.stats.rejected === 1 && incoming(cache).length === 0)).toBe(true);
      expect((await get(cache, '2')).status).toBe(404);
    });

    it('stores nothing when the client disconnects mid-body', async () => {
      await raw(cache, head('3', 100_000) + 'x'.repeat(50_000), 'destroy');
      expect(await eventually(() => cache.stats.rejected === 1 && incoming(cache).length === 0)).toBe(true);
      expect((await get(cache, '3')).status).toBe(404);
    });

    it('answers 400 without Content-Length (chunked upload) or with a malformed one', async () => {
      const chunked = await raw(cache, head('4', null, 'Transfer-Encoding: chunked\r\n') + '3\r\nabc\r\n0\r\n\r\n');
      expect(status(chunked)).toBe(400);
      expect(chunked).toMatch(/Content-Length is required/);
      const none = await raw(cache, head('4', null, 'Connection: close\r\n'));
      expect(status(none)).toBe(400);
      expect((await get(cache, '4')).status).toBe(404);
    });

    it('answers 413 to a body larger than maxBytes', async () => {
      const small = await startRemoteCache({ tokens: { readWrite: [RW] }, maxBytes: 1000 });
      try {
        expect((await put(small, '5', randomBytes(1001))).status).toBe(413);
        expect((await put(small, '5', randomBytes(1000))).status).toBe(200);
      } finally {
        await small.close();
      }
    });
  });

  describe('hash validation', () => {
    it('rejects path traversal and anything but 1-128 alphanumerics, touching no file', async () => {
      const parent = mkdtempSync(join(tmpdir(), 'nx-remote-cache-spec-'));
      const dir = join(parent, 'store');
      const contained = await startRemoteCache({ dir, tokens: { readWrite: [RW] } });
      try {
        const bad = [
          '../escape',
          '..%2Fescape',
          '%2e%2e%2fescape',
          '..',
          '.',
          'a/b',
          'a%2Fb',
          'abc.def',
          'abc-def',
          '%00',
          'a'.repeat(129),
        ];
        for (const hash of bad) {
          const response = await raw(
            contained,
            `PUT /v1/cache/${hash} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${RW}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nPWNED`,
          );
          expect([hash, status(response)]).toEqual([hash, 400]);
          const read = await raw(
            contained,
            `GET /v1/cache/${hash} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${RW}\r\nConnection: close\r\n\r\n`,
          );
          expect([hash, status(read)]).toEqual([hash, 400]);
        }
        expect(readdirSync(parent)).toEqual(['store']);
        expect(readdirSync(dir).sort()).toEqual(['entries', 'incoming']);
        expect(entries(contained)).toEqual([]);
        expect((await put(contained, 'a'.repeat(128), Buffer.from('ok'))).status).toBe(200);
      } finally {
        await contained.close();
        rmSync(parent, { recursive: true, force: true });
      }
    });

    it('answers 404 outside /v1/cache/ and 405 to other methods', async () => {
      expect((await send(cache, 'GET', '/')).status).toBe(404);
      expect((await send(cache, 'GET', '/v2/cache/123')).status).toBe(404);
      const del = await send(cache, 'DELETE', '/v1/cache/123');
      expect(del.status).toBe(405);
      expect(del.headers.allow).toBe('GET, PUT');
    });
  });

  describe('binding', () => {
    it.each(['0.0.0.0', '::', 'localhost', '192.168.1.10', '10.0.0.1', ''])('refuses to bind %j', async (host) => {
      await expect(startRemoteCache({ host, tokens: { readWrite: [RW] } })).rejects.toThrow(/loopback/);
    });

    it('binds 127.0.0.1 by default, on a free port', () => {
      expect(cache.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(cache.port).toBeGreaterThan(0);
    });

    it('binds ::1 when the machine has IPv6 loopback', async () => {
      let six: RemoteCache;
      try {
        six = await startRemoteCache({ host: '::1', tokens: { readWrite: [RW] } });
      } catch (error) {
        if (/EADDRNOTAVAIL|EAFNOSUPPORT/.test(String(error))) return; // no IPv6 here
        throw error;
      }
      try {
        expect(six.url).toBe(`http://[::1]:${six.port}`);
        expect((await put(six, '1', Buffer.from('six'))).status).toBe(200);
      } finally {
        await six.close();
      }
    });

    it('rejects unusable tokens', async () => {
      await expect(startRemoteCache({ tokens: { readWrite: ['has space'] } })).rejects.toThrow(/tokens/);
      await expect(startRemoteCache({ tokens: { readWrite: [''] } })).rejects.toThrow(/tokens/);
      await expect(startRemoteCache({ tokens: { readWrite: ['t'], readOnly: ['t'] } })).rejects.toThrow(/both/);
    });
  });

  describe('hang', () => {
    it('accepts the request and never answers; close() drops the connection', async () => {
      const hung = await startRemoteCache({ tokens: { readWrite: [RW] }, hang: true });
      let settled = false;
      const reply = get(hung, '123').then(
        () => 'answered',
        (error: Error) => error.message,
      );
      void reply.then(() => (settled = true));
      await delay(1000);
      expect(settled).toBe(false);
      expect(hung.stats.hung).toBe(1);
      await hung.close();
      expect(await reply).toMatch(/socket hang up|ECONNRESET/);
    });
  });

  describe('temp folders', () => {
    it('removes the folder it created, once, and keeps a given one', async () => {
      const own = await startRemoteCache({ tokens: { readWrite: [RW] } });
      expect((await put(own, '1', Buffer.from('x'))).status).toBe(200);
      expect(existsSync(own.dir)).toBe(true);
      await own.close();
      await own.close();
      expect(existsSync(own.dir)).toBe(false);

      const parent = mkdtempSync(join(tmpdir(), 'nx-remote-cache-spec-'));
      try {
        const given = await startRemoteCache({ dir: parent, tokens: { readWrite: [RW] } });
        expect((await put(given, '1', Buffer.from('kept'))).status).toBe(200);
        await given.close();
        expect(readdirSync(join(parent, 'entries'))).toEqual(['1']);
        // A second server on the same folder sees the entry and still refuses to overwrite it.
        const again = await startRemoteCache({ dir: parent, tokens: { readWrite: [RW] } });
        expect((await get(again, '1')).body.toString()).toBe('kept');
        expect((await put(again, '1', Buffer.from('new'))).status).toBe(409);
        await again.close();
      } finally {
        rmSync(parent, { recursive: true, force: true });
      }
    });
  });
});
