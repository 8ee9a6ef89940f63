import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLocalDate } from '../../../src/model/localDate.js';
import { readCamtStatement } from '../../../adapters/bank/camt.js';
import type { StatementItem } from '../../../adapters/bank/statementRow.js';
import { fixture, tempDir } from '../../support/cli.js';
import { linesOf, readBankFile, rowsOf } from './support.js';

/**
 * The camt reader against genkgo/camt's own expected parse results (test/fixtures/camt-genkgo):
 * each `Entry` genkgo serialises must be a line (or, not booked, a skip) here with the same
 * signed amount in minor units, currency, booking date, account, servicer reference and
 * counterparty; and the statement balances the same.
 */
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const isObject = (v: Json | undefined): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const classOf = (v: Json | undefined): string => (isObject(v) && typeof v['__CLASS__'] === 'string' ? v['__CLASS__'].split('\\').pop()! : '');

function collect(value: Json, wanted: (cls: string) => boolean, out: JsonObject[] = []): JsonObject[] {
  if (Array.isArray(value)) value.forEach((v) => collect(v, wanted, out));
  else if (isObject(value)) {
    if (wanted(classOf(value))) out.push(value);
    Object.values(value).forEach((v) => collect(v, wanted, out));
  }
  return out;
}

const get = (o: Json | undefined, ...path: string[]): Json | undefined => path.reduce<Json | undefined>((v, k) => (isObject(v) ? v[k] : undefined), o);

async function readCamt(path: string): Promise<StatementItem[]> {
  const items: StatementItem[] = [];
  for await (const item of readCamtStatement({ path })) items.push(item);
  return items;
}

const DIR = fixture('camt-genkgo');
const SAMPLES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.replace(/\.json$/, ''));

describe('camt.052/053/054 against genkgo/camt expected results', () => {
  it('has the 25 samples with expected JSON', () => {
    expect(SAMPLES.length).toBe(25);
  });

  for (const name of SAMPLES) {
    it(name, async () => {
      const expected = JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as Json;
      const items = await readCamt(join(DIR, `${name}.xml`));
      const rows = items.flatMap((i) => (i.kind === 'row' || i.kind === 'skipped' ? [i] : []));
      const xml = readFileSync(join(DIR, `${name}.xml`), 'utf8');
      // One line or skip per <Ntry> (none of these samples batches details that add up to the entry).
      expect(rows.length).toBe((xml.match(/<Ntry>/g) ?? []).length);
      const entries = collect(expected, (c) => c === 'Entry');
      const record = collect(expected, (c) => c === 'Statement' || c === 'Report' || c === 'Notification')[0]!;
      const unmatched = [...rows];
      entries.forEach((entry) => {
        const status = get(entry, 'getStatus');
        // genkgo serialises each object once, so a multi-statement file shows one of its entries: find ours by amount.
        const index = unmatched.findIndex((item) =>
          status !== 'BOOK' ? item.kind === 'skipped' : item.kind === 'row' && item.row.amount.toString() === get(entry, 'getAmount', 'getAmount'),
        );
        expect(index).toBeGreaterThanOrEqual(0);
        const item = unmatched.splice(index, 1)[0]!;
        if (status !== 'BOOK') {
          expect(item).toMatchObject({ kind: 'skipped', reason: `entry status ${String(status)} (not booked)` });
          return;
        }
        if (item.kind !== 'row') return;
        const row = item.row;
        expect(row.amount.toString()).toBe(get(entry, 'getAmount', 'getAmount'));
        expect(row.currency).toBe(get(entry, 'getAmount', 'getCurrency', 'getCode'));
        const booked = (get(entry, 'getBookingDate', '0') ?? get(entry, 'getValueDate', '0') ?? get(record, 'getCreatedOn', '0')) as string;
        expect(formatLocalDate(row.date)).toBe(booked.slice(0, 10));
        expect(row.account).toBe(get(record, 'getAccount', 'getIdentification'));
        const servicerRef = get(entry, 'getAccountServicerReference');
        if (typeof servicerRef === 'string') expect(row.reference).toBe(servicerRef);
        const details = get(entry, 'getTransactionDetails');
        if (Array.isArray(details) && details.length === 1) {
          const detail = isObject(details[0]) ? details[0] : (get(entry, 'getTransactionDetail') as JsonObject);
          const parties = (get(detail, 'getRelatedParties') as Json[] | undefined) ?? [];
          const side = row.amount < 0n ? ['Creditor', 'UltimateCreditor'] : ['Debtor', 'UltimateDebtor'];
          const party = side.map((s) => parties.find((p) => classOf(get(p, 'getRelatedPartyType')) === s)).find((p) => p !== undefined);
          if (party) {
            expect(row.counterpartyName).toBe(get(party, 'getRelatedPartyType', 'getName'));
            const account = get(party, 'getAccount', 'getIdentification');
            if (typeof account === 'string' && account !== row.account)
              expect(row.counterpartyAccount).toBe(/^[A-Z]{2}\d{2}/.test(account) ? account : `acct:${account}`);
          }
        }
      });
      const balances = items.flatMap((i) => (i.kind === 'balance' ? [i.balance] : []));
      const genkgoBalances = ((get(record, 'getBalances') as Json[] | undefined) ?? []).filter((b) =>
        ['opening', 'closing'].includes(String(get(b, 'getType'))),
      );
      const ours = balances.map((b) => [b.kind, b.amount.toString(), b.currency]);
      const theirs = genkgoBalances.map((b) => [get(b, 'getType'), get(b, 'getAmount', 'getAmount'), get(b, 'getAmount', 'getCurrency', 'getCode')]);
      const statements = (xml.match(/<(Stmt|Rpt|Ntfctn)>/g) ?? []).length;
      if (statements === 1) expect(ours).toEqual(theirs);
      else expect(ours).toEqual(expect.arrayContaining(theirs));
    });
  }

  it('a multi-statement file: both statements, each with its own opening balance', async () => {
    const items = await readBankFile(fixture('camt-genkgo', 'camt053.v2.multi.statement.xml'));
    expect(linesOf(items).map((l) => [l.record.amount, l.direction])).toEqual([
      [885n, 'in'],
      [700n, 'out'],
    ]);
  });

  it('rejects a message without statements, truncated XML, a DOCTYPE and a bad account IBAN', async () => {
    await expect(readCamt(fixture('camt-genkgo', 'camt053.v2.wrong.xml'))).rejects.toThrow(/holds no statement/);
    const dir = tempDir();
    const minimal = readFileSync(fixture('camt-genkgo', 'camt053.v2.minimal.xml'), 'utf8');
    writeFileSync(join(dir, 'cut.xml'), minimal.slice(0, minimal.indexOf('<Ntry>') + 200));
    await expect(readCamt(join(dir, 'cut.xml'))).rejects.toMatchObject({ message: expect.stringMatching(/ends inside <.*> \(file truncated\?\)/) });
    writeFileSync(join(dir, 'dtd.xml'), minimal.replace('<Document', '<!DOCTYPE x [<!ENTITY a "b">]>\n<Document'));
    await expect(readCamt(join(dir, 'dtd.xml'))).rejects.toMatchObject({ line: 2, message: expect.stringMatching(/DOCTYPE/) });
    writeFileSync(join(dir, 'iban.xml'), minimal.replace('<IBAN>NL26VAYB8060476890</IBAN>', '<IBAN>NL27VAYB8060476890</IBAN>'));
    await expect(readCamt(join(dir, 'iban.xml'))).rejects.toMatchObject({
      line: 38,
      message: expect.stringMatching(/IBAN NL27VAYB8060476890: bad check digits/),
    });
  });

  it('an XML declaring Windows-1252: Š, €, dashes and quotes of a name read as written, not as control characters', async () => {
    const cp1252: Record<string, number> = { '€': 0x80, '„': 0x84, Š: 0x8a, '“': 0x93, '–': 0x96, ü: 0xfc };
    const name = 'Škoda „Müller“ – €';
    const minimal = readFileSync(fixture('camt-genkgo', 'camt053.v2.minimal.xml'), 'utf8');
    const text = minimal.replace('encoding="UTF-8"', 'encoding="windows-1252"').replace('<Nm>NAME NAME</Nm>', `<Nm>${name}</Nm>`);
    const path = join(tempDir(), 'cp1252.xml');
    writeFileSync(path, Buffer.from(Array.from(text, (c) => cp1252[c] ?? c.charCodeAt(0))));
    const utf8 = join(tempDir(), 'utf8.xml');
    writeFileSync(utf8, text.replace('encoding="windows-1252"', 'encoding="UTF-8"'));
    const names = async (file: string) => rowsOf(await readCamt(file)).map((r) => r.counterpartyName);
    expect(await names(path)).toEqual(await names(utf8));
    expect(await names(path)).toContain(name);
  });

  it('an amount with more decimals than its currency has is rejected on its line', async () => {
    const dir = tempDir();
    const minimal = readFileSync(fixture('camt-genkgo', 'camt053.v2.minimal.xml'), 'utf8');
    writeFileSync(join(dir, 'precision.xml'), minimal.replace('<Amt Ccy="EUR">8.85</Amt>', '<Amt Ccy="EUR">8.855</Amt>'));
    const items = await readCamt(join(dir, 'precision.xml'));
    expect(items.filter((i) => i.kind === 'reject')).toEqual([{ kind: 'reject', line: 90, reason: 'amount "8.855": more than 2 decimal places' }]);
  });
});
