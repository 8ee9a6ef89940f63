import type { AccountRef } from '../../src/model/types.js';
import { compareTraceOrder, type EndpointInfo, type LedgerTransfer, type TraceLedger } from '../../src/trace/ledger.js';

/** A TraceLedger over arrays, for tests of the engine's semantics. Accounts are named by strings. */
export class MemoryLedger implements TraceLedger {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  readonly transfers: LedgerTransfer[] = [];
  private readonly endpoints = new Map<number, EndpointInfo>();
  private readonly links = new Map<number, number[]>();
  readonly openings = new Map<string, bigint>();

  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length + 1;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** Adds a transfer; times are plain integers (order), the asset defaults to USDT with 6 decimals. */
  add(from: string, to: string, amount: bigint, time: number, asset = 'USDT', decimals = 6): LedgerTransfer {
    const transfer: LedgerTransfer = {
      id: this.transfers.length + 1,
      rail: asset === 'USDT' ? 'tron' : 'bank',
      asset,
      decimals,
      amount,
      fromId: this.id(from),
      toId: this.id(to),
      time,
      block: null,
      logIndex: null,
    };
    this.transfers.push(transfer);
    return transfer;
  }

  /** Account names by id (id = index + 1). */
  accountNames(): readonly string[] {
    return this.names;
  }

  endpointTags(): ReadonlyMap<number, EndpointInfo> {
    return this.endpoints;
  }

  tag(name: string, info: EndpointInfo): void {
    this.endpoints.set(this.id(name), info);
  }

  link(fiat: LedgerTransfer, crypto: LedgerTransfer): void {
    this.links.set(fiat.id, [...(this.links.get(fiat.id) ?? []), crypto.id]);
  }

  /** Fiat transfer id → linked crypto transfer ids. */
  linkMap(): ReadonlyMap<number, readonly number[]> {
    return this.links;
  }

  opening(name: string, asset: string, amount: bigint): void {
    this.openings.set(this.id(name) + '|' + asset, amount);
  }

  transfersAfter(accountId: number, asset: string, after: LedgerTransfer, limit: number): LedgerTransfer[] {
    return this.transfers
      .filter((t) => t.asset === asset && (t.fromId === accountId || t.toId === accountId) && compareTraceOrder(t, after) > 0)
      .sort(compareTraceOrder)
      .slice(0, limit);
  }

  balanceBefore(accountId: number, asset: string, before: LedgerTransfer): bigint {
    let balance = this.openings.get(accountId + '|' + asset) ?? 0n;
    for (const t of [...this.transfers].sort(compareTraceOrder)) {
      if (t.asset !== asset || compareTraceOrder(t, before) >= 0) continue;
      if (t.toId === accountId && t.fromId === accountId) {
        if (t.amount > balance) balance = t.amount;
        continue;
      }
      if (t.toId === accountId) balance += t.amount;
      if (t.fromId === accountId) balance = t.amount > balance ? 0n : balance - t.amount;
    }
    return balance;
  }

  openAccount(accountId: number, asset: string, at: LedgerTransfer, limit: number): { balance: bigint; after: LedgerTransfer[] } {
    return { balance: this.balanceBefore(accountId, asset, at), after: this.transfersAfter(accountId, asset, at, limit) };
  }

  endpointOf(accountId: number): EndpointInfo | undefined {
    return this.endpoints.get(accountId);
  }

  isTagged(accountId: number): boolean {
    return this.endpoints.has(accountId);
  }

  counterpartyCount(accountId: number): number {
    const others = new Set<number>();
    for (const t of this.transfers) {
      if (t.fromId === accountId) others.add(t.toId);
      if (t.toId === accountId) others.add(t.fromId);
    }
    return others.size;
  }

  linkedTransfers(fiatTransferId: number): LedgerTransfer[] {
    return (this.links.get(fiatTransferId) ?? []).map((id) => this.transfers[id - 1]!);
  }

  account(accountId: number): AccountRef {
    return { rail: 'tron', ident: this.names[accountId - 1] ?? `#${accountId}` };
  }

  name(accountId: number): string {
    return this.names[accountId - 1] ?? `#${accountId}`;
  }
}
