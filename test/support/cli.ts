import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const BIN = join(ROOT, 'bin', 'hoptrace');

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs the real, built CLI as a user would. */
export function hoptrace(args: readonly string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliRun {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempDir(prefix = 'hoptrace-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function fixture(...parts: string[]): string {
  return join(FIXTURES, ...parts);
}
