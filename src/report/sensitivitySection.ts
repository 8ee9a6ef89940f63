import { comparisonRows, type RuleComparison } from '../trace/compare.js';
import { heading, paragraph, table, type Block } from './document.js';
import { exact } from './figures.js';
import type { AccountRoles } from './reportModel.js';

/**
 * "Sensitivity to the tracing rule": the same seeds and limits under each rule compared, per victim
 * and per endpoint, with the spread (largest − smallest) and the largest spread of each kind and
 * asset flagged — the range of opinion a court expert gives (docs/tracing.md, "Comparing rules").
 */
export function sensitivitySection(comparison: RuleComparison, roles: AccountRoles): Block[] {
  const rows = comparisonRows(comparison);
  const headers = (first: string): string[] => [first, 'asset', ...comparison.rules, 'spread'];
  // Figures as everywhere in the report (docs/reports.md, "Figures"): exact, with thousands separators.
  const cells = (r: (typeof rows)[number], first: string): string[] => [
    first,
    r.asset,
    ...comparison.rules.map((rule) => (r.byRule[rule] === undefined ? '—' : exact(r.byRule[rule]!))),
    `${exact(r.spread)}${r.largest ? ' (largest)' : ''}`,
  ];
  // Victims and endpoints named as the rest of the report names them ("Anna Becker — bank:DE68…").
  const victimName = (label: string): string => {
    const colon = label.indexOf(':');
    const name = roles.name(label.slice(0, colon), label.slice(colon + 1));
    return name ? `${name} — ${label}` : label;
  };
  const blocks: Block[] = [heading(2, 'Sensitivity to the tracing rule')];
  blocks.push(
    paragraph(
      `The same victim payments and limits traced under ${comparison.rules.join(', ')}. Each figure is what that rule attributes; the spread is the largest minus the smallest, and the largest spread per asset is marked: that is where the choice of rule matters most.`,
    ),
  );
  const victims = rows.filter((r) => r.kind === 'victim');
  if (victims.length > 0)
    blocks.push(
      heading(3, 'Per victim'),
      table(
        headers('victim: outcome'),
        victims.map((r) => cells(r, `${victimName(r.label)}: ${r.measure}`)),
      ),
    );
  const endpoints = rows.filter((r) => r.kind === 'endpoint');
  blocks.push(
    heading(3, 'Per endpoint'),
    endpoints.length === 0
      ? paragraph('No endpoint was reached under any rule.')
      : table(
          headers('endpoint'),
          // The endpoint rows come in the comparison's endpoint order (comparisonRows).
          endpoints.map((r, i) => {
            const e = comparison.endpoints[i]!;
            return cells(r, `${e.category}: ${roles.describe(e.rail, e.ident)}`);
          }),
        ),
  );
  return blocks;
}
