import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hoptrace, tempDir } from '../support/cli.js';
import { tx, writeExchangeCase } from '../support/exchangeCase.js';
import { referenceExchangeTrace, type ChainTransfer, type ReturnRow } from '../support/referenceExchange.js';

// The Binance case on Ethereum (test/support/exchangeCase.ts): fees on every withdrawal, a
// withdrawal on BSC, a cancelled row. The reference reads the two files itself.
const units = (text: string): bigint => {
  const [whole, fraction = ''] = text.replace(/,/g, '').split('.');
  return BigInt(whole!) * 1_000_000n + BigInt(fraction.padEnd(6, '0'));
};

function chainOf(path: string): ChainTransfer[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.slice(1, -1).split('","'))
    .map(([hash, , seconds, , from, to, value]) => ({ txid: hash!, from: from!, to: to!, amount: units(value!), time: Number(seconds) * 1000 }));
}

function rowsOf(path: string): ReturnRow[] {
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','))
    .filter((c) => c[3] === 'USDT' && c[10] === 'completed')
    .map((c) => ({
      account: c[1]!,
      direction: c[2] as 'deposit' | 'withdrawal',
      address: c[7]!,
      amount: units(c[5]!),
      fee: units(c[6]!),
      txid: c[4] === 'BSC' ? '' : c[8]!,
      time: Date.parse(c[9]!),
      offChain: c[4] === 'BSC',
    }))
    .sort((a, b) => a.time - b.time);
}

interface TraceJson {
  endpoints: { rail: string; ident: string; amount: string }[];
  held: { rail: string; ident: string; amount: string }[];
  totals: { conserved: boolean };
}

describe('the Binance return with fees, traced by hoptrace and by the reference', () => {
  const dir = tempDir();
  const db = join(dir, 'case.db');
  const { chain, ret } = writeExchangeCase(dir);
  expect(hoptrace(['--db', db, 'ingest', 'usdt', chain, '--quiet']).status).toBe(0);
  expect(hoptrace(['--db', db, 'ingest', 'exchange', ret, '--quiet']).status).toBe(0);

  it.each(['fifo', 'lifo', 'pro-rata'] as const)('%s: the same amounts at every endpoint and holder; conservation holds', (rule) => {
    const result = JSON.parse(hoptrace(['--db', db, 'trace', tx(2), '--rule', rule, '--json']).stdout) as TraceJson;
    // The BSC row is on a chain the case does not read: the reference treats it as matching nothing.
    const reference = referenceExchangeTrace({ rail: 'ethereum', chain: chainOf(chain), rows: rowsOf(ret), exchange: 'binance', seedTxid: tx(2), rule });
    const asMap = (list: TraceJson['held']): Map<string, bigint> =>
      new Map(list.map((h) => [`${h.rail}:${h.rail === 'ethereum' ? h.ident.toLowerCase() : h.ident}`, units(h.amount)] as const).filter(([, a]) => a > 0n));
    expect(asMap(result.endpoints)).toEqual(reference.endpoints);
    expect(asMap(result.held)).toEqual(reference.held);
    expect(result.totals.conserved).toBe(true);
    expect([...reference.endpoints.values(), ...reference.held.values()].reduce((s, a) => s + a, 0n)).toBe(10_000_000000n);
  });
});
