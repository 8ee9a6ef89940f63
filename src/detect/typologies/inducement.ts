/**
 * Inducement payments: pig-butchering's "profits". The platform pays the victim small amounts —
 * a first "withdrawal" that builds trust — and the victim then pays the platform, or a wallet of
 * its network, far more (FBI IC3, "Cryptocurrency investment fraud" 2023; US Treasury FinCEN
 * Alert FIN-2023-Alert005). A wallet P paid V a "profit" after V had paid P or an account P deals
 * with directly (its network), the profit at most 1 ÷ `inducementRatio` of what V had paid in by
 * then; within the window after it V paid that network again, at least `inducementRatio` times
 * the profits, and not with third parties' money (at most 1 ÷ `inducementRatio` of it came from
 * non-service accounts outside P's network). Requiring the first deposit and own funds keeps out
 * trading counterparties who simply pay each other. Services are neither side (exchange
 * withdrawals are purchases). docs/detection.md, "inducement".
 */
import { byAccount, isService, unitScore, type Finding, type Typology } from '../types.js';

export const inducementTypology: Typology = (data, params) => {
  const t = data.transfers;
  const { in: incoming, out: outgoing } = byAccount(t, params);
  /** The accounts P pays or is paid by directly (its network), without services. */
  const network = (p: number): Set<number> => {
    const set = new Set<number>([p]);
    for (const row of outgoing.of(p)) if (!isService(data, t.to[row]!)) set.add(t.to[row]!);
    for (const row of incoming.of(p)) if (!isService(data, t.from[row]!)) set.add(t.from[row]!);
    return set;
  };
  const sum = (rows: ArrayLike<number>): bigint => {
    let total = 0n;
    for (let k = 0; k < rows.length; k++) total += t.amount(rows[k]!);
    return total;
  };
  const ratio = BigInt(Math.round(params.inducementRatio * 1_000_000));
  const findings: Finding[] = [];
  for (const platform of outgoing.accounts) {
    if (isService(data, platform)) continue;
    const byVictim = new Map<number, number[]>();
    for (const row of outgoing.of(platform)) {
      const to = t.to[row]!;
      if (isService(data, to)) continue;
      let list = byVictim.get(to);
      if (!list) byVictim.set(to, (list = []));
      list.push(row);
    }
    let net: Set<number> | undefined;
    for (const [victim, profits] of [...byVictim].sort(([a], [b]) => a - b)) {
      net ??= network(platform);
      const deposits = outgoing.of(victim).filter((row) => net!.has(t.to[row]!) && t.to[row] !== victim);
      if (deposits.length === 0) continue;
      // The first "profit" after a deposit, and small against what the victim had paid in by then
      // (a "withdrawal" of part of the gains): at most 1 ÷ inducementRatio of it.
      const first = profits.find((p) => {
        const paidIn = deposits.reduce((s, d) => (t.time[d]! < t.time[p]! && t.asset[d] === t.asset[p] ? s + t.amount(d) : s), 0n);
        return paidIn > 0n && t.amount(p) * ratio <= paidIn * 1_000_000n;
      });
      if (first === undefined) continue;
      const start = t.time[first]!;
      const asset = t.asset[first]!;
      const payments = deposits.filter((row) => t.time[row]! > start && t.time[row]! <= start + params.inducementWindowMs && t.asset[row] === asset);
      if (payments.length === 0) continue;
      const last = t.time[payments[payments.length - 1]!]!;
      const before = profits.filter((row) => t.time[row]! >= start && t.time[row]! < last && t.asset[row] === asset);
      const given = sum(before);
      const taken = sum(payments);
      if (taken * 1_000_000n < given * ratio) continue;
      // A victim pays from its own or exchange-bought funds; an account passing third parties'
      // money on to P's network is a trading counterparty or a mule, not one being induced.
      const opened = t.time[deposits[0]!]!;
      const thirdParty = incoming
        .of(victim)
        .reduce(
          (s, row) =>
            t.time[row]! >= opened && t.time[row]! <= last && t.asset[row] === asset && !net!.has(t.from[row]!) && !isService(data, t.from[row]!)
              ? s + t.amount(row)
              : s,
          0n,
        );
      if (thirdParty * ratio > taken * 1_000_000n) continue;
      findings.push({
        typology: 'inducement',
        accounts: [platform, victim, ...[...new Set(Array.from(payments, (row) => t.to[row]!))].filter((a) => a !== platform).sort((a, b) => a - b)],
        evidence: [...before, ...payments].map((row) => t.ids[row]!).sort((a, b) => a - b),
        // 1 − "profits" ÷ what the victim paid afterwards: how lopsided the exchange was.
        score: unitScore(1 - Number((given * 1_000_000n) / taken) / 1e6),
      });
    }
  }
  return findings;
};
