/**
 * Structuring (smurfing): repeated payments just under a reporting threshold from one account or
 * into one account within a window (31 U.S.C. § 5324; the EU's €10,000 cash threshold). The
 * threshold is a parameter: set it to the rule that applies.
 */
import { byAccount, ppm, unitScore, unitsOf, type DetectTransfer, type Finding, type Typology } from '../types.js';

export const structuringTypology: Typology = (data, params) => {
  const threshold = unitsOf(params.structuringThreshold);
  const near = (t: DetectTransfer): boolean => {
    const limit = threshold(t);
    return t.amount >= (limit * (1_000_000n - ppm(params.structuringMargin))) / 1_000_000n && t.amount < limit;
  };
  const grouped = byAccount(data.transfers.filter(near), { minAmount: '0', dustFloor: params.dustFloor });
  const findings: Finding[] = [];
  for (const map of [grouped.out, grouped.in]) {
    for (const [account, list] of [...map].sort(([a], [b]) => a - b)) {
      let start = 0;
      for (let end = 0; end < list.length; end++) {
        while (list[end]!.time - list[start]!.time > params.windowMs) start++;
        if (end - start + 1 >= params.structuringMinCount) {
          const window = list.slice(start, end + 1);
          findings.push({
            typology: 'structuring',
            accounts: [account],
            evidence: window.map((t) => t.id),
            score: unitScore(window.length / (2 * params.structuringMinCount)),
          });
          break;
        }
      }
    }
  }
  return findings;
};
