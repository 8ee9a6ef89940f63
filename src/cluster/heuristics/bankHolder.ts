/**
 * Shared bank holder: accounts at the same bank held by the same (normalised) name are one person's
 * or one company's. The bank is the IBAN's country and bank code, or the statement's bank code.
 */
import type { ClusterHeuristic } from '../types.js';

export function bankOf(ident: string, bank: string | null): string | null {
  if (bank) return bank;
  if (/^[A-Z]{2}\d{2}/.test(ident)) return ident.slice(0, 2) + ident.slice(4, ident.startsWith('DE') ? 12 : 8);
  const colon = ident.indexOf(':');
  return colon > 0 ? ident.slice(0, colon) : null;
}

export const bankHolderHeuristic: ClusterHeuristic = (data, _params, out) => {
  const { accounts } = data;
  const groups = new Map<string, number[]>();
  const held = [...accounts.ids()].filter((id) => accounts.rail(id) === 'bank' && accounts.holderNorm(id) && !accounts.isService(id));
  // Their idents, read at once (they may not be read yet: selectClusterData).
  accounts.loadIdents(held);
  for (const id of held) {
    const holderNorm = accounts.holderNorm(id)!;
    const bank = bankOf(accounts.ident(id), accounts.bank(id));
    if (!bank) continue;
    const key = `${bank}|${holderNorm}`;
    let ids = groups.get(key);
    if (!ids) groups.set(key, (ids = []));
    ids.push(id);
  }
  for (const [key, ids] of groups) {
    const reason = `same holder "${key.split('|')[1]}" at bank ${key.split('|')[0]}`;
    for (let i = 1; i < ids.length; i++) out.push(ids[0]!, ids[i]!, 'bank-holder', 50, [], reason);
  }
};
