import { mulDivFloor } from '../model/amount.js';
import { HoptraceError } from '../model/errors.js';
import type { TraceOptions } from '../model/trace.js';
import { ActiveAccounts } from './activeAccounts.js';
import { MinHeap } from './heap.js';
import { compareTraceOrder, type EndpointInfo, type LedgerTransfer, type TraceLedger } from './ledger.js';
import {
  addTo,
  type EdgeOutcome,
  type RawEdge,
  type RawEndpoint,
  type RawHolding,
  type RawSeed,
  type RawTrace,
  type RawUnknownDraw,
  type SeedAmounts,
} from './rawTrace.js';
import { traceRules } from './rules/index.js';
import { UNTRACED, type Lot, type Pool, type Withdrawal } from './rules/pool.js';

const PAGE = 512;

/**
 * An account holding a pool, and its cursor: its next transfer waits in the queue as the account
 * itself (it is never there twice), so a queued transfer allocates no event
 * (docs/performance.md, "Trace against a bare read").
 */
interface Active extends Event {
  accountId: number;
  asset: string;
  decimals: number;
  pool: Pool;
  after: LedgerTransfer;
  buffer: LedgerTransfer[];
  position: number;
  exhausted: boolean;
  /** What it drew from an unknown source, once it has. */
  unknownDraw: RawUnknownDraw | undefined;
}

interface Event {
  transfer: LedgerTransfer;
  active: Active | undefined;
}

/** Traced money a link carries into a crypto transfer (docs/design.md, "Tracing semantics" rule 7). */
interface Injection {
  lots: Lot[];
  viaLink: number;
}

/**
 * Follows the seeds through the ledger under one rule (docs/design.md, "Tracing semantics"). Events are
 * processed in global trace order over the accounts that hold traced money, each read page by
 * page from the ledger, so memory grows with the trace's reach, not with the case.
 *
 * A link whose crypto transfer comes before the fiat booking (banks book late) cannot be applied
 * in one pass; the trace is then run again with that injection known in advance, until the
 * injections settle.
 */
export function traceLedger(ledger: TraceLedger, seedTransfers: readonly LedgerTransfer[], options: TraceOptions): RawTrace {
  let injections = new Map<number, Injection>();
  for (let round = 0; round < 16; round++) {
    const run = new TraceRun(ledger, seedTransfers, options, injections);
    const raw = run.execute();
    if (!run.injectionsChanged) return raw;
    injections = run.injections;
  }
  throw new HoptraceError('links do not settle: a linked transfer feeds back into its own fiat payment', { hint: 'check the links file for cycles' });
}

class TraceRun {
  readonly injections: Map<number, Injection>;
  injectionsChanged = false;
  private readonly seeds: RawSeed[];
  private readonly seedIndexOf = new Map<number, number>();
  private readonly actives = new ActiveAccounts<Active>();
  private readonly queue = new MinHeap<Event>((a, b) => compareTraceOrder(a.transfer, b.transfer) < 0);
  private readonly processed = new Set<number>();
  private readonly endpointCache = new Map<number, EndpointInfo | null>();
  private readonly endpoints = new Map<string, RawEndpoint>();
  private readonly beyond = new Map<string, RawHolding>();
  private readonly below = new Map<string, RawHolding>();
  /** In the order the accounts first drew; each account's entry is also kept on its Active. */
  private readonly unknownDraws: RawUnknownDraw[] = [];
  private readonly convertedOut = new Map<string, { asset: string; decimals: number; bySeed: SeedAmounts }>();
  private readonly linkedIn = new Map<string, { asset: string; decimals: number; bySeed: SeedAmounts }>();
  private readonly edges: RawEdge[] = [];
  private readonly reached = new Set<number>();

  constructor(
    private readonly ledger: TraceLedger,
    seedTransfers: readonly LedgerTransfer[],
    private readonly options: TraceOptions,
    presetInjections: Map<number, Injection>,
  ) {
    // A payment after --until is not a seed: it is dropped from every count (DESIGN rule 9).
    const until = options.until;
    const unique = [...new Map(seedTransfers.filter((t) => until === undefined || t.time <= until).map((t) => [t.id, t])).values()].sort(compareTraceOrder);
    this.seeds = unique.map((transfer, index) => ({ index, transfer, seeded: 0n, earlier: new Map() }));
    for (const seed of this.seeds) {
      this.seedIndexOf.set(seed.transfer.id, seed.index);
      this.queue.push(seed.transfer.time, event(seed.transfer));
    }
    this.injections = new Map(presetInjections);
    for (const [transferId, injection] of presetInjections) {
      const linked = this.ledger.linkedTransfers(injection.viaLink).find((t) => t.id === transferId);
      if (linked) this.queue.push(linked.time, event(linked));
    }
  }

  execute(): RawTrace {
    const until = this.options.until;
    for (let event = this.queue.pop(); event !== undefined; event = this.queue.pop()) {
      const { transfer, active } = event;
      if (until !== undefined && transfer.time > until) continue;
      // The account's next transfer takes this one's place: read the transfer first.
      if (active) this.advance(active);
      if (this.processed.has(transfer.id)) continue;
      this.processed.add(transfer.id);
      this.process(transfer);
    }
    return this.result();
  }

  private advance(active: Active): void {
    active.position++;
    this.queueNext(active);
  }

  /** Queues the account's next transfer, if it has one. */
  private queueNext(active: Active): void {
    const next = this.peek(active);
    if (!next) return;
    active.transfer = next;
    this.queue.push(next.time, active);
  }

  private peek(active: Active): LedgerTransfer | undefined {
    if (active.position < active.buffer.length) return active.buffer[active.position];
    if (active.exhausted) return undefined;
    const page = this.ledger.transfersAfter(active.accountId, active.asset, active.after, PAGE);
    active.exhausted = page.length < PAGE;
    active.buffer = page;
    active.position = 0;
    const last = page[page.length - 1];
    if (last) active.after = last;
    return page[0];
  }

  private activate(accountId: number, at: LedgerTransfer): Active {
    const pool = traceRules[this.options.rule]();
    const { balance, after } = this.ledger.openAccount(accountId, at.asset, at, PAGE);
    if (balance > 0n) pool.deposit({ seed: UNTRACED, amount: balance, hop: 0 });
    const last = after[after.length - 1];
    const active: Active = {
      accountId,
      asset: at.asset,
      decimals: at.decimals,
      pool,
      after: last ?? at,
      buffer: after,
      position: 0,
      exhausted: after.length < PAGE,
      unknownDraw: undefined,
      transfer: at,
      active: undefined,
    };
    active.active = active;
    this.actives.add(accountId, at.asset, active);
    this.reached.add(accountId);
    this.queueNext(active);
    return active;
  }

  private process(transfer: LedgerTransfer): void {
    const sender = this.actives.get(transfer.fromId, transfer.asset);
    let pieces: Lot[];
    let allocation: RawEdge['allocation'];
    let cut: Withdrawal | undefined;
    let balanceBefore = 0n;
    let tracedBefore = 0n;
    let tracedLeft = 0n;
    if (sender) {
      balanceBefore = sender.pool.balance();
      tracedBefore = sender.pool.tracedTotal();
      cut = sender.pool.withdraw(transfer.amount);
      pieces = cut.pieces;
      if (cut.unknownDrawn > 0n) this.recordUnknownDraw(sender, cut.unknownDrawn);
      tracedLeft = sender.pool.tracedTotal();
    } else pieces = [{ seed: UNTRACED, amount: transfer.amount, hop: 0 }];
    const seedIndex = this.seedIndexOf.get(transfer.id);
    if (seedIndex !== undefined) pieces = this.seedPieces(seedIndex, pieces);
    const injection = this.injections.get(transfer.id);
    if (injection) pieces = this.injectedPieces(transfer, injection, pieces);
    // Most transfers an active account makes or receives carry no traced money: they only move
    // its balance, and allocate nothing more.
    if (!pieces.some(isTraced)) {
      this.depositIfActive(transfer, pieces);
      return;
    }
    const traced = pieces.filter(isTraced);
    // Only a transfer that carries traced money becomes an edge and needs its allocation (the
    // pieces cut are not changed by the seed and link steps above).
    if (cut) allocation = { balanceBefore, tracedBefore, tracedCarried: tracedSum(cut.pieces), tracedLeft, unknownDrawn: cut.unknownDrawn };
    const bySeed = new Map<number, bigint>();
    for (const piece of traced) addTo(bySeed, piece.seed, piece.amount);
    const hop = Math.min(...traced.map((p) => p.hop)) + 1;
    // DESIGN rule 6: each traced piece meets (a) the hop limit, (b) the threshold, (c) a link,
    // (d) an endpoint, (e) is carried on — the first that applies decides.
    const maxHops = this.options.maxHops;
    const beyond = new Map<number, bigint>();
    const within: Lot[] = [];
    for (const piece of traced) {
      if (maxHops !== undefined && piece.hop + 1 > maxHops) addTo(beyond, piece.seed, piece.amount);
      else within.push(piece);
    }
    if (beyond.size > 0) this.recordHolding(this.beyond, transfer, beyond);
    const edge = (outcome: EdgeOutcome): void => {
      const partlyBeyond = beyond.size > 0 && outcome !== 'beyond-hop-limit';
      this.edges.push({
        transfer,
        bySeed,
        hop,
        outcome,
        ...(allocation ? { allocation } : {}),
        ...(injection ? { viaLink: injection.viaLink } : {}),
        ...(partlyBeyond ? { beyondHopLimit: beyond } : {}),
      });
    };
    const untracedAll = (): void => this.depositIfActive(transfer, pieces);
    if (within.length === 0) {
      untracedAll();
      edge('beyond-hop-limit');
      return;
    }
    const threshold = this.options.minAmount?.[transfer.asset];
    // The threshold is on the transfer's whole traced part, whatever of it the hop limit stopped.
    if (threshold !== undefined && tracedSum(traced) < threshold.amount) {
      const below = new Map<number, bigint>();
      for (const piece of within) addTo(below, piece.seed, piece.amount);
      this.recordHolding(this.below, transfer, below);
      untracedAll();
      edge('below-threshold');
      return;
    }
    const links = this.ledger.linkedTransfers(transfer.id);
    if (links.length > 0) {
      this.convert(transfer, within, links);
      untracedAll();
      edge('linked');
      return;
    }
    if (this.actives.get(transfer.toId, transfer.asset) === undefined) {
      const endpoint = this.endpointOf(transfer.toId);
      if (endpoint) {
        const reached = new Map<number, bigint>();
        for (const piece of within) addTo(reached, piece.seed, piece.amount);
        this.recordEndpoint(transfer, endpoint, reached);
        edge('endpoint');
        return;
      }
    }
    const arriving = pieces.map((piece) =>
      piece.seed === UNTRACED || (maxHops !== undefined && piece.hop + 1 > maxHops) ? untraced(piece) : { ...piece, hop: piece.hop + 1 },
    );
    let recipient = this.actives.get(transfer.toId, transfer.asset);
    if (!recipient) {
      recipient = this.activate(transfer.toId, transfer);
      // A self-transfer that activates its account: the history replay still counts the money as
      // there, so it leaves before it comes back (as the seed, when it is one).
      if (transfer.fromId === transfer.toId) recipient.pool.withdraw(transfer.amount);
    }
    for (const lot of arriving) recipient.pool.deposit(lot);
    edge('carried');
  }

  /** The seed transfer's untraced part becomes the seed; money of earlier seeds it carries stays theirs. */
  private seedPieces(seedIndex: number, pieces: Lot[]): Lot[] {
    const seed = this.seeds[seedIndex]!;
    return pieces.map((piece) => {
      if (piece.seed !== UNTRACED) {
        addTo(seed.earlier, piece.seed, piece.amount);
        return piece;
      }
      seed.seeded += piece.amount;
      return { seed: seedIndex, amount: piece.amount, hop: 0 };
    });
  }

  private injectedPieces(transfer: LedgerTransfer, injection: Injection, pieces: Lot[]): Lot[] {
    const fromSender = pieces.filter((p) => p.seed !== UNTRACED);
    const injected = injection.lots.filter((lot) => lot.amount > 0n);
    const conversion = this.conversionFor(this.linkedIn, transfer);
    for (const lot of injected) addTo(conversion.bySeed, lot.seed, lot.amount);
    const rest = transfer.amount - tracedSum(fromSender) - tracedSum(injected);
    return [...injected, ...fromSender, ...(rest > 0n ? [{ seed: UNTRACED, amount: rest, hop: 0 }] : [])];
  }

  /**
   * DESIGN rule 7: per seed, traced crypto = crypto amount × traced fiat ÷ fiat amount, rounded
   * down; the lots are in the fiat transfer's cut order (a seed where its first piece was cut),
   * each at the smallest hop its pieces had + 1, the untraced remainder last (injectedPieces).
   */
  private convert(fiat: LedgerTransfer, within: readonly Lot[], links: LedgerTransfer[]): void {
    const conversion = this.conversionFor(this.convertedOut, fiat);
    const bySeed = new Map<number, { amount: bigint; hop: number }>();
    for (const piece of within) {
      addTo(conversion.bySeed, piece.seed, piece.amount);
      const known = bySeed.get(piece.seed);
      if (known) {
        known.amount += piece.amount;
        known.hop = Math.min(known.hop, piece.hop + 1);
      } else bySeed.set(piece.seed, { amount: piece.amount, hop: piece.hop + 1 });
    }
    for (const crypto of links) {
      const lots = [...bySeed].map(([seed, { amount, hop }]) => ({ seed, amount: mulDivFloor(crypto.amount, amount, fiat.amount), hop }));
      const injection: Injection = { lots, viaLink: fiat.id };
      const known = this.injections.get(crypto.id);
      if (known && sameLots(known.lots, lots)) continue;
      this.injections.set(crypto.id, injection);
      if (this.processed.has(crypto.id) || compareTraceOrder(crypto, fiat) < 0) this.injectionsChanged = true;
      else this.queue.push(crypto.time, event(crypto));
    }
  }

  private conversionFor(map: Map<string, { asset: string; decimals: number; bySeed: SeedAmounts }>, transfer: LedgerTransfer) {
    let entry = map.get(transfer.asset);
    if (!entry) map.set(transfer.asset, (entry = { asset: transfer.asset, decimals: transfer.decimals, bySeed: new Map() }));
    return entry;
  }

  /**
   * The pieces arrive untraced, whatever they were. Untraced lots are interchangeable under every
   * rule (a lot queue merges neighbours of one seed and hop; the other pools only count them), so
   * one deposit of their sum leaves the pool as one deposit per piece did, for one lot less each.
   */
  private depositIfActive(transfer: LedgerTransfer, pieces: readonly Lot[]): void {
    const recipient = this.actives.get(transfer.toId, transfer.asset);
    if (!recipient) return;
    let amount = 0n;
    for (const piece of pieces) if (piece.amount > 0n) amount += piece.amount;
    recipient.pool.deposit({ seed: UNTRACED, amount, hop: 0 });
  }

  private endpointOf(accountId: number): EndpointInfo | undefined {
    let info = this.endpointCache.get(accountId);
    if (info === undefined) {
      info = this.ledger.endpointOf(accountId) ?? null;
      const degree = this.options.stopAtDegree;
      if (!info && degree !== undefined && !this.ledger.isTagged(accountId) && this.ledger.counterpartyCount(accountId) > degree) {
        info = { category: 'hub', labels: [] };
      }
      this.endpointCache.set(accountId, info);
    }
    return info ?? undefined;
  }

  private recordEndpoint(transfer: LedgerTransfer, info: EndpointInfo, bySeed: SeedAmounts): void {
    const k = key(transfer.toId, transfer.asset);
    let endpoint = this.endpoints.get(k);
    if (!endpoint) {
      endpoint = {
        accountId: transfer.toId,
        asset: transfer.asset,
        decimals: transfer.decimals,
        bySeed: new Map(),
        info,
        first: transfer.time,
        last: transfer.time,
      };
      this.endpoints.set(k, endpoint);
      this.reached.add(transfer.toId);
    }
    for (const [seed, amount] of bySeed) addTo(endpoint.bySeed, seed, amount);
    endpoint.last = transfer.time;
  }

  private recordHolding(map: Map<string, RawHolding>, transfer: LedgerTransfer, bySeed: SeedAmounts): void {
    // A zero-value seed (token spam) stops below any threshold but holds nothing: no entry.
    if (bySeed.size === 0) return;
    const k = key(transfer.toId, transfer.asset);
    let holding = map.get(k);
    if (!holding) map.set(k, (holding = { accountId: transfer.toId, asset: transfer.asset, decimals: transfer.decimals, bySeed: new Map() }));
    for (const [seed, amount] of bySeed) addTo(holding.bySeed, seed, amount);
  }

  private recordUnknownDraw(active: Active, amount: bigint): void {
    let draw = active.unknownDraw;
    if (!draw) {
      draw = { accountId: active.accountId, asset: active.asset, decimals: active.decimals, amount: 0n, transfers: 0 };
      active.unknownDraw = draw;
      this.unknownDraws.push(draw);
    }
    draw.amount += amount;
    draw.transfers++;
  }

  private result(): RawTrace {
    const held: RawHolding[] = [];
    for (const active of this.actives.values()) {
      const bySeed = active.pool.tracedBySeed();
      if (bySeed.size > 0) held.push({ accountId: active.accountId, asset: active.asset, decimals: active.decimals, bySeed });
    }
    return {
      seeds: this.seeds,
      endpoints: [...this.endpoints.values()],
      held,
      beyondHopLimit: [...this.beyond.values()],
      belowThreshold: [...this.below.values()],
      unknownSourceDraws: this.unknownDraws,
      edges: this.edges,
      convertedOut: [...this.convertedOut.values()],
      linkedIn: [...this.linkedIn.values()],
      accountsReached: this.reached.size,
    };
  }
}

function event(transfer: LedgerTransfer): Event {
  return { transfer, active: undefined };
}

function key(accountId: number, asset: string): string {
  return accountId + '|' + asset;
}

function tracedSum(lots: readonly Lot[]): bigint {
  let sum = 0n;
  for (const lot of lots) if (lot.seed !== UNTRACED) sum += lot.amount;
  return sum;
}

function isTraced(lot: Lot): boolean {
  return lot.seed !== UNTRACED;
}

function untraced(lot: Lot): Lot {
  return { seed: UNTRACED, amount: lot.amount, hop: 0 };
}

function sameLots(a: readonly Lot[], b: readonly Lot[]): boolean {
  return a.length === b.length && a.every((lot, i) => lot.seed === b[i]!.seed && lot.amount === b[i]!.amount && lot.hop === b[i]!.hop);
}
