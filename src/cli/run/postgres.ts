import { writeOutputFile } from '../../export/outputFile.js';
import type { RuleName, TraceResult } from '../../model/trace.js';
import type { CaseInfo } from '../../store/info.js';
import { ingestSourcePg } from '../../ingest/ingestSourcePg.js';
import { ingestUsdtFilesWith } from '../../ingest/ingestUsdt.js';
import type { CaseFileMode } from '../../store/caseFile.js';
import { selectCaseAssetsPg, selectCaseInfoPg } from '../../store/pg/infoPg.js';
import { closePgCase, openPgCase, type PgCase } from '../../store/pg/pgCase.js';
import { traceCasePg } from '../../trace/traceCasePg.js';
import { caseFilePath, printJson } from '../context.js';
import type { GlobalOptions } from '../options.js';
import { progressReporter } from '../progress.js';
import { formatInfo } from './info.js';
import { describeIngest } from './ingestReport.js';
import type { IngestUsdtCliOptions } from '../commands/ingestUsdt.js';
import type { TraceCliOptions } from '../commands/trace.js';
import { parseTraceLimitsFor } from '../../trace/traceOptions.js';
import { formatTraceSummary, untilWarning } from './traceSummary.js';

/**
 * The commands that run on a PostgreSQL case (docs/postgresql.md, "What runs on PostgreSQL"),
 * with the same options and output as on a case file. Their SQLite versions dispatch here when
 * --db is a postgres:// URL.
 */
export async function withPgCase<T>(globals: GlobalOptions, mode: CaseFileMode, run: (handle: PgCase) => Promise<T>): Promise<T> {
  const handle = await openPgCase(caseFilePath(globals), mode, () => waitNotice(caseFilePath(globals)));
  try {
    return await run(handle);
  } finally {
    await closePgCase(handle);
  }
}

export function waitNotice(url: string): void {
  process.stderr.write(`hoptrace: another hoptrace process is writing to this case (${url.replace(/:[^:@/]*@/, '@')}); waiting for it to finish…\n`);
}

export async function runIngestUsdtPg(globals: GlobalOptions, files: string[], options: IngestUsdtCliOptions): Promise<void> {
  await withPgCase(globals, 'create', async (handle) => {
    const onBytes = progressReporter(options.quiet);
    await ingestUsdtFilesWith((params) => ingestSourcePg({ ...params, pg: handle, onWait: () => waitNotice(handle.location) }), files, {
      format: options.format,
      skipBad: options.skipBad,
      ...(options.token ? { token: options.token } : {}),
      ...(options.blocks ? { blocks: options.blocks } : {}),
      ...(onBytes ? { onBytes } : {}),
      onResult: (result) => {
        if (!options.quiet) process.stderr.write(describeIngest(result, result.detected ? `${result.format} (detected)` : result.format) + '\n');
      },
    });
  });
}

export async function runInfoPg(globals: GlobalOptions, options: { json: boolean }): Promise<CaseInfo> {
  const info = await withPgCase(globals, 'existing', (handle) => selectCaseInfoPg(handle.client));
  if (options.json) printJson(info);
  else process.stdout.write(formatInfo(info));
  return info;
}

export async function runTracePg(globals: GlobalOptions, seeds: string[], options: TraceCliOptions): Promise<TraceResult> {
  const result =
    options.fetch === undefined
      ? await withPgCase(globals, 'existing', async (handle) => {
          const assets = await selectCaseAssetsPg(handle.client);
          return traceCasePg(handle, seeds, { rule: options.rule as RuleName, ...parseTraceLimitsFor(() => assets, options) });
        })
      : await (await import('./postgresFetch.js')).crawlOnPg(globals, seeds, options);
  const json = JSON.stringify(result, null, 2) + '\n';
  if (options.out) writeOutputFile(options.out, json, 'trace');
  if (options.json) process.stdout.write(json);
  else process.stdout.write(formatTraceSummary(result));
  if (options.out && !options.json) process.stderr.write(`trace written to ${options.out} (case ${result.case.path})\n`);
  process.stderr.write(untilWarning(result));
  if (options.report) await (await import('./postgresRead.js')).writeTraceReportPg(globals, seeds, result, options);
  return result;
}
