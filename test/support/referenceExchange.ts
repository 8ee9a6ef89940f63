import type { LedgerTransfer } from '../../src/trace/ledger.js';
import { referenceTrace, type ReferenceRule } from './referenceTracer.js';

/**
 * The exchange-return semantics of docs/design.md (rule 11), implemented a second time from the
 * raw inputs for checking hoptrace end to end (ingest and trace): no code of src/ingest, src/store
 * or src/trace, only the reference replay. The customer's account at the exchange is one more
 * account with a pool: a deposit row's on-chain transfer (found here by its tx hash, else by
 * address and amount within 72 hours before the credit) hands its traced money to a credit from
 * the exchange's books into the customer's account at the credit time; a withdrawal row is a debit
 * from the customer's account to the books at its time (its fee a second debit), which hands what
 * it took to its on-chain transfer (tx hash, else address and amount within 72 hours after). The
 * books and the deposit addresses the return names are the exchange's: endpoints.
 */
export interface ChainTransfer {
  txid: string;
  from: string;
  to: string;
  /** Minor units. */
  amount: bigint;
  /** UTC ms. */
  time: number;
}

export interface ReturnRow {
  account: string;
  direction: 'deposit' | 'withdrawal';
  address: string;
  amount: bigint;
  fee: bigint;
  txid: string;
  time: number;
  /** No transaction the case can hold: a transfer between accounts on the exchange's books, or a chain the case does not read. */
  offChain: boolean;
}

export interface ExchangeReference {
  /** Traced money (one seed) per account, `rail:ident` (`exchange:okx:77120045`; EVM addresses in lower case), minor units. */
  endpoints: Map<string, bigint>;
  held: Map<string, bigint>;
  seeded: bigint;
  /** Rows the reference could not tie to a chain transfer, by row index. */
  unmatched: number[];
}

const WINDOW = 72 * 3_600_000;
const plainHash = (txid: string): string => txid.trim().toLowerCase().replace(/^0x/, '');

export function referenceExchangeTrace(options: {
  rail: 'tron' | 'ethereum';
  chain: readonly ChainTransfer[];
  rows: readonly ReturnRow[];
  exchange: string;
  seedTxid: string;
  rule: ReferenceRule;
}): ExchangeReference {
  const { rail, exchange } = options;
  // EVM addresses compare without their checksum case; Tron's base58 is case-sensitive.
  const address = (text: string): string => (rail === 'ethereum' ? text.toLowerCase() : text);
  const chain = options.chain.map((t) => ({ ...t, from: address(t.from), to: address(t.to) }));
  const rows = options.rows.map((r) => ({ ...r, address: r.offChain ? r.address : address(r.address) }));
  const ids = new Map<string, number>();
  const accountId = (key: string): number => {
    const known = ids.get(key);
    if (known !== undefined) return known;
    const id = ids.size + 1;
    ids.set(key, id);
    return id;
  };
  const books = `exchange:${exchange}`;
  const transfers: LedgerTransfer[] = [];
  const push = (from: string, to: string, amount: bigint, time: number): number => {
    const id = transfers.length + 1;
    transfers.push({
      id,
      rail: from.startsWith('exchange:') || to.startsWith('exchange:') ? 'exchange' : rail,
      asset: 'USDT',
      decimals: 6,
      amount,
      fromId: accountId(from),
      toId: accountId(to),
      time,
      block: null,
      logIndex: null,
    });
    return id;
  };
  const chainIds = chain.map((t) => push(`${rail}:${t.from}`, `${rail}:${t.to}`, t.amount, t.time));
  const links = new Map<number, number[]>();
  const endpoints = new Set<number>([accountId(books)]);
  const unmatched: number[] = [];
  rows.forEach((row, index) => {
    const customer = `exchange:${exchange}:${row.account}`;
    const book = row.direction === 'deposit' ? push(books, customer, row.amount, row.time) : push(customer, books, row.amount, row.time);
    if (row.fee > 0n) push(customer, books, row.fee, row.time);
    if (row.direction === 'deposit' && !row.offChain) endpoints.add(accountId(`${rail}:${row.address}`));
    const found = row.offChain ? -1 : findChain(chain, row);
    if (found < 0) {
      unmatched.push(index);
      return;
    }
    const [from, to] = row.direction === 'deposit' ? [chainIds[found]!, book] : [book, chainIds[found]!];
    links.set(from, [...(links.get(from) ?? []), to]);
  });
  const seed = chain.findIndex((t) => plainHash(t.txid) === plainHash(options.seedTxid));
  if (seed < 0) throw new Error('reference: the seed is not in the chain data');
  const result = referenceTrace(transfers, [chainIds[seed]!], endpoints, options.rule, {}, new Map(), undefined, links);
  const names = new Map([...ids].map(([key, id]) => [id, key]));
  const flatten = (map: Map<number, Map<number, bigint>>): Map<string, bigint> =>
    new Map([...map].map(([id, bySeed]) => [names.get(id)!, [...bySeed.values()].reduce((s, a) => s + a, 0n)] as const).filter(([, a]) => a > 0n));
  return { endpoints: flatten(result.endpoints), held: flatten(result.held), seeded: result.seeded.get(0) ?? 0n, unmatched };
}

function findChain(chain: readonly ChainTransfer[], row: ReturnRow): number {
  const byHash = chain.flatMap((t, i) =>
    row.txid !== '' && plainHash(t.txid) === plainHash(row.txid) && t.amount === row.amount && t.to === row.address ? [i] : [],
  );
  if (row.txid !== '') return byHash.length === 1 ? byHash[0]! : -1;
  const inWindow = chain.flatMap((t, i) => {
    const within = row.direction === 'deposit' ? t.time >= row.time - WINDOW && t.time <= row.time : t.time >= row.time && t.time <= row.time + WINDOW;
    return t.to === row.address && t.amount === row.amount && within ? [i] : [];
  });
  return inWindow.length === 1 ? inWindow[0]! : -1;
}
