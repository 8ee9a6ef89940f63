import { beforeAll, describe, expect, it } from 'vitest';
import type { AccountSummary, SearchResult, TransferPage } from '../../src/model/explore.js';
import { hoptrace } from '../support/cli.js';
import { ANNA, GOLDEN_LOTUS_BANK, KEVIN, buildDemoCase } from '../support/workbench.js';

let db: string;
const run = (args: string[]) => hoptrace(['--db', db, ...args]);
const json = <T>(args: string[]): T => {
  const r = run(args);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as T;
};

beforeAll(() => {
  db = buildDemoCase();
});

describe('hoptrace account', () => {
  it('answers for a mule: balances, counts, first/last, tags with their source', () => {
    const a = json<AccountSummary>(['account', KEVIN, '--json']);
    // Kevin's statement: in 2,300 + 10,000 + 5,000 + 15,000 + 12,000 + 2,300 + 8,500 = 55,100 (7 credits);
    // out 900 + 24,000 + 20,000 + 900 = 45,800 (4 debits); the statement's closing balance is 9,300.
    expect(a.balances).toEqual([
      { asset: 'EUR', decimals: 2, opening: '0.00', received: '55100.00', sent: '45800.00', balance: '9300.00', transfersIn: 7, transfersOut: 4 },
    ]);
    // Rheinland Logistik, Anna, Kramer, Jonas, Golden Lotus.
    expect(a.transfers).toEqual({ in: 7, out: 4, counterparties: 5 });
    expect([a.first, a.last]).toEqual(['2025-03-03T00:00:00.000Z', '2025-04-07T00:00:00.000Z']);
    expect(a.tags.map((t) => [t.category, t.label, t.confidence, t.origin])).toEqual([['mule', 'Kevin Schulz (mule account)', 60, 'bank return']]);
    expect(a.tags[0]!.sourcePath).toMatch(/samples\/attribution\/demo-tags\.csv$/);
    expect(a.cluster).toBeNull();
    expect(a.notes).toEqual([]);
  });

  it('names the cluster of a clustered wallet and accepts RAIL:IDENT', () => {
    const a = json<AccountSummary>(['account', 'tron:TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr', '--json']);
    expect(a.cluster?.id).toBe(1);
    const text = run(['account', GOLDEN_LOTUS_BANK]);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain('bank:DE80700700100777888999  Golden Lotus Trading GmbH');
    expect(text.stdout).toContain('EUR    opening 0.00  received 89500.00  sent 0.00  balance 89500.00');
  });

  it('fails with a hint for an account the case does not hold', () => {
    const r = run(['account', 'DE00000000000000000000']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('hoptrace: no account "DE00000000000000000000" in the case file — find it with hoptrace search TEXT\n');
  });
});

describe('hoptrace transfers', () => {
  it("pages an account's transfers in time order with a cursor that continues where the page ended", () => {
    const first = json<TransferPage>(['transfers', '--account', KEVIN, '--limit', '4', '--json']);
    expect(first.transfers.map((t) => [t.ref, t.amount])).toEqual([
      ['SAL-2025-03', '2300.00'],
      ['DE-KS-0305-1', '10000.00'],
      ['MIETE-03', '900.00'],
      ['DE-KS-0312-1', '5000.00'],
    ]);
    expect(first.next).not.toBeNull();
    const pages = [first];
    while (pages[pages.length - 1]!.next)
      pages.push(json<TransferPage>(['transfers', '--account', KEVIN, '--limit', '4', '--cursor', pages[pages.length - 1]!.next!, '--json']));
    // 11 statement lines: pages of 4, 4 and 3, each line once, in the statement's order.
    expect(pages.map((p) => p.transfers.length)).toEqual([4, 4, 3]);
    expect(pages.flatMap((p) => p.transfers.map((t) => t.ref))).toEqual([
      'SAL-2025-03',
      'DE-KS-0305-1',
      'MIETE-03',
      'DE-KS-0312-1',
      'DE-KS-0319-1',
      'GL-INV-4471',
      'DE-KS-0326-1',
      'SAL-2025-04',
      'DE-KS-0402-1',
      'GL-INV-4502',
      'MIETE-04',
    ]);
  });

  it('keeps a period (--from, --to) and says where a transfer was read', () => {
    const page = json<TransferPage>(['transfers', '--account', KEVIN, '--from', '2025-03-19', '--to', '2025-03-26', '--json']);
    expect(page.transfers.map((t) => [t.time, t.ref, t.from.ident, t.to.ident])).toEqual([
      ['2025-03-19T00:00:00.000Z', 'DE-KS-0319-1', ANNA, KEVIN],
      ['2025-03-20T00:00:00.000Z', 'GL-INV-4471', KEVIN, GOLDEN_LOTUS_BANK],
      ['2025-03-26T00:00:00.000Z', 'DE-KS-0326-1', 'DE94370400440532013007', KEVIN],
    ]);
    expect(page.transfers[1]!.source.path).toMatch(/samples\/bank\/mule-kevin-schulz\.csv$/);
    expect(page.transfers[1]!.source.line).toBe(7);
    expect(page.next).toBeNull();
  });
});

describe('hoptrace search', () => {
  it('finds accounts by holder, ident prefix and tag label, and transfers by bank reference', () => {
    expect(json<SearchResult>(['search', 'Anna Becker', '--json']).accounts.map((a) => [a.rail, a.ident, a.matched])).toEqual([['bank', ANNA, 'holder']]);
    expect(json<SearchResult>(['search', 'DE6850', '--json']).accounts.map((a) => a.ident)).toEqual([ANNA]);
    expect(json<SearchResult>(['search', 'lotus', '--json']).accounts.map((a) => [a.ident, a.matched])).toEqual([
      [GOLDEN_LOTUS_BANK, 'holder'],
      ['TLYBjn1R6xdkRp7zCeVhwyYgVQTGyRUPQo', 'tag'],
    ]);
    const byRef = json<SearchResult>(['search', 'GL-INV-4471', '--json']);
    expect(byRef.transfers.map((t) => [t.ref, t.amount, t.asset, t.from.ident, t.to.ident])).toEqual([
      ['GL-INV-4471', '24000.00', 'EUR', KEVIN, GOLDEN_LOTUS_BANK],
    ]);
  });

  it('finds a USDT transfer by its transaction hash', () => {
    const page = json<TransferPage>(['transfers', '--account', 'TXzzYEwnUjt2K3VbGUpgaj32qZYPFMaqfr', '--limit', '1', '--json']);
    const hash = page.transfers[0]!.ref;
    const found = json<SearchResult>(['search', hash, '--json']);
    expect(found.transfers.map((t) => t.id)).toEqual([page.transfers[0]!.id]);
  });
});

describe('a trace seed that names an account', () => {
  it('fails with a hint to use account:IDENT (a bare IBAN is what users type)', () => {
    const r = run(['trace', ANNA]);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `hoptrace: seed "${ANNA}" matches no transfer in the case file — ${ANNA} is an account: trace its outgoing payments with account:${ANNA}\n`,
    );
    const spaced = run(['trace', 'DE68 5001 0517 4417 3209 65']);
    expect(spaced.stderr).toContain(`trace its outgoing payments with account:${ANNA}`);
    const nothing = run(['trace', 'NO-SUCH-REF']);
    expect(nothing.stderr).toBe('hoptrace: seed "NO-SUCH-REF" matches no transfer in the case file — check it with hoptrace info, or use transfer:ID\n');
  });
});
