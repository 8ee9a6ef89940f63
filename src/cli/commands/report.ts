import { existsSync, writeFileSync } from 'node:fs';
import type { CaseNames } from '../../model/caseNames.js';
import { openCaseDb } from '../../store/caseStore.js';
import { selectCaseNames } from '../../store/caseNames.js';
import { traceAccountKeys } from '../../report/reportModel.js';
import { HoptraceError } from '../../model/errors.js';
import type { TraceResult } from '../../model/trace.js';
import { readTraceForReport } from '../../report/validateTrace.js';
import { renderPdf, REPORT_FORMATS, reportFormatOf, writeReport, type ReportFormat } from '../../report/writeReport.js';
import type { GlobalOptions } from '../context.js';

export interface ReportCliOptions {
  format?: string;
  out: string;
  /** commander's --no-timestamp: false leaves the date out. */
  timestamp: boolean;
  pdf?: string;
}

export interface ReportCliResult {
  trace: TraceResult;
  format: ReportFormat;
  out: string;
  pdf?: string;
}

/** `hoptrace report TRACE.json --format md|html|json|csv --out FILE [--no-timestamp] [--pdf FILE]`. */
/**
 * Names for the report from the trace's case file (--db, else HOPTRACE_DB, else the path the
 * trace records), read-only; null when there is none, and the report names accounts by the
 * trace's own labels.
 */
export function readCaseNames(globals: GlobalOptions, trace: TraceResult): CaseNames | null {
  const path = globals.db ?? (process.env['HOPTRACE_DB'] || trace.case.path);
  if (!path || path === ':memory:' || !existsSync(path)) {
    process.stderr.write(`hoptrace report: case file ${path || '(none)'} not found: accounts are named by the trace's own labels only (give --db CASE to name them by statements and tags)\n`);
    return null;
  }
  const db = openCaseDb(path, { readonly: true });
  try {
    return selectCaseNames(db, traceAccountKeys(trace));
  } finally {
    db.close();
  }
}

export async function runReport(globals: GlobalOptions, traceFile: string, options: ReportCliOptions): Promise<ReportCliResult> {
  if (options.format !== undefined && !(REPORT_FORMATS as readonly string[]).includes(options.format)) {
    throw new HoptraceError(`unknown report format ${JSON.stringify(options.format)}`, { hint: `use ${REPORT_FORMATS.join(', ')}` });
  }
  const format = (options.format as ReportFormat | undefined) ?? reportFormatOf(options.out);
  const trace = readTraceForReport(traceFile);
  // One timestamp for the report and its PDF, so the two say the same.
  const timestamp = options.timestamp === false ? null : new Date().toISOString();
  const names = format === 'html' || format === 'md' ? readCaseNames(globals, trace) : null;
  const text = writeReport(trace, format, { timestamp, names });
  try {
    writeFileSync(options.out, text);
  } catch (error) {
    throw new HoptraceError(`cannot write the report: ${(error as Error).message}`, { file: options.out });
  }
  if (options.pdf) renderPdf(format === 'html' ? text : writeReport(trace, 'html', { timestamp, names: names ?? readCaseNames(globals, trace) }), options.pdf);
  process.stderr.write(`${options.out}: ${format} report of ${trace.edges.length} hop${trace.edges.length === 1 ? '' : 's'}${options.pdf ? `; PDF ${options.pdf}` : ''}\n`);
  return { trace, format, out: options.out, ...(options.pdf ? { pdf: options.pdf } : {}) };
}
