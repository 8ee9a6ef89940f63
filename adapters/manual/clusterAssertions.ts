import { HoptraceError } from '../../src/model/errors.js';
import { readCsvRows } from '../common/csv.js';
import { readTextChunks } from '../common/text.js';

export interface ClusterAssertion {
  a: string;
  b: string;
  reason: string;
  /** `not`: a and b must never be in one cluster. */
  never: boolean;
  line: number;
}

/** An investigator's own knowledge: CSV `a,b,reason` (same owner) or `a,b,reason,not` (never merge). */
export async function readClusterAssertions(path: string): Promise<ClusterAssertion[]> {
  const out: ClusterAssertion[] = [];
  for await (const row of readCsvRows(path, readTextChunks(path))) {
    const [a = '', b = '', reason = '', flag = ''] = row.fields.map((f) => f.trim());
    if (row.line === 1 && a.toLowerCase() === 'a' && b.toLowerCase() === 'b') continue;
    if (a === '' || b === '') throw new HoptraceError('two accounts are needed: a,b,reason[,not]', { file: path, line: row.line });
    if (flag !== '' && flag.toLowerCase() !== 'not')
      throw new HoptraceError(`fourth column ${JSON.stringify(flag)}: only "not" is allowed`, { file: path, line: row.line });
    out.push({ a, b, reason: reason || 'asserted by the investigator', never: flag.toLowerCase() === 'not', line: row.line });
  }
  return out;
}
