import type { TraceOptions } from '../../src/model/trace.js';
import type { LedgerTransfer } from '../../src/trace/ledger.js';
import type { RawTrace } from '../../src/trace/rawTrace.js';

/**
 * An independent, deliberately naive implementation of docs/design.md's tracing semantics, for checking
 * the engine: every account keeps a pool from the start and every transfer of the case is
 * replayed in trace order — no lazy activation, no history queries, no paging. It shares no code
 * with src/trace.
 */
export type ReferenceRule = 'fifo' | 'lifo' | 'libr' | 'pro-rata';

interface Piece {
  seed: number | null;
  amount: bigint;
  hop: number;
}

export interface ReferenceResult {
  endpoints: Map<number, Map<number, bigint>>;
  held: Map<number, Map<number, bigint>>;
  beyond: Map<number, Map<number, bigint>>;
  below: Map<number, Map<number, bigint>>;
  /** Per seed index: what was traced from it (its amount less earlier seeds' money it carried). */
  seeded: Map<number, bigint>;
}

/** The engine's options as the reference's limits (thresholds as bare minor units per asset). */
export function referenceLimits(options: Omit<TraceOptions, 'rule'>): ReferenceLimits {
  return {
    ...(options.maxHops === undefined ? {} : { maxHops: options.maxHops }),
    ...(options.until === undefined ? {} : { until: options.until }),
    ...(options.minAmount === undefined ? {} : { minAmount: Object.fromEntries(Object.entries(options.minAmount).map(([asset, t]) => [asset, t.amount])) }),
  };
}

export interface ReferenceLimits {
  maxHops?: number;
  /** Per asset, in minor units. */
  minAmount?: Readonly<Record<string, bigint>>;
  until?: number;
}

function order(a: LedgerTransfer, b: LedgerTransfer): number {
  if (a.time !== b.time) return a.time - b.time;
  if ((a.block ?? -1) !== (b.block ?? -1)) return (a.block ?? -1) - (b.block ?? -1);
  if ((a.logIndex ?? -1) !== (b.logIndex ?? -1)) return (a.logIndex ?? -1) - (b.logIndex ?? -1);
  return a.id - b.id;
}

function add(map: Map<number, Map<number, bigint>>, account: number, seed: number, amount: bigint): void {
  if (amount === 0n) return;
  const inner = map.get(account) ?? new Map<number, bigint>();
  inner.set(seed, (inner.get(seed) ?? 0n) + amount);
  map.set(account, inner);
}

class ReferencePool {
  lots: Piece[] = [];
  constructor(private readonly rule: ReferenceRule) {}

  balance(): bigint {
    return this.lots.reduce((sum, lot) => sum + lot.amount, 0n);
  }

  withdraw(amount: bigint): Piece[] {
    const balance = this.balance();
    // Known money leaves first; a shortfall (history missing from the case) comes last, untraced.
    if (this.rule === 'pro-rata') return this.withdrawProRata(amount, amount > balance ? amount : balance);
    const order =
      this.rule === 'lifo'
        ? [...this.lots.keys()].reverse()
        : this.rule === 'libr'
          ? [...this.lots.keys()].sort((a, b) => Number(this.lots[a]!.seed !== null) - Number(this.lots[b]!.seed !== null) || a - b)
          : [...this.lots.keys()];
    const pieces: Piece[] = [];
    let remaining = amount;
    for (const index of order) {
      if (remaining === 0n) break;
      const lot = this.lots[index]!;
      const cut = lot.amount < remaining ? lot.amount : remaining;
      if (cut === 0n) continue;
      pieces.push({ seed: lot.seed, amount: cut, hop: lot.hop });
      lot.amount -= cut;
      remaining -= cut;
    }
    this.lots = this.lots.filter((lot) => lot.amount > 0n);
    if (remaining > 0n) pieces.push({ seed: null, amount: remaining, hop: 0 });
    return pieces;
  }

  private withdrawProRata(amount: bigint, balance: bigint): Piece[] {
    const traced = new Map<number, { amount: bigint; hop: number }>();
    for (const lot of this.lots) {
      if (lot.seed === null) continue;
      const entry = traced.get(lot.seed) ?? { amount: 0n, hop: lot.hop };
      entry.amount += lot.amount;
      entry.hop = Math.min(entry.hop, lot.hop);
      traced.set(lot.seed, entry);
    }
    const pieces: Piece[] = [];
    const remaining: Piece[] = [];
    let carried = 0n;
    const tracedTotal = [...traced.values()].reduce((s, e) => s + e.amount, 0n);
    const shares = new Map<number, bigint>();
    for (const seed of traced.keys()) shares.set(seed, balance === 0n ? 0n : (amount * traced.get(seed)!.amount) / balance);
    // Units left by rounding come from untraced money; if there is not enough, from the largest remainders.
    let short = amount - [...shares.values()].reduce((s, v) => s + v, 0n) - (balance - tracedTotal);
    const byRemainder = [...traced.keys()].sort((a, b) => {
      const ra = (amount * traced.get(a)!.amount) % balance;
      const rb = (amount * traced.get(b)!.amount) % balance;
      return ra === rb ? a - b : ra > rb ? -1 : 1;
    });
    for (const seed of byRemainder) {
      if (short <= 0n) break;
      shares.set(seed, shares.get(seed)! + 1n);
      short -= 1n;
    }
    for (const seed of [...traced.keys()].sort((a, b) => a - b)) {
      const entry = traced.get(seed)!;
      const share = shares.get(seed)!;
      if (share > 0n) pieces.push({ seed, amount: share, hop: entry.hop });
      carried += share;
      if (entry.amount - share > 0n) remaining.push({ seed, amount: entry.amount - share, hop: entry.hop });
    }
    const untraced = balance - tracedTotal - (amount - carried);
    this.lots = [...(untraced > 0n ? [{ seed: null, amount: untraced, hop: 0 }] : []), ...remaining];
    if (amount > carried) pieces.push({ seed: null, amount: amount - carried, hop: 0 });
    return pieces;
  }

  deposit(piece: Piece): void {
    if (piece.amount > 0n) this.lots.push({ ...piece });
  }
}

/**
 * DESIGN rules 1–9 as plainly as they read: every transfer replayed in order; per traced piece
 * (a) hop limit, (b) threshold on the transfer's traced part, (c) link, (d) endpoint, (e) carried.
 * A link whose crypto transfer is booked before its fiat payment is handled by replaying the
 * whole case again with the conversions found, until they no longer change.
 */
export function referenceTrace(
  transfers: readonly LedgerTransfer[],
  seedIds: readonly number[],
  endpoints: ReadonlySet<number>,
  rule: ReferenceRule,
  limits: ReferenceLimits = {},
  /** Opening balances by `accountId|asset`: untraced money there before the first transfer. */
  openings: ReadonlyMap<string, bigint> = new Map(),
  /** Sees the traced pieces of every transfer (for diagnosing a disagreement). */
  onTransfer?: (transfer: LedgerTransfer, traced: { seed: number; amount: bigint }[]) => void,
  /** Fiat transfer id → the crypto transfers an exchange or OTC return links to it. */
  links: ReadonlyMap<number, readonly number[]> = new Map(),
): ReferenceResult {
  let injections = new Map<number, Piece[]>();
  for (let round = 0; round < 20; round++) {
    const found = new Map<number, Piece[]>();
    const result = replay(transfers, seedIds, endpoints, rule, limits, openings, links, injections, found, onTransfer);
    const same = found.size === injections.size && [...found].every(([id, lots]) => JSON.stringify(lots, big) === JSON.stringify(injections.get(id), big));
    if (same) return result;
    injections = found;
  }
  throw new Error('reference: links do not settle');
}

const big = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

function replay(
  transfers: readonly LedgerTransfer[],
  seedIds: readonly number[],
  endpoints: ReadonlySet<number>,
  rule: ReferenceRule,
  limits: ReferenceLimits,
  openings: ReadonlyMap<string, bigint>,
  links: ReadonlyMap<number, readonly number[]>,
  injections: ReadonlyMap<number, Piece[]>,
  found: Map<number, Piece[]>,
  onTransfer?: (transfer: LedgerTransfer, traced: { seed: number; amount: bigint }[]) => void,
): ReferenceResult {
  const sorted = [...transfers].filter((t) => limits.until === undefined || t.time <= limits.until).sort(order);
  const byId = new Map(transfers.map((t) => [t.id, t]));
  const seedIndex = new Map(sorted.filter((t) => seedIds.includes(t.id)).map((t, index) => [t.id, index] as const));
  const pools = new Map<string, ReferencePool>();
  const pool = (account: number, asset: string): ReferencePool => {
    const key = `${account}|${asset}`;
    let found = pools.get(key);
    if (!found) pools.set(key, (found = new ReferencePool(rule)));
    return found;
  };
  for (const [key, amount] of openings) {
    const [account, asset] = key.split('|');
    pool(Number(account), asset!).deposit({ seed: null, amount, hop: 0 });
  }
  const result: ReferenceResult = { endpoints: new Map(), held: new Map(), beyond: new Map(), below: new Map(), seeded: new Map() };
  for (const t of sorted) {
    let pieces = pool(t.fromId, t.asset).withdraw(t.amount);
    const seed = seedIndex.get(t.id);
    if (seed !== undefined) {
      pieces = pieces.map((p) => (p.seed === null ? { seed, amount: p.amount, hop: 0 } : p));
      result.seeded.set(
        seed,
        pieces.filter((p) => p.seed === seed).reduce((s, p) => s + p.amount, 0n),
      );
    }
    const injected = injections.get(t.id);
    if (injected) {
      const fromSender = pieces.filter((p) => p.seed !== null);
      const rest = t.amount - [...injected, ...fromSender].reduce((s, p) => s + p.amount, 0n);
      pieces = [...injected.filter((p) => p.amount > 0n).map((p) => ({ ...p })), ...fromSender, ...(rest > 0n ? [{ seed: null, amount: rest, hop: 0 }] : [])];
    }
    const recipient = pool(t.toId, t.asset);
    const traced = pieces.filter((p) => p.seed !== null);
    const tracedTotal = traced.reduce((s, p) => s + p.amount, 0n);
    onTransfer?.(
      t,
      traced.map((p) => ({ seed: p.seed!, amount: p.amount })),
    );
    const pastLimit = (p: Piece): boolean => limits.maxHops !== undefined && p.hop + 1 > limits.maxHops;
    // (a) the hop limit, piece by piece.
    for (const p of traced) if (pastLimit(p)) add(result.beyond, t.toId, p.seed!, p.amount);
    const rest = traced.filter((p) => !pastLimit(p));
    const threshold = limits.minAmount?.[t.asset];
    const untracedArrival = (): void => {
      for (const p of pieces) recipient.deposit({ seed: null, amount: p.amount, hop: 0 });
    };
    if (rest.length === 0) {
      untracedArrival();
      continue;
    }
    // (b) the threshold, on the whole traced part of the transfer.
    if (threshold !== undefined && tracedTotal < threshold) {
      for (const p of rest) add(result.below, t.toId, p.seed!, p.amount);
      untracedArrival();
      continue;
    }
    // (c) a link: per seed, crypto × traced fiat ÷ fiat, floor; in cut order; smallest hop + 1.
    const linked = links.get(t.id) ?? [];
    if (linked.length > 0) {
      const perSeed: Piece[] = [];
      for (const p of rest) {
        const known = perSeed.find((q) => q.seed === p.seed);
        if (known) {
          known.amount += p.amount;
          known.hop = Math.min(known.hop, p.hop + 1);
        } else perSeed.push({ seed: p.seed, amount: p.amount, hop: p.hop + 1 });
      }
      for (const cryptoId of linked) {
        const crypto = byId.get(cryptoId)!;
        found.set(
          cryptoId,
          perSeed.map((p) => ({ seed: p.seed, amount: (crypto.amount * p.amount) / t.amount, hop: p.hop })),
        );
      }
      untracedArrival();
      continue;
    }
    // (d) an endpoint.
    if (endpoints.has(t.toId)) {
      for (const p of rest) add(result.endpoints, t.toId, p.seed!, p.amount);
      continue;
    }
    // (e) carried.
    for (const p of pieces) {
      if (p.seed === null || pastLimit(p)) recipient.deposit({ seed: null, amount: p.amount, hop: 0 });
      else recipient.deposit({ ...p, hop: p.hop + 1 });
    }
  }
  for (const [key, p] of pools) {
    const account = Number(key.split('|')[0]);
    for (const lot of p.lots) if (lot.seed !== null) add(result.held, account, lot.seed, lot.amount);
  }
  return result;
}

/** Engine output in the reference's shape: account → seed index → amount. */
export function asReference(raw: RawTrace): ReferenceResult {
  const toMap = (list: RawTrace['held']) => new Map(list.map((h) => [h.accountId, new Map([...h.bySeed].filter(([, a]) => a !== 0n))] as const));
  return {
    endpoints: toMap(raw.endpoints),
    held: toMap(raw.held),
    beyond: toMap(raw.beyondHopLimit),
    below: toMap(raw.belowThreshold),
    seeded: new Map(raw.seeds.map((s) => [s.index, s.seeded])),
  };
}
