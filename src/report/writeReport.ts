import { HoptraceError } from '../model/errors.js';
import type { TraceResult } from '../model/trace.js';
import type { ReportOptions } from './evidenceSections.js';
import { writeCsv } from './writeCsv.js';
import { writeHtml } from './writeHtml.js';
import { writeJson } from './writeJson.js';
import { writeMarkdown } from './writeMarkdown.js';

export type { ReportOptions } from './evidenceSections.js';
export { CHROMIUM, CHROMIUM_FLAGS, renderPdf } from './renderPdf.js';

export const REPORT_FORMATS = ['md', 'html', 'json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** The report of a trace in one format, as text. Pure: the same result and options give the same bytes. */
export function writeReport(result: TraceResult, format: ReportFormat, options: ReportOptions): string {
  switch (format) {
    case 'md':
      return writeMarkdown(result, options);
    case 'html':
      return writeHtml(result, options);
    case 'csv':
      return writeCsv(result);
    case 'json':
      return writeJson(result, options);
    default:
      throw new HoptraceError(`unknown report format ${JSON.stringify(format)}`, { hint: `use ${REPORT_FORMATS.join(', ')}` });
  }
}

/** The format a report file's name asks for: .md/.markdown, .html/.htm, .json, .csv. */
export function reportFormatOf(path: string): ReportFormat {
  const ext = path.toLowerCase().split('.').pop();
  const format = ext === 'markdown' ? 'md' : ext === 'htm' ? 'html' : ext;
  if (!(REPORT_FORMATS as readonly string[]).includes(format ?? ''))
    throw new HoptraceError(`cannot tell the report format from ${JSON.stringify(path)}`, { hint: 'name it .md, .html, .json or .csv, or give --format' });
  return format as ReportFormat;
}
