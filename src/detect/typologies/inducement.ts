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
import { byAccount, isService, unitScore, type DetectTransfer, type Finding, type Typology } from '../types.js';

export const inducementTypology: Typology = (data, params) => {
  const { in: incoming, out: outgoing } = byAccount(data.transfers, params);
  /** The accounts P pays or is paid by directly (its network), without services. */
  const network = (p: number): Set<number> => {
    const set = new Set<number>([p]);
    for (const t of outgoing.get(p) ?? []) if (!isService(data, t.to)) set.add(t.to);
    for (const t of incoming.get(p) ?? []) if (!isService(data, t.from)) set.add(t.from);
    return set;
  };
  const findings: Finding[] = [];
  for (const [platform, paid] of [...outgoing].sort(([a], [b]) => a - b)) {
    if (isService(data, platform)) continue;
    const byVictim = new Map<number, DetectTransfer[]>();
    for (const t of paid) {
      if (isService(data, t.to)) continue;
      let list = byVictim.get(t.to);
      if (!list) byVictim.set(t.to, (list = []));
      list.push(t);
    }
    let net: Set<number> | undefined;
    for (const [victim, profits] of [...byVictim].sort(([a], [b]) => a - b)) {
      net ??= network(platform);
      const deposits = (outgoing.get(victim) ?? []).filter((t) => net!.has(t.to) && t.to !== victim);
      if (deposits.length === 0) continue;
      // The first "profit" after a deposit, and small against what the victim had paid in by then
      // (a "withdrawal" of part of the gains): at most 1 ÷ inducementRatio of it.
      const ratio = BigInt(Math.round(params.inducementRatio * 1_000_000));
      const first = profits.find((p) => {
        const paidIn = deposits.reduce((s, d) => (d.time < p.time && d.asset === p.asset ? s + d.amount : s), 0n);
        return paidIn > 0n && p.amount * ratio <= paidIn * 1_000_000n;
      });
      if (!first) continue;
      const start = first.time;
      const payments = deposits.filter((t) => t.time > start && t.time <= start + params.inducementWindowMs && t.asset === first.asset);
      if (payments.length === 0) continue;
      const last = payments[payments.length - 1]!.time;
      const before = profits.filter((t) => t.time >= start && t.time < last && t.asset === first.asset);
      const given = before.reduce((s, t) => s + t.amount, 0n);
      const taken = payments.reduce((s, t) => s + t.amount, 0n);
      if (taken * 1_000_000n < given * ratio) continue;
      // A victim pays from its own or exchange-bought funds; an account passing third parties'
      // money on to P's network is a trading counterparty or a mule, not one being induced.
      const thirdParty = (incoming.get(victim) ?? []).reduce(
        (s, t) =>
          t.time >= deposits[0]!.time && t.time <= last && t.asset === first.asset && !net!.has(t.from) && !isService(data, t.from) ? s + t.amount : s,
        0n,
      );
      if (thirdParty * ratio > taken * 1_000_000n) continue;
      findings.push({
        typology: 'inducement',
        accounts: [platform, victim, ...[...new Set(payments.map((t) => t.to))].filter((a) => a !== platform).sort((a, b) => a - b)],
        evidence: [...before, ...payments].map((t) => t.id).sort((a, b) => a - b),
        // 1 − "profits" ÷ what the victim paid afterwards: how lopsided the exchange was.
        score: unitScore(1 - Number((given * 1_000_000n) / taken) / 1e6),
      });
    }
  }
  return findings;
};
