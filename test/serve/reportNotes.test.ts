import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openCaseDb } from '../../src/store/caseStore.js';
import { findAccount } from '../../src/store/explore.js';
import { insertNote } from '../../src/store/notes.js';
import { hoptrace, tempDir } from '../support/cli.js';
import { ANNA, KEVIN, buildDemoCase } from '../support/workbench.js';

/**
 * Investigators' notes (stored by the workbench with --write) appear in the evidence report beside
 * what they annotate: an account's under its headings, a transfer's in its row of Appendix A.
 */
const EXCHANGE = 'TCwxR8yLQ4Z6gajRUa4qt3Lt3qykyrkuFT';
let plain: string;
let noted: string;

beforeAll(() => {
  plain = buildDemoCase();
  noted = join(tempDir('hoptrace-report-notes-'), 'case.db');
  copyFileSync(plain, noted);
  const db = openCaseDb(noted, { readonly: false });
  try {
    const id = (key: string): number => findAccount(db, key)!.id;
    // Written out of time order: a report lists them in the order they were written.
    insertNote(db, { accountId: id(`bank:${KEVIN}`) }, 'Kevin admitted opening the account for a "job offer"', '2026-11-30T09:15:00.000Z');
    insertNote(db, { accountId: id(`tron:${EXCHANGE}`) }, 'Exchange answered the request: KYC attached', '2026-12-01T16:00:00.000Z');
    insertNote(db, { transferId: 6 }, 'Invoice GL-INV-4471 is forged', '2026-12-01T10:00:00.000Z');
    insertNote(db, { accountId: id(`bank:${KEVIN}`) }, 'Bank confirmed the account is frozen', '2026-11-29T14:02:30.000Z');
  } finally {
    db.close();
  }
});

function report(db: string, name: string): string[] {
  const file = join(tempDir('hoptrace-report-notes-'), name);
  const run = hoptrace(['--db', db, 'trace', `account:${ANNA}`, '--rule', 'fifo', '--report', file, '--no-timestamp']);
  expect(run.status, run.stderr).toBe(0);
  return readFileSync(file, 'utf8').split('\n');
}

/** The non-empty lines after the first line that starts with `start`, up to the next heading. */
function linesAfter(lines: string[], start: string): string[] {
  const at = lines.findIndex((l) => l.startsWith(start));
  expect(at, start).toBeGreaterThanOrEqual(0);
  const rest = lines.slice(at + 1);
  const end = rest.findIndex((l) => l.startsWith('#'));
  return rest.slice(0, end < 0 ? undefined : end).filter((l) => l !== '');
}

describe('notes in the evidence report', () => {
  it('shows each account note under the account, oldest written first, and a transfer note in its row', () => {
    const md = report(noted, 'report.md');
    expect(linesAfter(md, '### exchange: Exchange One hot wallet (invented) — TCwxR8yLQ4Z6gajRUa4qt3Lt3qykyrkuFT')[0]).toBe(
      "Investigator's note, 2026-12-01 16:00 UTC: Exchange answered the request: KYC attached",
    );
    expect(linesAfter(md, `### held as of 2025-04-07: Kevin Schulz (mule account) — ${KEVIN}`).slice(0, 2)).toEqual([
      `Investigator's note, 2026-11-30 09:15 UTC: Kevin admitted opening the account for a "job offer"`,
      "Investigator's note, 2026-11-29 14:02 UTC: Bank confirmed the account is frozen",
    ]);
    expect(linesAfter(md, `### bank:Kevin Schulz (mule account) — ${KEVIN} (freeze candidate) — EUR`).slice(0, 2)).toEqual([
      `Investigator's note, 2026-11-30 09:15 UTC: Kevin admitted opening the account for a "job offer"`,
      "Investigator's note, 2026-11-29 14:02 UTC: Bank confirmed the account is frozen",
    ]);
    const appendix = linesAfter(md, '## Appendix A');
    expect(appendix[1]).toBe(
      "| transfer | hop | from → to | time (UTC) | transaction / reference | amount | traced (per victim payment) | allocation at this hop | source file:line | outcome | check | investigators' notes |",
    );
    expect(
      appendix.find((l) => l.startsWith('| 6 |'))!.endsWith("| linked | ok | Investigator's note, 2026-12-01 10:00 UTC: Invoice GL-INV-4471 is forged |"),
    ).toBe(true);
    expect(appendix.find((l) => l.startsWith('| 2 |'))!.endsWith('| carried | ok |  |')).toBe(true);
    // The same report again: byte for byte.
    expect(report(noted, 'again.md')).toEqual(md);
  });

  it('HTML shows the notes as escaped text', () => {
    const html = report(noted, 'report.html').join('\n');
    expect(html).toContain('<p>Investigator&#39;s note, 2026-11-30 09:15 UTC: Kevin admitted opening the account for a &quot;job offer&quot;</p>');
    expect(html).toContain('<td>Investigator&#39;s note, <span class="n">2026-12-01</span> 10:00 UTC: Invoice GL-INV-4471 is forged</td></tr>');
  });

  it('a case without notes gives the report it gave before: no notes column', () => {
    const md = report(plain, 'plain.md');
    expect(md.some((l) => l.includes('Investigator'))).toBe(false);
    expect(linesAfter(md, '## Appendix A')[1]).toBe(
      '| transfer | hop | from → to | time (UTC) | transaction / reference | amount | traced (per victim payment) | allocation at this hop | source file:line | outcome | check |',
    );
  });
});
