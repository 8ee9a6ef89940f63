import { writeOutputFile } from '../../export/outputFile.js';
import { existsSync } from 'node:fs';
import type { CaseNames } from '../../model/caseNames.js';
import { openCaseDb } from '../../store/caseStore.js';
import { inReadSnapshot } from '../../store/readSnapshot.js';
import { selectCaseNames } from '../../store/caseNames.js';
import { traceAccountKeys } from '../../report/reportModel.js';
import { checkTraceCaseFile } from '../../report/traceCaseCheck.js';
import { HoptraceError } from '../../model/errors.js';
import type { TraceResult } from '../../model/trace.js';
import { readTraceForReport } from '../../report/validateTrace.js';
import { renderPdf, reportFormatOf, writeReport, type ReportFormat } from '../../report/writeReport.js';
import { compareTraces } from '../../trace/compare.js';
import type { GlobalOptions } from '../options.js';
import { checkOutputFile } from '../outputPath.js';
import type { ReportCliOptions } from '../commands/report.js';

export interface ReportCliResult {
  trace: TraceResult;
  format: ReportFormat;
  out: string;
  pdf?: string;
}

/**
 * Names for the report from the trace's case file (--db, else HOPTRACE_DB, else the path the
 * trace records; a PostgreSQL case too), read-only; null when there is none, and the report names accounts by the
 * trace's own labels.
 */
export async function readCaseNames(globals: GlobalOptions, trace: TraceResult): Promise<CaseNames | null> {
  const named = globals.db ?? (process.env['HOPTRACE_DB'] || undefined);
  const path = named ?? trace.case.path;
  if (/^postgres(ql)?:\/\//i.test(path)) return (await import('./postgresRead.js')).readCaseNamesPg(path, trace);
  // A case named on the command line must be there (docs/cli.md: a typo in --db is an error); the
  // path a trace recorded may since have moved, and the trace's own labels are then the names.
  if (named !== undefined && named !== ':memory:' && !existsSync(named))
    throw new HoptraceError(`no case file at ${named}`, { hint: 'check --db (or HOPTRACE_DB), or leave it out to use the case the trace records' });
  if (!path || path === ':memory:' || !existsSync(path)) {
    process.stderr.write(
      `hoptrace report: case file ${path || '(none)'} not found: accounts are named by the trace's own labels only (give --db CASE to name them by statements and tags)\n`,
    );
    return null;
  }
  const db = openCaseDb(path, { readonly: true });
  try {
    // One snapshot: the log and the names read from the same state of the case.
    return inReadSnapshot(db, () => {
      const readAt = checkTraceCaseFile(db, trace, path);
      return { ...selectCaseNames(db, traceAccountKeys(trace)), ...(readAt ? { readAt } : {}) };
    });
  } finally {
    db.close();
  }
}

/** Traces compared in one report were read from one state of one case: the same log head (docs/reports.md). */
function checkSameCase(traces: readonly TraceResult[], files: readonly string[]): void {
  const head = traces[0]!.case.logHead;
  traces.forEach((other, i) => {
    if (i > 0 && other.case.logHead !== head)
      throw new HoptraceError(
        `${files[i]} was traced on another case, or another state of it, than ${files[0]} (audit log head ${other.case.logHead ?? 'none'}, not ${head ?? 'none'})`,
        {
          hint: 'trace the seeds again under each rule on one case (hoptrace compare, or trace --report FILE --compare RULES)',
        },
      );
  });
}

/**
 * `hoptrace report TRACE.json [MORE.json…] --format md|html|json|csv --out FILE [--no-timestamp] [--pdf FILE]`.
 * Traces of the same seeds under other rules add "Sensitivity to the tracing rule".
 */
export async function runReport(globals: GlobalOptions, traceFiles: string | readonly string[], options: ReportCliOptions): Promise<ReportCliResult> {
  const files = typeof traceFiles === 'string' ? [traceFiles] : traceFiles;
  const traceFile = files[0]!;
  checkOutputFile(options.out, '--out');
  if (options.pdf !== undefined) checkOutputFile(options.pdf, '--pdf', ['.pdf']);
  const format = options.format ?? reportFormatOf(options.out);
  const trace = readTraceForReport(traceFile);
  const others = files.slice(1).map((file) => readTraceForReport(file));
  checkSameCase([trace, ...others], files);
  const comparison = others.length === 0 ? undefined : compareTraces([trace, ...others]);
  // One timestamp for the report and its PDF, so the two say the same.
  const timestamp = options.timestamp === false ? null : new Date().toISOString();
  const names = format === 'html' || format === 'md' ? await readCaseNames(globals, trace) : null;
  const reportOptions = { timestamp, names, ...(comparison ? { comparison } : {}) };
  const text = writeReport(trace, format, reportOptions);
  // The PDF first: a print that fails leaves the report unwritten too, not half of what was asked.
  if (options.pdf)
    renderPdf(format === 'html' ? text : writeReport(trace, 'html', { ...reportOptions, names: names ?? (await readCaseNames(globals, trace)) }), options.pdf);
  writeOutputFile(options.out, text, 'report');
  process.stderr.write(
    `${options.out}: ${format} report of ${trace.edges.length} hop${trace.edges.length === 1 ? '' : 's'}${options.pdf ? `; PDF ${options.pdf}` : ''}\n`,
  );
  return { trace, format, out: options.out, ...(options.pdf ? { pdf: options.pdf } : {}) };
}
