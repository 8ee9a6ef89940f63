import { writeOutputFile } from '../../export/outputFile.js';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { digestFile } from '../../ingest/fileDigest.js';
import { HoptraceError } from '../../model/errors.js';
import type { StatusResult } from '../../freeze/status.js';
import { requestItems } from '../../requests/requestItems.js';
import { defaultTemplateDir, readTemplates, writeRequestFiles } from '../../requests/writeRequests.js';
import { readTraceForReport } from '../../report/validateTrace.js';
import type { GlobalOptions } from '../options.js';
import type { RequestsCliOptions } from '../commands/requests.js';

function readStatus(path: string, traceFile: string, traceSha256: string): StatusResult {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new HoptraceError(`not a status file: ${(error as Error).message}`, {
      file: path,
      hint: 'write one with hoptrace status TRACE.json --json > status.json',
    });
  }
  const status = value as Partial<StatusResult> | null;
  if (!status || !Array.isArray(status.wallets) || typeof status.totals !== 'object')
    throw new HoptraceError('not a status file (expected the JSON of hoptrace status --json)', { file: path });
  // Amounts freezable now apply to one trace's wallets: a status of another trace (other seeds,
  // --until, rule or case) would be applied to the wrong ones, or silently not at all.
  const of = (status as { trace?: { sha256?: unknown } }).trace?.sha256;
  if (of !== traceSha256)
    throw new HoptraceError(
      of === undefined
        ? `a status without the trace it is of (written by an older hoptrace)`
        : `a status of another trace than ${traceFile} (trace SHA-256 ${String(of)})`,
      { file: path, hint: `write it for this trace: hoptrace status ${traceFile} --json > ${path}` },
    );
  return status as StatusResult;
}

/** `hoptrace requests TRACE.json --out DIR`: preservation, disclosure and freeze requests from a trace. */
export async function runRequests(_globals: GlobalOptions, traceFile: string, options: RequestsCliOptions): Promise<void> {
  const trace = readTraceForReport(traceFile);
  const traceSha256 = (await digestFile(traceFile)).sha256;
  const status = options.status ? readStatus(options.status, traceFile, traceSha256) : undefined;
  const templates = readTemplates(options.template ?? defaultTemplateDir());
  if (existsSync(options.out)) {
    if (!statSync(options.out).isDirectory()) throw new HoptraceError('not a folder', { file: options.out });
    if (readdirSync(options.out).length > 0)
      throw new HoptraceError('the output folder is not empty', {
        file: options.out,
        hint: 'give a new or empty folder: requests are never written over other files',
      });
  }
  const items = requestItems(trace, status);
  const { files, letters } = writeRequestFiles(items, templates, {
    trace,
    traceFile,
    traceSha256,
    date: options.timestamp === false ? null : new Date().toISOString().slice(0, 10),
  });
  mkdirSync(options.out, { recursive: true });
  for (const [name, text] of files) writeOutputFile(join(options.out, name), text, 'request file');
  process.stderr.write(`${options.out}: ${items.length} requested items in ${letters} letters (requests.csv, Markdown and HTML)\n`);
}
