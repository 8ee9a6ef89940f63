import { spawn } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { BIN, hoptrace, tempDir } from './cli.js';

/** The demo case (samples/), built by the real CLI as the demo test does; its path. */
export function buildDemoCase(): string {
  const out = join(tempDir('hoptrace-workbench-'), 'demo');
  const run = hoptrace(['demo', '--out', out, '--no-timestamp']);
  if (run.status !== 0) throw new Error(`demo failed: ${run.stderr}`);
  return join(out, 'case.db');
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request (node:http, so the Host header can be anything a browser or attacker sends). */
export function http(port: number, method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    // A fresh connection each time (agent: false): a kept-alive socket the server has since timed
    // out (5 s between two requests of a slow test) would fail with ECONNRESET.
    const req = request({ host: '127.0.0.1', port, method, path, agent: false, headers: { Host: `127.0.0.1:${port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

// Kevin Schulz's mule account (samples/bank/mule-kevin-schulz.csv) and the OTC desk's bank account.
export const KEVIN = 'DE29100100100987654321';
export const GOLDEN_LOTUS_BANK = 'DE80700700100777888999';
export const ANNA = 'DE68500105174417320965';

export interface ServeProcess {
  printed: string;
  port: number;
  headers: Record<string, string>;
  stderr(): string;
  /** POSTs JSON to this workbench (or to `port` with `headers`). */
  post(path: string, body: unknown, port?: number, headers?: Record<string, string>): Promise<HttpAnswer>;
  kill(): void;
}

/** `hoptrace --db CASE serve --write` (a case file or a PostgreSQL URL) in its own process, once it printed its address. */
export async function serveWrite(url: string, env: Record<string, string> = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, '--db', url, 'serve', '--write', '--port', '0'], { env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const printed = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      if (/token=\S+\n/.test(text)) resolve(text);
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  const address = new URL(/http:\/\/\S+/.exec(printed)![0]);
  const port = Number(address.port);
  const headers = { Authorization: `Bearer ${address.searchParams.get('token')}`, 'Content-Type': 'application/json' };
  return {
    printed,
    port,
    headers,
    stderr: () => stderr,
    post: (path, body, to = port, using = headers) => http(to, 'POST', path, { headers: using, body: JSON.stringify(body) }),
    kill: () => child.kill('SIGTERM'),
  };
}
