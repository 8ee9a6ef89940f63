import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HoptraceError } from '../model/errors.js';
import { writeOutputFile } from '../export/outputFile.js';

export const CHROMIUM = '/usr/bin/chromium';

/** Headless, offline, a throwaway profile: nothing is fetched, synced or remembered. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Prints an HTML report to PDF with headless Chromium (installed separately: apt-get install -y chromium). */
export function renderPdf(html: string, pdf: string): void {
  if (!existsSync(CHROMIUM)) throw new HoptraceError(`--pdf needs Chromium at ${CHROMIUM}`, { hint: 'apt-get install -y chromium (as .ci/run does)' });
  const dir = mkdtempSync(join(tmpdir(), 'hoptrace-pdf-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, html);
    // Printed beside the page, then copied into place: a print that fails leaves no half-written
    // PDF, and an earlier one at the path as it was.
    const printed = join(dir, 'report.pdf');
    const run = spawnSync(
      CHROMIUM,
      [...CHROMIUM_FLAGS, `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${printed}`, `file://${page}`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    if (run.error || run.status !== 0 || !existsSync(printed) || statSync(printed).size === 0) {
      const why = run.error ? run.error.message : (run.stderr ?? '').trim().split('\n').slice(-2).join(' ');
      throw new HoptraceError(`Chromium could not print the report to PDF${why ? `: ${why}` : ''}`, { file: pdf });
    }
    // Written beside the target and renamed over it, as every output file is: the path holds the
    // earlier PDF or the whole new one, never part of either.
    writeOutputFile(pdf, readFileSync(printed), 'PDF');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
