import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../demo/samplesDir.js';
import { CaseBusyError, HoptraceError } from '../model/errors.js';
import { openCaseDb, type Db } from '../store/caseStore.js';
import { ApiError, handleGet, handlePost, type ApiContext, type CaseWriter } from './api.js';
import { pageHtml, unauthorisedHtml } from './page.js';

/**
 * `hoptrace serve`: one page and a JSON API over the case file, for one investigator on this
 * machine. The case holds personal data, so every answer needs the random token printed with the
 * URL (kept in an HttpOnly, SameSite=Strict cookie), the Host header must name this server (no
 * DNS rebinding), nothing is loaded from elsewhere (CSP), and the case is opened read-only
 * unless --write.
 */
export interface ServeOptions {
  casePath: string;
  /** The case as traces name it, when casePath is a working copy of a PostgreSQL case. */
  caseName?: string;
  host: string;
  port: number;
  write: boolean;
  /** How --write stores notes and assertions, when not into casePath itself (a PostgreSQL case's working copy). */
  writer?: CaseWriter;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
  /** How long a note waits for another process writing the case file (default SERVE_BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

/**
 * better-sqlite3 waits for a busy case file synchronously, and every request of the workbench waits
 * with it: so a write gives up after 2 s by default (not the CLI's 60 s) and answers 503 with
 * Retry-After (docs/workbench.md, "--write").
 */
const SERVE_BUSY_TIMEOUT_MS = 2_000;

export interface RunningServer {
  url: string;
  token: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Cache-Control': 'no-store',
};

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const db: Db = openCaseDb(options.casePath, { readonly: !options.write, busyTimeoutMs: options.busyTimeoutMs ?? SERVE_BUSY_TIMEOUT_MS });
  // Pages read through a memory map, not a read() call each: a hub's counterparty window reads
  // 20,000 rows from all over the file (bench/serve.bench.ts measured about 1.5× faster).
  db.pragma('mmap_size = 1073741824');
  const token = options.token ?? randomBytes(24).toString('base64url');
  const ctx: ApiContext = {
    db,
    casePath: options.casePath,
    ...(options.caseName === undefined ? {} : { caseName: options.caseName }),
    write: options.write,
    ...(options.writer === undefined ? {} : { writer: options.writer }),
  };
  const assets = join(packageRoot(), 'dist', 'web');
  let allowedHosts = new Set<string>();
  // Cookies ignore ports: one name per port, so two workbenches on this machine (two cases) do not
  // overwrite each other's token.
  let cookie = 'hoptrace_token';
  const server = createServer((request, response) => {
    try {
      handle(request, response);
    } catch (error) {
      fail(response, error);
    }
  });

  function handle(request: IncomingMessage, response: ServerResponse): void {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const host = request.headers.host ?? '';
    if (!allowedHosts.has(host.toLowerCase()))
      return send(response, 421, 'text/plain; charset=utf-8', `hoptrace serve: unknown Host ${JSON.stringify(host)}\n`);
    const url = new URL(request.url ?? '/', `http://${host}`);
    const path = url.pathname;
    if (request.method === 'GET' && (path === '/app.js' || path === '/app.css')) return sendAsset(response, path.slice(1));
    if (path === '/favicon.ico') return send(response, 204, 'text/plain; charset=utf-8', '');
    if (request.method === 'GET' && (path === '/' || path === '/index.html')) {
      const offered = url.searchParams.get('token');
      if (offered !== null) {
        if (!same(offered, token)) return send(response, 401, 'text/html; charset=utf-8', unauthorisedHtml());
        // The token goes into the cookie and out of the address bar (history, screenshots).
        url.searchParams.delete('token');
        response.setHeader('Set-Cookie', `${cookie}=${token}; HttpOnly; SameSite=Strict; Path=/`);
        response.setHeader('Location', `/${url.search}`);
        return send(response, 303, 'text/plain; charset=utf-8', '');
      }
      if (!authorised(request)) return send(response, 401, 'text/html; charset=utf-8', unauthorisedHtml());
      return send(response, 200, 'text/html; charset=utf-8', pageHtml({ write: options.write }));
    }
    if (!path.startsWith('/api/')) return sendJson(response, 404, { error: `no page ${path}` });
    if (!authorised(request)) return sendJson(response, 401, { error: 'open the URL hoptrace serve printed (it carries the token)' });
    if (request.method === 'GET') {
      const answer = handleGet(ctx, path, url.searchParams);
      return sendJson(response, answer.status, answer.body);
    }
    if (request.method === 'POST') {
      const origin = request.headers.origin;
      if (origin !== undefined && !allowedHosts.has(origin.replace(/^http:\/\//, '').toLowerCase()))
        return sendJson(response, 403, { error: `cross-origin request from ${origin}` });
      if (!(request.headers['content-type'] ?? '').startsWith('application/json'))
        return sendJson(response, 415, { error: 'send JSON (Content-Type: application/json)' });
      readBody(request, async (error, text) => {
        try {
          if (error) throw error;
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            throw new ApiError(400, 'the body is not JSON');
          }
          const answer = await handlePost(ctx, path, body);
          if (answer.file) {
            // A download, never a page of this origin: the report carries its own inline styles.
            response.setHeader('Content-Disposition', `attachment; filename="${answer.file.name}"`);
            send(response, answer.status, answer.file.type, answer.file.text);
          } else sendJson(response, answer.status, answer.body);
        } catch (failure) {
          fail(response, failure);
        }
      });
      return;
    }
    response.setHeader('Allow', 'GET, POST');
    return sendJson(response, 405, { error: `method ${request.method} not allowed` });
  }

  function authorised(request: IncomingMessage): boolean {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ') && same(header.slice(7), token)) return true;
    for (const part of (request.headers.cookie ?? '').split(';')) {
      const [name, ...value] = part.trim().split('=');
      if (name === cookie && same(value.join('='), token)) return true;
    }
    return false;
  }

  function sendAsset(response: ServerResponse, name: string): void {
    const file = join(assets, name);
    if (!existsSync(file)) return send(response, 500, 'text/plain; charset=utf-8', `hoptrace serve: ${file} is missing: run npm run build\n`);
    send(response, 200, name.endsWith('.js') ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8', readFileSync(file));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      db.close();
      reject(new HoptraceError(`cannot listen on ${options.host}:${options.port}: ${error.code ?? error.message}`, { hint: 'choose another --port' }));
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  allowedHosts = hostsFor(options.host, port);
  cookie = `hoptrace_token_${port}`;
  const shown = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shown}:${port}/?token=${token}`,
    token,
    port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          db.close();
          resolve();
        });
      }),
  };
}

/** The Host headers this server answers to: its own names, never a name an attacker's DNS points here. */
function hostsFor(host: string, port: number): Set<string> {
  const names = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (host === '0.0.0.0' || host === '::') {
    for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.add(a.family === 'IPv6' ? `[${a.address}]` : a.address);
  } else names.add(host.includes(':') ? `[${host.toLowerCase()}]` : host.toLowerCase());
  return new Set([...names].map((name) => `${name}:${port}`));
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function readBody(request: IncomingMessage, done: (error: Error | null, text: string) => Promise<void>): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let failed = false;
  request.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > BODY_LIMIT && !failed) {
      failed = true;
      void done(new ApiError(413, `the body is larger than ${BODY_LIMIT} bytes`), '');
    } else if (!failed) chunks.push(chunk);
  });
  request.on('end', () => {
    if (!failed) void done(null, Buffer.concat(chunks).toString('utf8'));
  });
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.statusCode = status;
  response.setHeader('Content-Type', type);
  response.end(body);
}

/** JSON as the CLI prints it (two-space indent, final newline), so answers equal `--json` output byte for byte. */
function sendJson(response: ServerResponse, status: number, body: unknown): void {
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(body, null, 2) + '\n');
}

function fail(response: ServerResponse, error: unknown): void {
  if (response.headersSent) return void response.end();
  if (error instanceof ApiError) return sendJson(response, error.status, { error: error.message });
  // A busy case stored nothing and the same request can succeed later: 503 with Retry-After, so a
  // client can tell it from a request that is wrong (docs/workbench.md).
  if (error instanceof CaseBusyError) {
    response.setHeader('Retry-After', '1');
    return sendJson(response, 503, { error: error.describe() });
  }
  if (error instanceof HoptraceError) return sendJson(response, 400, { error: error.describe() });
  process.stderr.write(`hoptrace serve: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  sendJson(response, 500, { error: 'internal error (see the server log)' });
}
