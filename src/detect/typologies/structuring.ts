/**
 * Structuring (smurfing): repeated payments just under a reporting threshold from one account or
 * into one account within a window (31 U.S.C. § 5324; the EU's €10,000 cash threshold). The
 * threshold is a parameter: set it to the rule that applies.
 */
import { countedTest, groupByAccount, ppm, unitScore, unitsOf, type Finding, type Typology } from '../types.js';

export const structuringTypology: Typology = (data, params) => {
  const t = data.transfers;
  const threshold = unitsOf(params.structuringThreshold);
  const margin = 1_000_000n - ppm(params.structuringMargin);
  const near = (row: number): boolean => {
    const limit = threshold(t.decimals[row]!);
    const amount = t.amount(row);
    return amount >= (limit * margin) / 1_000_000n && amount < limit;
  };
  const counted = countedTest(t, { minAmount: '0', dustFloor: params.dustFloor });
  const grouped = groupByAccount(t, (row) => near(row) && counted(row));
  const findings: Finding[] = [];
  for (const map of [grouped.out, grouped.in]) {
    for (const account of map.accounts) {
      const list = map.of(account);
      let start = 0;
      for (let end = 0; end < list.length; end++) {
        while (t.time[list[end]!]! - t.time[list[start]!]! > params.windowMs) start++;
        if (end - start + 1 >= params.structuringMinCount) {
          const window = list.subarray(start, end + 1);
          findings.push({
            typology: 'structuring',
            accounts: [account],
            evidence: Array.from(window, (row) => t.ids[row]!),
            score: unitScore(window.length / (2 * params.structuringMinCount)),
          });
          break;
        }
      }
    }
  }
  return findings;
};
