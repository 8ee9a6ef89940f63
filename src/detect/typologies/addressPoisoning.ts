/**
 * Address poisoning: zero-value or dust transfers between a wallet and an address made to look
 * like one of the wallet's real counterparties (same leading and trailing characters), so that the
 * holder copies the lookalike from their history next time (Tsuchiya et al., "Blockchain Address
 * Poisoning", USENIX Security 2025; TronScan marks such transfers). On Tron the spam often shows
 * as a 0 USDT `transferFrom` *from* the target to the lookalike, so both directions count. The
 * finding names the lookalike, the counterparty it imitates and the target, and cites the dust
 * transfers and the real payment imitated (docs/detection.md, "address-poisoning").
 */
import type { ClusterAccount } from '../../cluster/types.js';
import { countedTest, isService, unitScore, type Finding, type Typology } from '../types.js';

/** The address after its fixed prefix (`0x`, `T`), lower-cased where case carries no meaning (hex). */
function body(account: ClusterAccount): string | undefined {
  if (account.rail === 'ethereum') return account.ident.slice(2).toLowerCase();
  if (account.rail === 'tron') return account.ident.slice(1);
  return undefined;
}

function sharedEnds(a: string, b: string): [number, number] {
  let lead = 0;
  while (lead < a.length && a[lead] === b[lead]) lead++;
  let trail = 0;
  while (trail < a.length - lead && a[a.length - 1 - trail] === b[b.length - 1 - trail]) trail++;
  return [lead, trail];
}

export const addressPoisoningTypology: Typology = (data, params) => {
  const t = data.transfers;
  const counted = countedTest(t, params);
  const dust: number[] = [];
  const dustEnds = new Set<number>();
  for (let row = 0; row < t.length; row++) {
    if (t.from[row] === t.to[row] || counted(row)) continue;
    dust.push(row);
    dustEnds.add(t.from[row]!);
    dustEnds.add(t.to[row]!);
  }
  /**
   * Real counterparties of each account a dust transfer touches (only those are looked up), with
   * the payments (rows) between them in time order. Kept for every account, they took over 200 MB on 500,000 transfers.
   */
  const real = new Map<number, Map<number, number[]>>();
  for (let row = 0; row < t.length; row++) {
    const from = t.from[row]!;
    const to = t.to[row]!;
    if (from === to || !(dustEnds.has(from) || dustEnds.has(to)) || !counted(row)) continue;
    for (const [a, b] of [
      [from, to],
      [to, from],
    ] as const) {
      if (!dustEnds.has(a)) continue;
      let m = real.get(a);
      if (!m) real.set(a, (m = new Map()));
      let list = m.get(b);
      if (!list) m.set(b, (list = []));
      list.push(row);
    }
  }
  const keyOf = (account: ClusterAccount): string | undefined => {
    const b = body(account);
    return b === undefined || b.length < params.poisonPrefix + params.poisonSuffix
      ? undefined
      : `${account.rail}|${b.slice(0, params.poisonPrefix)}|${b.slice(b.length - params.poisonSuffix)}`;
  };
  const byKey = new Map<number, Map<string, number[]>>();
  const lookalikesOf = (target: number): Map<string, number[]> => {
    let index = byKey.get(target);
    if (index) return index;
    byKey.set(target, (index = new Map()));
    for (const c of [...(real.get(target)?.keys() ?? [])].sort((a, b) => a - b)) {
      const key = keyOf(data.accounts.get(c)!);
      if (key === undefined) continue;
      let list = index.get(key);
      if (!list) index.set(key, (list = []));
      list.push(c);
    }
    return index;
  };
  const hits = new Map<string, { lookalike: number; imitated: number; target: number; dust: number[] }>();
  for (const d of dust) {
    for (const [target, other] of [
      [t.from[d]!, t.to[d]!],
      [t.to[d]!, t.from[d]!],
    ] as const) {
      if (isService(data, target) || !real.has(target)) continue;
      const lookalike = data.accounts.get(other);
      if (!lookalike || real.get(target)!.has(other)) continue;
      const key = keyOf(lookalike);
      if (key === undefined) continue;
      for (const imitated of lookalikesOf(target).get(key) ?? []) {
        if (imitated === other) continue;
        const id = `${other}|${imitated}|${target}`;
        const hit = hits.get(id) ?? { lookalike: other, imitated, target, dust: [] };
        hit.dust.push(d);
        hits.set(id, hit);
      }
    }
  }
  const findings: Finding[] = [];
  for (const hit of [...hits.values()].sort((x, y) => x.target - y.target || x.lookalike - y.lookalike || x.imitated - y.imitated)) {
    const payments = real.get(hit.target)!.get(hit.imitated)!;
    const dustIds = hit.dust.map((row) => t.ids[row]!);
    const firstDust = Math.min(...dustIds);
    const firstDustTime = t.time[hit.dust[dustIds.indexOf(firstDust)]!]!;
    // The real payment imitated: the last one before the spam (the one the holder would copy), else the first.
    const imitatedPayment = [...payments].reverse().find((row) => t.time[row]! <= firstDustTime) ?? payments[0]!;
    const [lead, trail] = sharedEnds(body(data.accounts.get(hit.lookalike)!)!, body(data.accounts.get(hit.imitated)!)!);
    findings.push({
      typology: 'address-poisoning',
      accounts: [hit.lookalike, hit.imitated, hit.target],
      evidence: [...new Set([...dustIds, t.ids[imitatedPayment]!])].sort((a, b) => a - b),
      // How much of the address is imitated: shared leading + trailing characters over (prefix + suffix + 2).
      score: unitScore((lead + trail) / (params.poisonPrefix + params.poisonSuffix + 2)),
    });
  }
  return findings;
};
