import { writeFileSync } from 'node:fs';
import { renderPdf, REPORT_FORMATS, writeReport, type ReportFormat } from '../../report/writeReport.js';
import { HoptraceError } from '../../model/errors.js';
import { readTraceFile } from '../../trace/readTraceFile.js';
import type { GlobalOptions } from '../context.js';

export async function runReport(_globals: GlobalOptions, traceFile: string, options: { format: string; out: string; timestamp: boolean; pdf?: string }): Promise<void> {
  if (!(REPORT_FORMATS as readonly string[]).includes(options.format)) throw new HoptraceError(`unknown report format ${JSON.stringify(options.format)}`, { hint: `use ${REPORT_FORMATS.join(', ')}` });
  const result = readTraceFile(traceFile);
  const text = writeReport(result, options.format as ReportFormat, { timestamp: options.timestamp ? new Date().toISOString() : null });
  writeFileSync(options.out, text);
  if (options.pdf) renderPdf(options.format === 'html' ? text : writeReport(result, 'html', { timestamp: options.timestamp ? new Date().toISOString() : null }), options.pdf);
  process.stderr.write(`${options.out}: ${options.format} report of ${result.edges.length} hops${options.pdf ? `; ${options.pdf}` : ''}\n`);
}
