import { parseAmount } from '../../src/model/amount.js';
import { HoptraceError } from '../../src/model/errors.js';
import { headerCells, readCsvRows } from '../common/csv.js';
import { readTextChunks } from '../common/text.js';
import { rejectReason, type ReadContext, type ReadItem } from '../types.js';

/**
 * IBM AMLSim's transactions CSV (`sourceNodeId,targetNodeId,value,time`; test/fixtures/amlsim-ibm):
 * simulated accounts become bank accounts `amlsim:<id>`, values an asset `AMLSIM` with 2
 * decimals, and simulation steps days from 2020-01-01, so the typologies' windows read in days.
 */
export const AMLSIM_EPOCH = Date.UTC(2020, 0, 1);
const DAY = 86_400_000;

export function looksLikeAmlsim(head: string): boolean {
  const cells = headerCells(head);
  return cells.includes('sourceNodeId') && cells.includes('targetNodeId') && cells.includes('value');
}

export async function* readAmlsimTransactions(context: ReadContext): AsyncGenerator<ReadItem> {
  let index: Record<string, number> | undefined;
  // Rows carry no id: a row is named by what it says, identical rows numbered in file order here;
  // the ingest renumbers them against the case (src/ingest/contentOccurrences.ts), so the two
  // halves of the data set, and a re-import, give the rows of the whole file.
  const occurrences = new Map<string, number>();
  for await (const row of readCsvRows(context.path, readTextChunks(context.path, undefined, context.onBytes))) {
    if (!index) {
      index = Object.fromEntries(row.fields.map((name, i) => [name.trim(), i]));
      for (const name of ['sourceNodeId', 'targetNodeId', 'value', 'time'])
        if (index[name] === undefined) throw new HoptraceError(`not an AMLSim transactions file: no ${name} column`, { file: context.path, line: row.line });
      continue;
    }
    const cell = (name: string): string => (row.fields[index![name]!] ?? '').trim();
    try {
      const from = cell('sourceNodeId');
      const to = cell('targetNodeId');
      if (!/^\d+$/.test(from) || !/^\d+$/.test(to)) throw new HoptraceError(`node ids ${JSON.stringify(from)}, ${JSON.stringify(to)} are not numbers`);
      const step = cell('time');
      if (!/^\d+$/.test(step)) throw new HoptraceError(`time ${JSON.stringify(step)} is not a simulation step`);
      const value = cell('value');
      const ref = `amlsim:${from}>${to}@${step}:${value}`;
      const seq = occurrences.get(ref) ?? 0;
      occurrences.set(ref, seq + 1);
      yield {
        kind: 'transfer',
        record: {
          rail: 'bank',
          asset: 'AMLSIM',
          decimals: 2,
          amount: parseAmount(value, 2),
          from: { rail: 'bank', ident: `amlsim:${from}` },
          to: { rail: 'bank', ident: `amlsim:${to}` },
          time: AMLSIM_EPOCH + Number(step) * DAY,
          ref,
          seq,
          line: row.line,
        },
      };
    } catch (error) {
      if (!(error instanceof HoptraceError)) throw error;
      yield { kind: 'reject', line: row.line, reason: rejectReason(error) };
    }
  }
  if (!index) throw new HoptraceError('empty file', { file: context.path });
}
