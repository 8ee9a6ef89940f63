import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HoptraceError } from '../model/errors.js';
import type { TraceResult } from '../model/trace.js';
import { writeCsv } from './writeCsv.js';
import { writeHtml } from './writeHtml.js';
import { writeMarkdown, type ReportOptions } from './writeMarkdown.js';

export const REPORT_FORMATS = ['md', 'html', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function writeReport(result: TraceResult, format: ReportFormat, options: ReportOptions): string {
  switch (format) {
    case 'md':
      return writeMarkdown(result, options);
    case 'html':
      return writeHtml(result, options);
    case 'csv':
      return writeCsv(result);
    case 'json':
      return JSON.stringify(result, null, 2) + '\n';
    default:
      throw new HoptraceError(`unknown report format ${JSON.stringify(format)}`, { hint: `use ${REPORT_FORMATS.join(', ')}` });
  }
}

export function reportFormatOf(path: string): ReportFormat {
  const ext = path.toLowerCase().split('.').pop();
  const format = ext === 'markdown' ? 'md' : ext === 'htm' ? 'html' : ext;
  if (!(REPORT_FORMATS as readonly string[]).includes(format ?? '')) throw new HoptraceError(`cannot tell the report format from ${JSON.stringify(path)}`, { hint: 'name it .md, .html, .json or .csv' });
  return format as ReportFormat;
}

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'];

/** Prints an HTML report to PDF with headless Chromium (installed separately). */
export function renderPdf(html: string, pdf: string): void {
  if (!existsSync(CHROMIUM)) throw new HoptraceError(`--pdf needs Chromium at ${CHROMIUM}`, { hint: 'apt-get install -y chromium' });
  const dir = mkdtempSync(join(tmpdir(), 'hoptrace-pdf-'));
  try {
    const page = join(dir, 'report.html');
    writeFileSync(page, html);
    const run = spawnSync(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${join(dir, 'profile')}`, '--no-pdf-header-footer', `--print-to-pdf=${resolve(pdf)}`, `file://${page}`], { encoding: 'utf8', timeout: 60_000 });
    if (run.status !== 0 || !existsSync(pdf)) throw new HoptraceError(`Chromium could not print the report: ${run.stderr.split('\n').slice(-3).join(' ')}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
