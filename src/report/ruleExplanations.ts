import type { RuleName } from '../model/trace.js';

/**
 * Each tracing rule in plain words, with the legal source a court will recognise and how a
 * second examiner recomputes one hop from the report's own tables.
 */
export interface RuleExplanation {
  title: string;
  words: string;
  source: string;
  recompute: string;
}

export const RULE_EXPLANATIONS: Record<RuleName, RuleExplanation> = {
  fifo: {
    title: 'FIFO — first in, first out',
    words:
      "Each payment out of an account is taken from the oldest money in it first. A victim's money leaves in the order it arrived; each piece keeps its victim, so nothing is diluted.",
    source:
      "Clayton's Case (Devaynes v Noble (1816) 1 Mer 572): in a running account, payments out are appropriated to the earliest payments in. Courts may displace it where it would be unjust or impractical (Barlow Clowes International Ltd v Vaughan [1992] 4 All ER 22).",
    recompute:
      "At each hop: traced before − traced carried = traced left. The traced money carried is at least the amount minus the untraced money in the account (balance before − traced before) and at most the traced money before. Which lots are oldest follows from the account's arrivals in time order (Appendix B) and, for untraced money, from the account's statement lines cited by source file and line.",
  },
  lifo: {
    title: 'LIFO — last in, first out',
    words: 'Each payment out is taken from the newest money first. It is the opposite bound to FIFO: fresh victim money is carried on first.',
    source: "Not a rule any leading authority adopts for mixed funds; used by investigators as the counterpart of Clayton's Case to bound the result.",
    recompute:
      'As for FIFO, with the newest lots first: traced before − traced carried = traced left, and the carried amount lies between the amount minus the untraced money and the traced money before.',
  },
  'pro-rata': {
    title: 'Pro-rata (rolling charge)',
    words:
      "Every payment out carries each victim's share of the account balance at that moment: per victim, the amount × that victim's traced money ÷ the balance, rounded down to a minor unit. Losses are borne rateably.",
    source: 'Barlow Clowes International Ltd v Vaughan [1992] 4 All ER 22 (CA): the rolling charge (the "North American" method).',
    recompute:
      "Per victim: amount × that victim's traced money before (Appendix B, the account's running balance) ÷ balance before, rounded down to a minor unit; when no untraced money is left to absorb the rounding, the units left over go one each to the victims with the largest remainders. Traced left = traced before − traced carried.",
  },
  libr: {
    title: 'LIBR — lowest intermediate balance rule',
    words:
      'The account holder is taken to spend his own (untraced) money first; victim money leaves only when nothing else is left, and later deposits do not refill it. The traced money left in an account never exceeds its lowest balance since the money arrived.',
    source:
      "Roscoe (James) (Bolton) Ltd v Winder [1915] 1 Ch 62; Re Hallett's Estate (1880) 13 Ch D 696 (a wrongdoer is presumed to spend his own money first).",
    recompute:
      'Traced carried = the smaller of the traced money before and (amount − untraced money before), never below zero, where untraced money = balance before − traced before. Traced left = traced before − traced carried.',
  },
  poison: {
    title: 'Poison (taint)',
    words:
      "Once an account holds any victim money, every later payment out of it is treated as wholly traced, and the account's traced money is not reduced. It is an upper bound for screening and freezing: the same money is counted again at every payment out, so its totals can exceed what the victims paid, and it does not measure a victim's share.",
    source:
      'Taint analysis as used in exchange compliance and asset-freezing practice; not a restitution rule. Present it as the upper bound beside a restitution rule (FIFO, pro-rata or LIBR).',
    recompute:
      'Every payment out of an account holding traced money is traced in full, split between victims in proportion to what each put into the account (rounded down, the remainder to the largest). The traced money left is the balance, at most the traced money that came in. Totals are not conserved.',
  },
};

/** DESIGN rule 6, in words: the order in which the limits, links and endpoints stop traced money. */
export const PRECEDENCE =
  "each traced piece of a payment is tested in this order, and the first test that applies decides: (a) if its hop would pass the hop limit (--max-hops) it stops there, counted as beyond the hop limit, even where the recipient is an exchange or another endpoint; (b) if the traced part of the payment (all victims together, in that asset's own units) is below the threshold (--min-amount) it stops there, counted as below the threshold; (c) if an exchange or OTC return links the payment to a crypto transfer, it is carried into that transfer, even where the recipient is an endpoint; (d) if the recipient is an endpoint it stops there; (e) otherwise it is carried on.";

/** The tie-breaks a second examiner needs to reproduce every figure to the minor unit (docs/tracing.md). */
export const TIE_BREAKS =
  "payments are processed by time, then block, then log index, then the order of the source file (statement line or export row). Pro-rata rounds each victim's share down to a minor unit; the units left over come from untraced money, or, when too little is left, one each to the victims with the largest remainders (ties: the earlier victim payment). When money of one victim that arrived at different hops is merged (pro-rata, poison, a link), it keeps the smallest hop. A link gives each victim crypto amount × traced fiat ÷ fiat amount, rounded down, and the linked lots arrive in the order the fiat payment was cut (each victim where its first piece was cut), the untraced remainder last.";

export const LIMITATIONS: readonly string[] = [
  'The trace covers only the transfers in the case file (the sources listed below); an account whose history is missing shows it as an "unknown source" draw, never as invented money.',
  "Money reaching an endpoint (exchange, OTC desk, payment processor, guarantee market, gambling site, mixer, bridge, sanctioned wallet) stops there: what happened inside the service needs its own records (for example the exchange's reply to a production order).",
  "Endpoints and labels come from attribution tags (OFAC lists, TagPacks, exchange replies, the investigator's own tags); each tag's origin and source file are kept in the case file (hoptrace tags). A label is attribution, not proof of ownership.",
  'Links between bank payments and crypto transfers come from the exchange or OTC returns ingested; the traced share is carried proportionally, rounded down.',
  'Transfers are ordered by time, then block, then log index or statement line; within one second on one chain the order of the source file decides.',
  "The report re-checks every hop's arithmetic and every account's running traced balance from the trace's own figures; any inconsistency is listed under \"Checks\". Under FIFO and LIFO the order of untraced lots comes from the account's full history in the case file, which the report cites but does not reproduce.",
  'Evidence chains list at most 10 paths per arrival; when there are more, the report says so, and every hop is in Appendix A.',
];
