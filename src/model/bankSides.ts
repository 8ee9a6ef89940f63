import { isAccountIdent } from './bankAccount.js';

/**
 * One payment, two statements. The payer's bank lists it as money out to the payee's account,
 * the payee's bank as money in from the payer's account, each with its own reference and often
 * on different days. Both lines describe one transfer when:
 *
 * - the amount and currency are the same,
 * - the booking dates are at most `MATCH_WINDOW_DAYS` apart,
 * - each side's counterparty is the other's account — which, with both statements normalised to
 *   the same idents, means the two lines have the same `from` and `to` accounts,
 * - and the stored transfer was not already seen from this side (one line per side).
 *
 * The store finds the candidates (src/store/bankMatch.ts); this picks one, deterministically:
 * the nearest in time, then the first stored.
 */
export const MATCH_WINDOW_DAYS = 3;
export const MATCH_WINDOW_MS = MATCH_WINDOW_DAYS * 86_400_000;

export interface CounterpartCandidate {
  id: number;
  time: number;
}

/** Only real accounts can be "the other's account": a name or an unidentified party never matches. */
export function canMatchSides(own: string, counterparty: string): boolean {
  return own !== counterparty && isAccountIdent(own) && isAccountIdent(counterparty);
}

export function chooseCounterpart(time: number, candidates: readonly CounterpartCandidate[]): CounterpartCandidate | undefined {
  let best: CounterpartCandidate | undefined;
  for (const candidate of candidates) {
    const distance = Math.abs(candidate.time - time);
    if (distance > MATCH_WINDOW_MS) continue;
    if (!best) {
      best = candidate;
      continue;
    }
    const bestDistance = Math.abs(best.time - time);
    if (distance < bestDistance || (distance === bestDistance && candidate.id < best.id)) best = candidate;
  }
  return best;
}
