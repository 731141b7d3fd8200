/**
 * A small self-hosted remote cache server for Nx, for tests: the `/v1/cache/{hash}` protocol of Nx's
 * published OpenAPI spec ("Build your own caching server", Nx 20.8+), as Nx 23.2.1's client
 * (`HttpRemoteCache`, in Rust) actually speaks it. See README.md beside this file.
 *
 *   PUT /v1/cache/{hash}  body: the task's artifact (a gzipped tar), Content-Length required
 *     200 stored · 400 bad hash / bad or missing Content-Length / body shorter than announced
 *     401 no or unknown bearer token · 403 read-only token · 409 hash already stored (never overwritten)
 *     413 larger than `maxBytes`
 *   GET /v1/cache/{hash}
 *     200 the stored bytes · 400 bad hash · 401 / 403 as above · 404 not stored
 *
 * Loopback only, entries written to a temp file and published atomically (a concurrent GET sees a
 * whole entry or none), bodies streamed both ways.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { link, open, rename, stat, unlink } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface RemoteCacheOptions {
  /** Where entries live. Default: a new temp folder, removed by `close()` (a given `dir` is kept). */
  dir?: string;
  /** Bearer tokens: `readWrite` may GET and PUT, `readOnly` may only GET. */
  tokens: { readWrite: string[]; readOnly?: string[] };
  /** Only `127.0.0.1` or `::1`: anything else is refused. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Accept connections and read requests, but never answer any. */
  hang?: boolean;
  /** PUT bodies larger than this are refused with 413. Default 1 GiB. */
  maxBytes?: number;
  /** A PUT body that stalls this long is refused with 400 and not stored. Default 30 s. */
  bodyIdleTimeoutMs?: number;
}

/** Counters, updated live. */
export interface RemoteCacheStats {
  /** Authorized GETs of a valid hash (hits and misses). */
  gets: number;
  /** GETs answered 200. */
  hits: number;
  /** PUTs stored (200). */
  puts: number;
  /** PUTs refused with 409: the hash was already stored. */
  conflicts: number;
  /** Requests refused with 401. */
  unauthorized: number;
  /** Requests refused with 403 (a read-only token tried to PUT). */
  forbidden: number;
  /** PUTs refused with 400 or 413 (bad Content-Length, short body, too large), or a bad hash. */
  rejected: number;
  /** Requests received and never answered (`hang: true`). */
  hung: number;
}

export interface RemoteCache {
  /** Base URL for `NX_SELF_HOSTED_REMOTE_CACHE_SERVER` (no trailing slash: Nx appends `/v1/cache/{hash}`). */
  url: string;
  port: number;
  /** The folder holding the entries. */
  dir: string;
  stats: Readonly<RemoteCacheStats>;
  /** Stops listening, drops open connections, removes the temp folder (if the server made it). */
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1']);
/** Nx's task hashes are decimal strings of a u64; allow any alphanumeric key of a sane length. */
const HASH = /^[A-Za-z0-9]{1,128}$/;
const PREFIX = '/v1/cache/';
const TOKEN = /^[\x21-\x7e]+$/;

export async function startRemoteCache(options: RemoteCacheOptions): Promise<RemoteCache> {
  const host = options.host ?? '127.0.0.1';
  if (!LOOPBACK.has(host)) {
    throw new Error(`remote cache: refusing to bind ${JSON.stringify(host)}: only 127.0.0.1 or ::1 (loopback)`);
  }
  const readWrite = options.tokens?.readWrite ?? [];
  const readOnly = options.tokens?.readOnly ?? [];
  for (const token of [...readWrite, ...readOnly]) {
    if (typeof token !== 'string' || !TOKEN.test(token)) {
      throw new Error('remote cache: tokens must be non-empty printable ASCII without spaces');
    }
  }
  if (readWrite.some((token) => readOnly.includes(token))) {
    throw new Error('remote cache: a token cannot be both read-write and read-only');
  }
  const maxBytes = options.maxBytes ?? 1024 ** 3;
  const idleMs = options.bodyIdleTimeoutMs ?? 30_000;

  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'nx-remote-cache-'));
  const entries = join(dir, 'entries');
  const incoming = join(dir, 'incoming');
  mkdirSync(entries, { recursive: true });
  mkdirSync(incoming, { recursive: true });

  const stats: RemoteCacheStats = {
    gets: 0,
    hits: 0,
    puts: 0,
    conflicts: 0,
    unauthorized: 0,
    forbidden: 0,
    rejected: 0,
    hung: 0,
  };

  // Compare digests, so neither the comparison time nor an early length mismatch leaks a token.
  const digest = (token: string) => createHash('sha256').update(token).digest();
  const rw = readWrite.map(digest);
  const ro = readOnly.map(digest);
  const matches = (known: Buffer[], given: Buffer) =>
    known.reduce((found, d) => timingSafeEqual(d, given) || found, false);

  function access(req: IncomingMessage): 'read-write' | 'read-only' | null {
    const match = /^Bearer ([\x21-\x7e]+)$/.exec(req.headers.authorization ?? '');
    if (!match) return null;
    const given = digest(match[1]);
    if (matches(rw, given)) return 'read-write';
    if (matches(ro, given)) return 'read-only';
    return null;
  }

  /**
   * Answers with a short text body. Nx reads the body of a 401 as the message to show the user, but
   * only when Content-Type is exactly `text/plain` (no charset); otherwise it reports a misconfigured
   * server instead.
   */
  function reply(req: IncomingMessage, res: ServerResponse, status: number, message: string, extra = {}) {
    if (res.headersSent) return;
    const body = Buffer.from(`${message}\n`);
    const readingBody = !req.complete;
    res.writeHead(status, {
      'Content-Type': 'text/plain',
      'Content-Length': body.length,
      ...(readingBody ? { Connection: 'close' } : {}),
      ...extra,
    });
    res.end(body);
    // An early answer to a PUT: discard the rest of the body rather than reset the connection
    // while the client is still sending (it would then miss the answer).
    if (readingBody) req.resume();
  }

  async function handleGet(req: IncomingMessage, res: ServerResponse, hash: string) {
    stats.gets++;
    let handle;
    try {
      handle = await open(join(entries, hash), 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reply(req, res, 404, 'not found');
      throw error;
    }
    // Entries are published whole and never rewritten, so the open file is the complete entry.
    const { size } = await handle.stat().catch(async (error: unknown) => {
      await handle.close();
      throw error;
    });
    stats.hits++;
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size });
    await pipeline(createReadStream('', { fd: handle, autoClose: true }), res);
  }

  async function exists(hash: string) {
    return stat(join(entries, hash)).then(
      () => true,
      () => false,
    );
  }

  async function handlePut(req: IncomingMessage, res: ServerResponse, hash: string) {
    const declared = req.headers['content-length'];
    if (req.headers['transfer-encoding'] !== undefined || declared === undefined || !/^\d+$/.test(declared)) {
      stats.rejected++;
      return reply(req, res, 400, 'Content-Length is required');
    }
    const expected = Number(declared);
    if (expected > maxBytes) {
      stats.rejected++;
      return reply(req, res, 413, `too large: ${expected} bytes > ${maxBytes}`);
    }
    if (await exists(hash)) {
      stats.conflicts++;
      return reply(req, res, 409, 'already stored: cannot override an existing record');
    }

    const temp = join(incoming, `${hash}.${process.pid}.${randomBytes(6).toString('hex')}`);
    let received = 0;
    let stalled = false;
    let timer: NodeJS.Timeout | undefined;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received += chunk.length;
        arm();
        done(null, chunk);
      },
    });
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = true;
        counter.destroy(new Error('body stalled'));
      }, idleMs);
    };
    // `req` is piped by hand, not through pipeline(): a failed pipeline destroys its source, and
    // destroying the request destroys the socket, leaving no way to answer 400.
    const gone = () => {
      if (!req.complete) counter.destroy(new Error('client went away'));
    };
    req.once('error', gone);
    req.once('close', gone);
    const written = pipeline(counter, createWriteStream(temp, { flags: 'wx' }));
    arm();
    req.pipe(counter);
    let failed = false;
    try {
      await written;
    } catch {
      failed = true;
    } finally {
      clearTimeout(timer);
      req.unpipe(counter);
      req.off('error', gone);
      req.off('close', gone);
    }
    if (failed || received !== expected) {
      await unlink(temp).catch(() => undefined);
      stats.rejected++;
      const why = stalled ? ', then stalled' : '';
      // If the client went away there is nobody to answer; otherwise say why and close.
      if (req.socket.writable && !res.writableEnded) {
        reply(req, res, 400, `body is ${received} bytes${why}, Content-Length says ${expected}: not stored`);
        res.once('finish', () => req.socket.destroy());
      } else {
        req.socket.destroy();
      }
      return;
    }

    // Publish atomically and without overwriting: link() fails with EEXIST if the hash was stored
    // meanwhile (a concurrent PUT won), where rename() would silently replace it.
    const target = join(entries, hash);
    try {
      await link(temp, target);
      await unlink(temp);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') {
        await unlink(temp).catch(() => undefined);
        stats.conflicts++;
        return reply(req, res, 409, 'already stored: cannot override an existing record');
      }
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw error;
      // A file system without hard links: rename is still atomic, the existence check is not.
      if (await exists(hash)) {
        await unlink(temp).catch(() => undefined);
        stats.conflicts++;
        return reply(req, res, 409, 'already stored: cannot override an existing record');
      }
      await rename(temp, target);
    }
    stats.puts++;
    reply(req, res, 200, 'stored');
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    if (options.hang) {
      stats.hung++;
      req.resume(); // read the whole request, answer nothing
      return;
    }
    const path = (req.url ?? '').split('?')[0];
    if (!path.startsWith(PREFIX)) return reply(req, res, 404, 'no such endpoint: use /v1/cache/{hash}');
    const grant = access(req);
    if (!grant) {
      stats.unauthorized++;
      return reply(req, res, 401, 'missing or invalid bearer token', { 'WWW-Authenticate': 'Bearer' });
    }
    // The raw path, never decoded: `..`, `%2e%2e`, slashes and the like all fail the pattern.
    const hash = path.slice(PREFIX.length);
    if (!HASH.test(hash)) {
      stats.rejected++;
      return reply(req, res, 400, 'invalid hash: expected 1-128 characters [A-Za-z0-9]');
    }
    if (req.method === 'GET') return handleGet(req, res, hash);
    if (req.method === 'PUT') {
      if (grant !== 'read-write') {
        stats.forbidden++;
        return reply(req, res, 403, 'this token is read-only: it may not write to the cache');
      }
      return handlePut(req, res, hash);
    }
    return reply(req, res, 405, 'method not allowed', { Allow: 'GET, PUT' });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(req, res, 500, `internal error: ${(error as Error).message}`);
      else res.destroy();
    });
  });
  // Our own idle timer guards PUT bodies; Node's whole-request timeout would otherwise answer 408.
  server.requestTimeout = 0;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? 0, exclusive: true }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  if (!LOOPBACK.has(address.address)) {
    server.close();
    throw new Error(`remote cache: bound ${address.address}, which is not loopback`);
  }
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;

  let closed: Promise<void> | undefined;
  return {
    url,
    port: address.port,
    dir,
    stats,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).then(() => {
        if (ownsDir) rmSync(dir, { recursive: true, force: true });
      });
      return closed;
    },
  };
}
