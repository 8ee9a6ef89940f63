import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';

let demoCase: string | undefined;

/** The demo case (built once per test file), copied so each test changes its own case file. */
export function demoCaseCopy(): string {
  if (!demoCase || !existsSync(demoCase)) {
    const out = join(tempDir(), 'demo');
    const run = hoptrace(['demo', '--out', out, '--no-timestamp']);
    expect(run.status, run.stderr).toBe(0);
    demoCase = join(out, 'case.db');
  }
  const copy = join(tempDir(), 'case.db');
  copyFileSync(demoCase, copy);
  return copy;
}

/** `hoptrace --db DB ARGS…`, expecting exit 0; returns stdout. */
export function ok(db: string, ...args: string[]): string {
  const run = hoptrace(['--db', db, ...args]);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

export const infoJson = (db: string): string => ok(db, 'info', '--json');
