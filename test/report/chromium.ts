import { runProcess } from '../support/cli.js';
import { join } from 'node:path';
import { CHROMIUM, CHROMIUM_FLAGS } from '../../src/report/writeReport.js';

/** Runs the real headless Chromium (as the report's --pdf does) with a throwaway profile in `dir`. */
export function chromium(dir: string, args: readonly string[], profile: string): Promise<{ status: number; stdout: string; stderr: string }> {
  return runProcess(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${join(dir, profile)}`, ...args]);
}
