import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestUsdtFiles } from '../../src/ingest/ingestUsdt.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { traceCase } from '../../src/trace/traceCase.js';
import { fixture, tempDir } from '../support/cli.js';
import { ADDRESS, txHash } from '../support/reportFixtures.js';

/**
 * DESIGN rule 10 on the hand-made mule ledger (test/fixtures/hoptrace-made/report): which rows
 * make an explorer export one address's own history. Rows t1…t6 are lines 2…7 of the export (LINES[1…6]).
 */
const LINES = readFileSync(fixture('hoptrace-made', 'report', 'mule-ledger.tronscan.csv'), 'utf8')
  .trimEnd()
  .split('\n');

async function traceWith(files: number[][], seeds = [txHash('t2'), txHash('t4')], until?: number) {
  const dir = tempDir();
  const paths = files.map((rows, i) => {
    const path = join(dir, `part${i + 1}.tronscan.csv`);
    writeFileSync(path, [LINES[0], ...rows.map((r) => LINES[r])].join('\n') + '\n');
    return path;
  });
  const db = openCaseDb(join(dir, 'case.db'));
  await ingestUsdtFiles(db, paths);
  const result = traceCase({ db, casePath: null, seeds, options: { rule: 'fifo', ...(until === undefined ? {} : { until }) } });
  db.close();
  return Object.fromEntries(result.held.map((h) => [h.ident === ADDRESS.M ? 'M' : h.ident === ADDRESS.W1 ? 'W1' : 'W2', [h.amount, h.history]]));
}

describe('where the money rests: the history the case holds for each holder', () => {
  it("an export whose every row involves M (t1–t5) is M's own history through its last row; W1 and W2 were only seen", async () => {
    expect(await traceWith([[1, 2, 3, 4, 5], [6]])).toEqual({
      M: ['500.000000', { class: 'in-case', until: '2025-04-01T12:00:00.000Z', basis: 'explorer-export' }],
      W1: ['1500.000000', { class: 'last-seen', lastSeen: '2025-04-01T10:00:00.000Z' }],
      // Row t6 alone names W2 and E in its only row: whose export it is cannot be told.
      W2: ['1800.000000', { class: 'last-seen', lastSeen: '2025-04-01T13:00:00.000Z' }],
    });
  });

  it('an export of M that ends before the traced money last arrived (t4, 11:00) does not cover it', async () => {
    expect(
      (
        await traceWith([
          [1, 2, 3],
          [4, 5, 6],
        ])
      ).M,
    ).toEqual(['500.000000', { class: 'last-seen', lastSeen: '2025-04-01T12:00:00.000Z' }]);
  });

  it("one export of all six rows is no one's own history", async () => {
    expect(Object.values(await traceWith([[1, 2, 3, 4, 5, 6]])).map(([, h]) => (h as { class: string }).class)).toEqual([
      'last-seen',
      'last-seen',
      'last-seen',
    ]);
  });

  it('with --until, no holder is said to hold money, or to have been seen, past the time the trace stopped reading', async () => {
    // M's export runs to 12:00, when M paid W2 (t5); a trace of t2 up to 10:30 read nothing after 10:30.
    expect(await traceWith([[1, 2, 3, 4, 5], [6]], [txHash('t2')], Date.parse('2025-04-01T10:30:00Z'))).toEqual({
      M: ['1500.000000', { class: 'in-case', until: '2025-04-01T10:30:00.000Z', basis: 'explorer-export' }],
      W1: ['1500.000000', { class: 'last-seen', lastSeen: '2025-04-01T10:00:00.000Z' }],
    });
    // W2 paid the exchange at 13:00 (t6), after a cut-off at 12:30: it was last seen at 12:00, when the money arrived.
    expect(await traceWith([[1, 2, 3, 4, 5], [6]], [txHash('t2')], Date.parse('2025-04-01T12:30:00Z'))).toEqual({
      W1: ['1500.000000', { class: 'last-seen', lastSeen: '2025-04-01T10:00:00.000Z' }],
      W2: ['1500.000000', { class: 'last-seen', lastSeen: '2025-04-01T12:00:00.000Z' }],
    });
  });
});
