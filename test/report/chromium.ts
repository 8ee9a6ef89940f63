import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../src/report/writeReport.js';

/** Runs the real headless Chromium (as the report's --pdf does) with a throwaway profile in `dir`. */
export function chromium(dir: string, args: readonly string[], profile: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${join(dir, profile)}`, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? -1, stdout, stderr }));
  });
}
