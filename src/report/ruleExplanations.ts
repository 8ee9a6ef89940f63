import type { RuleName } from '../model/trace.js';

/** Each tracing rule in plain words, with the legal source a court will recognise. */
export const RULE_EXPLANATIONS: Record<RuleName, { title: string; words: string; source: string }> = {
  fifo: {
    title: 'FIFO — first in, first out',
    words: 'Each payment out of an account is taken from the oldest money in it first. A victim\'s money leaves in the order it arrived; each piece keeps its victim, so nothing is diluted.',
    source: 'Clayton\'s Case (Devaynes v Noble (1816) 1 Mer 572): in a running account, payments out are appropriated to the earliest payments in.',
  },
  lifo: {
    title: 'LIFO — last in, first out',
    words: 'Each payment out is taken from the newest money first. It is the bound opposite to FIFO: fresh victim money is carried on first.',
    source: 'Used by investigators and some courts as the counterpart of Clayton\'s Case to bound the result.',
  },
  'pro-rata': {
    title: 'Pro-rata (rolling charge)',
    words: 'Every payment out carries each victim\'s share of the account balance at that moment: per victim, the amount × that victim\'s traced money ÷ the balance, rounded down to a minor unit. Losses are borne rateably.',
    source: 'Barlow Clowes International Ltd v Vaughan [1992] 4 All ER 22 (CA): the rolling charge (North American method).',
  },
  libr: {
    title: 'LIBR — lowest intermediate balance rule',
    words: 'The account holder is taken to spend his own (untraced) money first; victim money leaves only when nothing else is left, and later deposits do not refill it. The traced money left in an account never exceeds its lowest balance since the money arrived.',
    source: 'Roscoe (James) (Bolton) Ltd v Winder [1915] 1 Ch 62; Re Hallett\'s Estate (1880) 13 Ch D 696.',
  },
  poison: {
    title: 'Poison (taint)',
    words: 'Once an account holds any victim money, every later payment out of it is treated as wholly traced, and the account\'s traced money is not reduced. It is an upper bound for screening and freezing: its totals can exceed what the victims paid, and it does not measure a victim\'s share.',
    source: 'Taint analysis as used in exchange compliance and asset-freezing practice; not a restitution rule.',
  },
};

export const LIMITATIONS: readonly string[] = [
  'The trace covers only the transfers in the case file; an account whose history is missing shows it as an "unknown source" draw, never as invented money.',
  'Amounts reaching an endpoint (exchange, OTC desk, processor, market, gambling, mixer, bridge, sanctioned wallet) stop there: what happened inside the service needs its own records.',
  'Endpoints and labels come from attribution tags; each tag\'s origin and source file are in the case file (hoptrace tags).',
  'Links between bank payments and crypto transfers come from the exchange or OTC returns ingested; the traced share is carried proportionally (rounded down).',
  'Within one timestamp, chain transfers are ordered by log index when known, otherwise by the order of the source file.',
];
