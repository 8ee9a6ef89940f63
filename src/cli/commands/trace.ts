import { writeFileSync } from 'node:fs';
import { parseAmount } from '../../model/amount.js';
import { HoptraceError } from '../../model/errors.js';
import { RULE_NAMES, type RuleName, type TraceOptions, type TraceResult } from '../../model/trace.js';
import { resolveTransferIds } from '../../store/transferRefs.js';
import { traceCase } from '../../trace/traceCase.js';
import { caseFilePath, withCase, type GlobalOptions } from '../context.js';
import { parsePositiveInteger, parseTime } from '../parse.js';
import { formatTraceSummary } from './traceSummary.js';

export interface TraceCliOptions {
  rule: string;
  maxHops?: string;
  minAmount?: string;
  until?: string;
  stopAtDegree?: string;
  json: boolean;
  out?: string;
  report?: string;
  timestamp?: boolean;
}

export async function runTrace(globals: GlobalOptions, seeds: string[], options: TraceCliOptions): Promise<TraceResult> {
  if (!(RULE_NAMES as readonly string[]).includes(options.rule)) {
    throw new HoptraceError(`unknown rule ${JSON.stringify(options.rule)}`, { hint: `use one of ${RULE_NAMES.join(', ')}` });
  }
  const result = await withCase(globals, (db, path) => {
    const traceOptions: TraceOptions = { rule: options.rule as RuleName };
    if (options.maxHops !== undefined) traceOptions.maxHops = parsePositiveInteger(options.maxHops, '--max-hops');
    if (options.until !== undefined) traceOptions.until = parseTime(options.until, '--until');
    if (options.stopAtDegree !== undefined) traceOptions.stopAtDegree = parsePositiveInteger(options.stopAtDegree, '--stop-at-degree');
    if (options.minAmount !== undefined) {
      // --min-amount is in the seeds' asset units (USDT, EUR …): its decimals come from the first seed.
      const first = seeds.length > 0 ? resolveTransferIds(db, seeds[0]!)[0] : undefined;
      const decimals = first === undefined ? 6 : Number(db.prepare('SELECT decimals FROM transfers WHERE id = ?').pluck().get(first));
      try {
        traceOptions.minAmount = parseAmount(options.minAmount, decimals);
      } catch (error) {
        throw new HoptraceError(`--min-amount: ${(error as Error).message}`);
      }
    }
    return traceCase({ db, casePath: path, seeds, options: traceOptions });
  });
  const json = JSON.stringify(result, null, 2) + '\n';
  if (options.out) writeFileSync(options.out, json);
  if (options.json) process.stdout.write(json);
  else process.stdout.write(formatTraceSummary(result));
  if (options.out && !options.json) process.stderr.write(`trace written to ${options.out} (case ${caseFilePath(globals)})\n`);
  if (options.report) {
    const { reportFormatOf, writeReport } = await import('../../report/writeReport.js');
    writeFileSync(options.report, writeReport(result, reportFormatOf(options.report), { timestamp: options.timestamp === false ? null : new Date().toISOString() }));
    process.stderr.write(`report written to ${options.report}\n`);
  }
  return result;
}
