import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, hoptrace, tempDir } from '../support/cli.js';
import { referenceExchangeTrace, type ChainTransfer, type ReturnRow } from '../support/referenceExchange.js';

// A case hoptrace's exchange code was not written against: OKX on Tron, a law-enforcement return
// in two `;` sheets (test/fixtures/okx-le-return-synthetic), an internal credit from another OKX
// account between the deposits, withdrawals on a chain the case does not read (Polygon), to
// another OKX account (Omni) and one whose transaction is not in the chain data.
const V = 'TQhqRHgEonKEYqudomS8243o3bejg8dt1d'; // the victim
const S = 'TSG5MMxrio1h8wT7D4XGz4XuxJGXwPhZBj'; // the scam wallet
const D = 'TTpKHSFUdoi9j2zacMcRx522rztL61ojFS'; // the customer's OKX deposit address
const U = 'TVNZDWY6YpQcK8Y41ehav5W9mhW8HQGynR'; // an earlier, unrelated depositor
const H = 'TWvo9apiTq74uE5XQwnjt5zGgQ7vUayejH'; // OKX's hot wallet
const W1 = 'TYV35f7LNqoXVKczpEstr6UPb6jia34CzG';
const W2 = 'TC5JCohoPT1H58KvCCUdbHAwncsoaMMHHZ';
const hash = (n: number): string => (0x7a00 + n).toString(16).padStart(64, '0');
const at = (hhmmss: string): number => Date.parse(`2025-03-01T${hhmmss}Z`);
const usdt = (whole: number): bigint => BigInt(whole) * 1_000_000n;

const CHAIN: ChainTransfer[] = [
  { txid: hash(1), from: U, to: D, amount: usdt(3000), time: at('09:58:00') },
  { txid: hash(2), from: V, to: S, amount: usdt(12000), time: at('11:00:00') },
  { txid: hash(3), from: S, to: D, amount: usdt(7500), time: at('11:58:00') },
  { txid: hash(4), from: D, to: H, amount: usdt(10500), time: at('13:00:00') },
  { txid: hash(5), from: H, to: W1, amount: usdt(4000), time: at('14:00:30') },
  { txid: hash(6), from: H, to: W2, amount: usdt(3500), time: at('16:00:30') },
];

function tronscanPage(transfers: readonly ChainTransfer[]): string {
  const token_transfers = transfers.map((t) => ({
    transaction_id: t.txid,
    block_ts: t.time,
    from_address: t.from,
    to_address: t.to,
    contract_address: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
    quant: t.amount.toString(),
    confirmed: true,
    contractRet: 'SUCCESS',
    finalResult: 'SUCCESS',
    tokenInfo: { tokenId: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', tokenAbbr: 'USDT', tokenDecimal: 6, tokenType: 'trc20' },
  }));
  return JSON.stringify({ total: token_transfers.length, token_transfers }, null, 2);
}

/** The return's USDT rows, read by splitting the sheets on `;` (not by hoptrace's reader). */
function returnRows(): ReturnRow[] {
  const rows: ReturnRow[] = [];
  for (const file of ['deposits.csv', 'withdrawals.csv']) {
    const [header, ...lines] = readFileSync(fixture('okx-le-return-synthetic', file), 'utf8').trim().split('\n');
    const names = header!.split(';');
    for (const line of lines) {
      const cell = Object.fromEntries(line.split(';').map((v, i) => [names[i]!, v]));
      if (cell['currency'] !== 'USDT') continue;
      const withdrawal = 'chain name' in cell;
      rows.push({
        account: cell['uuid']!,
        direction: withdrawal ? 'withdrawal' : 'deposit',
        address: cell['address']!,
        amount: usdt(Number(cell['amount'])),
        fee: 0n,
        txid: cell['txid']!,
        time: Date.parse(`${(withdrawal ? cell['creation time'] : cell['update time'])!.replace(' ', 'T')}Z`),
        offChain: cell['address']!.startsWith('INNER_') || (withdrawal && cell['txid'] === '' && /^\d+$/.test(cell['address']!)),
      });
    }
  }
  return rows.sort((a, b) => a.time - b.time);
}

function okxCase(): string {
  const dir = tempDir();
  const db = join(dir, 'case.db');
  const chain = join(dir, 'okx-tron.tronscan.json');
  writeFileSync(chain, tronscanPage(CHAIN));
  expect(hoptrace(['--db', db, 'ingest', 'usdt', chain, '--quiet']).status).toBe(0);
  const ingest = hoptrace([
    '--db',
    db,
    'ingest',
    'exchange',
    fixture('okx-le-return-synthetic', 'deposits.csv'),
    fixture('okx-le-return-synthetic', 'withdrawals.csv'),
  ]);
  expect(ingest.stderr).toBe(
    `${fixture('okx-le-return-synthetic', 'deposits.csv')}: profile okx-le-return (detected): 3 deposits and withdrawals, 2 matched on chain, 1 unmatched (hoptrace exchange-movements --unmatched), 1 skipped (other assets, rows not completed, trades)\n` +
      `${fixture('okx-le-return-synthetic', 'withdrawals.csv')}: profile okx-le-return (detected): 5 deposits and withdrawals, 2 matched on chain, 3 unmatched (hoptrace exchange-movements --unmatched)\n`,
  );
  expect(ingest.status).toBe(0);
  return db;
}

interface TraceJson {
  endpoints: { rail: string; ident: string; amount: string }[];
  held: { rail: string; ident: string; amount: string }[];
  totals: { conserved: boolean; byAsset: { asset: string; seeded: string; atEndpoints: string; held: string }[] };
}

const units = (amount: string): bigint => BigInt(amount.replace('.', ''));
const asMap = (list: TraceJson['held']): Map<string, bigint> =>
  new Map(list.map((h) => [`${h.rail}:${h.ident}`, units(h.amount)] as const).filter(([, a]) => a > 0n));

describe('an OKX law-enforcement return on Tron, traced by hoptrace and by the reference', () => {
  const db = okxCase();

  it('lists each deposit and withdrawal the chain data cannot match, with the reason', () => {
    const run = hoptrace(['--db', db, 'exchange-movements', '--unmatched', '--json']);
    const rows = JSON.parse(run.stdout) as { direction: string; amount: string; unmatchedReason: string }[];
    expect(rows.map((r) => [r.direction, r.amount, r.unmatchedReason])).toEqual([
      [
        'deposit',
        '1200.000000',
        "internal transfer from another OKX account (INNER_5512034_3) on OKX's books: no chain transaction (that account's own return follows the money)",
      ],
      ['withdrawal', '2000.000000', 'network Polygon is not a chain hoptrace reads (Ethereum, Tron)'],
      [
        'withdrawal',
        '1000.000000',
        "internal transfer to OKX account 88213 on OKX's books: no chain transaction (that account's own return follows the money)",
      ],
      ['withdrawal', '600.000000', `no USDT transfer of tx ${hash(8)} in the case (ingest the chain data before the return)`],
    ]);
  });

  it.each([
    // FIFO, by hand: the pool is 3,000 untraced, 7,500 traced, 1,200 untraced (internal). W1's 4,000
    // takes the 3,000 and 1,000 traced; Polygon 2,000 traced (books); W2 3,500 traced; the
    // internal 1,000 traced (books); the last 600 untraced.
    ['fifo', { [`tron:${W1}`]: '1000.000000', [`tron:${W2}`]: '3500.000000' }, '3000.000000'],
    // LIFO: W1 takes the 1,200 untraced and 2,800 traced; Polygon 2,000 traced; W2 2,700 traced and 800 untraced.
    ['lifo', { [`tron:${W1}`]: '2800.000000', [`tron:${W2}`]: '2700.000000' }, '2000.000000'],
    // Pro-rata: W1 takes 4,000 × 7,500 / 11,700 = 2,564.102564 traced (rounded down); the rest in proportion.
    ['pro-rata', { [`tron:${W1}`]: '2564.102564', [`tron:${W2}`]: '2243.589743', 'exchange:okx:77120045': '384.615385' }, '2307.692308'],
  ] as const)('%s: the same figures at every endpoint and holder as the reference, conservation holds', (rule, withdrawn, atBooks) => {
    const run = hoptrace(['--db', db, 'trace', hash(2), '--rule', rule, '--json']);
    expect(run.stderr).toBe('');
    const result = JSON.parse(run.stdout) as TraceJson;
    const reference = referenceExchangeTrace({ rail: 'tron', chain: CHAIN, rows: returnRows(), exchange: 'okx', seedTxid: hash(2), rule });
    expect(reference.unmatched).toHaveLength(4);
    expect(asMap(result.endpoints)).toEqual(reference.endpoints);
    expect(asMap(result.held)).toEqual(reference.held);
    expect(result.totals.conserved).toBe(true);
    const totals = result.totals.byAsset.find((a) => a.asset === 'USDT')!;
    expect(totals.seeded).toBe('12000.000000');
    expect(units(totals.atEndpoints) + units(totals.held)).toBe(usdt(12000));
    expect(reference.seeded).toBe(usdt(12000));
    expect([...reference.endpoints.values(), ...reference.held.values()].reduce((s, a) => s + a, 0n)).toBe(usdt(12000));
    expect(asMap(result.held).get(`tron:${S}`)).toBe(usdt(4500));
    for (const [account, amount] of Object.entries(withdrawn)) expect(asMap(result.held).get(account)).toBe(units(amount));
    expect(asMap(result.endpoints).get('exchange:okx')).toBe(units(atBooks));
  });
});

describe('requests from the OKX trace', () => {
  it('the letter to OKX lists the credit with its deposit address and transaction, and totals what reached OKX once', () => {
    const db = okxCase();
    const dir = tempDir();
    expect(hoptrace(['--db', db, 'trace', hash(2), '--rule', 'fifo', '--out', join(dir, 'trace.json')]).status).toBe(0);
    expect(hoptrace(['--db', db, 'requests', join(dir, 'trace.json'), '--out', join(dir, 'requests'), '--no-timestamp']).status).toBe(0);
    expect(
      readFileSync(join(dir, 'requests', 'requests.csv'), 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('OKX,')),
    ).toEqual([
      'OKX,preservation-disclosure,exchange,okx:77120045,USDT,2000.000000,2:2000.000000,transfer:2 transfer:3 transfer:8 transfer:11',
      'OKX,preservation-disclosure,exchange,okx:77120045,USDT,1000.000000,2:1000.000000,transfer:2 transfer:3 transfer:8 transfer:13',
      'OKX,preservation-disclosure,exchange,okx:77120045,USDT,7500.000000,2:7500.000000,transfer:2 transfer:3 transfer:8',
    ]);
    const letter = readFileSync(join(dir, 'requests', '01-service-okx.md'), 'utf8');
    expect(letter).toContain(
      `customer account: 77120045; deposit address: tron:${D}; deposit transaction: ${hash(3)}; deposited: 2025-03-01T11:58:00.000Z; amount deposited: 7500.000000 USDT; credited: 2025-03-01T12:05:00.000Z;`,
    );
    expect(letter).toContain('Total traced to you: 7500.000000 USDT.');
  });
});
