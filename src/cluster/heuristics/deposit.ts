/**
 * Deposit-address reuse (Victor 2020, "Address clustering heuristics for Ethereum", FC 2020): an
 * exchange gives each customer a deposit address that forwards what it receives to the exchange's
 * hot wallet. An address that sends only to one tagged exchange wallet, forwarding at least 1 − ε
 * of each receipt within Δt, is such a deposit address, and the addresses paying into it are one
 * customer. Victor's reference parameters are 10,000 blocks and 0.01 ETH; here the window is in
 * hours (Tron blocks are 3 s, Ethereum's 12 s) and ε is relative.
 */
import { atLeastShare, type ClusterHeuristic, type MergeProposal } from '../types.js';

export const depositHeuristic: ClusterHeuristic = (data, params) => {
  const outgoing = new Map<number, typeof data.transfers>();
  const incoming = new Map<number, typeof data.transfers>();
  for (const t of data.transfers) {
    if (t.from === t.to) continue;
    let sent = outgoing.get(t.from);
    if (!sent) outgoing.set(t.from, (sent = []));
    sent.push(t);
    let got = incoming.get(t.to);
    if (!got) incoming.set(t.to, (got = []));
    got.push(t);
  }
  const window = params.depositWindowHours * 3_600_000;
  const merges: MergeProposal[] = [];
  for (const [address, sent] of [...outgoing].sort(([a], [b]) => a - b)) {
    const account = data.accounts.get(address);
    if (!account || account.service) continue;
    const targets = new Set(sent.map((t) => t.to));
    if (targets.size !== 1) continue;
    const exchange = [...targets][0]!;
    if (!data.accounts.get(exchange)?.exchange) continue;
    const received = (incoming.get(address) ?? []).filter((t) => !data.accounts.get(t.from)?.service);
    if (received.length === 0) continue;
    const forwardsAll = received.every((r) => sent.some((s) => s.asset === r.asset && s.time >= r.time && s.time - r.time <= window && atLeastShare(s.amount, r.amount, 1 - params.depositEpsilon)));
    if (!forwardsAll) continue;
    const payers = [...new Map(received.map((r) => [r.from, r])).values()].sort((a, b) => a.from - b.from);
    for (const payer of payers) {
      merges.push({ a: address, b: payer.from, heuristic: 'deposit', confidence: 80, evidence: [payer.id, sent[0]!.id], reason: `${account.ident} is a deposit address forwarding to exchange wallet ${data.accounts.get(exchange)!.ident}; this address paid into it` });
    }
  }
  return merges;
};
