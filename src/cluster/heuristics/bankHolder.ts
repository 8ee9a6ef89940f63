/**
 * Shared bank holder: accounts at the same bank held by the same (normalised) name are one person's
 * or one company's. The bank is the IBAN's country and bank code, or the statement's bank code.
 */
import type { ClusterHeuristic, MergeProposal } from '../types.js';

export function bankOf(ident: string, bank: string | null): string | null {
  if (bank) return bank;
  if (/^[A-Z]{2}\d{2}/.test(ident)) return ident.slice(0, 2) + ident.slice(4, ident.startsWith('DE') ? 12 : 8);
  const colon = ident.indexOf(':');
  return colon > 0 ? ident.slice(0, colon) : null;
}

export const bankHolderHeuristic: ClusterHeuristic = (data) => {
  const groups = new Map<string, number[]>();
  for (const account of [...data.accounts.values()].sort((a, b) => a.id - b.id)) {
    if (account.rail !== 'bank' || !account.holderNorm || account.service) continue;
    const bank = bankOf(account.ident, account.bank);
    if (!bank) continue;
    const key = `${bank}|${account.holderNorm}`;
    let ids = groups.get(key);
    if (!ids) groups.set(key, (ids = []));
    ids.push(account.id);
  }
  const merges: MergeProposal[] = [];
  for (const [key, ids] of groups) {
    for (let i = 1; i < ids.length; i++)
      merges.push({
        a: ids[0]!,
        b: ids[i]!,
        heuristic: 'bank-holder',
        confidence: 50,
        evidence: [],
        reason: `same holder "${key.split('|')[1]}" at bank ${key.split('|')[0]}`,
      });
  }
  return merges;
};
