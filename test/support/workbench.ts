import { request } from 'node:http';
import { join } from 'node:path';
import { hoptrace, tempDir } from './cli.js';

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
