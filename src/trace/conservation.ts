import type { RawTrace, SeedAmounts } from './rawTrace.js';
import { addTo } from './rawTrace.js';

/** Per asset, per seed index: where the traced money is at the end of a trace. */
export interface SeedBalanceSheet {
  asset: string;
  decimals: number;
  seeded: SeedAmounts;
  linkedIn: SeedAmounts;
  convertedOut: SeedAmounts;
  atEndpoints: SeedAmounts;
  held: SeedAmounts;
  beyondHopLimit: SeedAmounts;
  belowThreshold: SeedAmounts;
  unknownDrawn: bigint;
}

/**
 * docs/design.md, "Tracing semantics" rule 8, with links: per asset and seed, seeded + linked in − converted out (into another
 * asset by a link) = at endpoints + held + beyond the hop limit + below threshold. Holds for every
 * rule but poison.
 */
export function balanceSheets(raw: RawTrace): SeedBalanceSheet[] {
  const sheets = new Map<string, SeedBalanceSheet>();
  const sheet = (asset: string, decimals: number): SeedBalanceSheet => {
    let found = sheets.get(asset);
    if (!found) {
      found = {
        asset,
        decimals,
        seeded: new Map(),
        linkedIn: new Map(),
        convertedOut: new Map(),
        atEndpoints: new Map(),
        held: new Map(),
        beyondHopLimit: new Map(),
        belowThreshold: new Map(),
        unknownDrawn: 0n,
      };
      sheets.set(asset, found);
    }
    return found;
  };
  const addAll = (target: SeedAmounts, source: SeedAmounts): void => {
    for (const [seed, amount] of source) addTo(target, seed, amount);
  };
  for (const seed of raw.seeds) addTo(sheet(seed.transfer.asset, seed.transfer.decimals).seeded, seed.index, seed.seeded);
  for (const c of raw.linkedIn) addAll(sheet(c.asset, c.decimals).linkedIn, c.bySeed);
  for (const c of raw.convertedOut) addAll(sheet(c.asset, c.decimals).convertedOut, c.bySeed);
  for (const e of raw.endpoints) addAll(sheet(e.asset, e.decimals).atEndpoints, e.bySeed);
  for (const h of raw.held) addAll(sheet(h.asset, h.decimals).held, h.bySeed);
  for (const h of raw.beyondHopLimit) addAll(sheet(h.asset, h.decimals).beyondHopLimit, h.bySeed);
  for (const h of raw.belowThreshold) addAll(sheet(h.asset, h.decimals).belowThreshold, h.bySeed);
  for (const d of raw.unknownSourceDraws) sheet(d.asset, d.decimals).unknownDrawn += d.amount;
  return [...sheets.values()].sort((a, b) => (a.asset < b.asset ? -1 : a.asset > b.asset ? 1 : 0));
}

/** Per seed: (in) − (out); all zero when the trace conserves. */
export function unaccountedBySeed(sheet: SeedBalanceSheet): SeedAmounts {
  const seeds = new Set<number>([
    ...sheet.seeded.keys(),
    ...sheet.linkedIn.keys(),
    ...sheet.convertedOut.keys(),
    ...sheet.atEndpoints.keys(),
    ...sheet.held.keys(),
    ...sheet.beyondHopLimit.keys(),
    ...sheet.belowThreshold.keys(),
  ]);
  const result: SeedAmounts = new Map();
  const get = (m: SeedAmounts, s: number): bigint => m.get(s) ?? 0n;
  for (const s of seeds) {
    const diff =
      get(sheet.seeded, s) +
      get(sheet.linkedIn, s) -
      get(sheet.convertedOut, s) -
      get(sheet.atEndpoints, s) -
      get(sheet.held, s) -
      get(sheet.beyondHopLimit, s) -
      get(sheet.belowThreshold, s);
    if (diff !== 0n) result.set(s, diff);
  }
  return result;
}

export function sumAmounts(amounts: SeedAmounts): bigint {
  let sum = 0n;
  for (const value of amounts.values()) sum += value;
  return sum;
}
