import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freezeStateOf } from '../../../src/model/freeze.js';
import { openCaseDb } from '../../../src/store/caseStore.js';
import { selectFreezeEvents } from '../../../src/store/freezeEvents.js';
import { fixture, hoptrace, tempDir } from '../../support/cli.js';

const bhemen = fixture('usdt-blacklist-events-bhemen', 'usdt_configs.csv');
const dune = fixture('usdt-blacklist-dune-criptoanalyst', 'usdt_blacklist.csv');

describe('ingest blacklist: Tether freeze events from real lists', () => {
  it('decoded Ethereum events (1,636 rows): 834 added + 50 removed + 596 destroyed stored, 156 other events skipped; Dune adds 7,736 and knows 834', () => {
    const db = join(tempDir(), 'case.db');
    const first = hoptrace(['--db', db, 'ingest', 'blacklist', bhemen]);
    expect(first.stderr).toBe(`${bhemen}: 1480 freeze events stored, 156 other events skipped\n`);
    const second = hoptrace(['--db', db, 'ingest', 'blacklist', dune]);
    expect(second.stderr).toBe(`${dune}: 7736 freeze events stored, 834 already known\n`);
    const handle = openCaseDb(db, { readonly: true });
    const counts = handle
      .prepare('SELECT rail, event, COUNT(*) AS n, SUM(amount) AS total FROM usdt_freeze_events GROUP BY rail, event ORDER BY rail, event')
      .all();
    expect(counts).toEqual([
      { rail: 'ethereum', event: 'added', n: 2763n, total: null },
      { rail: 'ethereum', event: 'destroyed', n: 596n, total: 176_213_018_853435n },
      { rail: 'ethereum', event: 'removed', n: 50n, total: null },
      { rail: 'tron', event: 'added', n: 5807n, total: null },
    ]);
    // The first address Tether froze (2017-11-28) was cleared, burned and the rest: its state is the last word.
    const first2017 = selectFreezeEvents(handle, 'ethereum', ['0x9faf5515f177F3A8a845D48C19032b33Cc54C09C']);
    expect(first2017.map((e) => [e.event, new Date(e.time).toISOString()])).toEqual([
      ['added', '2017-11-28T16:39:10.000Z'],
      ['destroyed', '2017-11-28T16:52:01.000Z'],
      ['removed', '2017-11-28T16:59:39.000Z'],
    ]);
    expect(freezeStateOf(first2017)).toMatchObject({ blacklisted: false, destroyed: 30_000000n });
    // Tron rows are stored under the base58 address (Dune writes the 20 bytes as 0x hex).
    expect(selectFreezeEvents(handle, 'tron', ['TVnLbTBVBfNNoPHFyb281m6ybYQtfdGVDn']).map((e) => e.event)).toEqual(['added']);
    handle.close();
  });
});
