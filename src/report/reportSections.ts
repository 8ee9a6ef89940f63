import type { TraceEdge, TraceResult } from '../model/trace.js';
import { heading, list, paragraph, table, type Block, type Cell, type Inline } from './document.js';
import { explorerLink, USDT_CONTRACTS } from './explorer.js';
import type { EdgeIndex } from './evidenceChains.js';
import type { TraceAudit } from './hopAudit.js';
import { formatAssetAmounts, formatBySeed, victimSummaries, type AccountRoles } from './reportModel.js';
import { LIMITATIONS, RULE_EXPLANATIONS } from './ruleExplanations.js';

export interface ReportContext {
  result: TraceResult;
  roles: AccountRoles;
  audit: TraceAudit;
  edges: EdgeIndex;
  /** ISO time for the "Generated" line, or null to leave it out (byte-identical reports). */
  timestamp: string | null;
}

export const REPORT_TITLE = 'hoptrace evidence-chain report';

/** The transaction hash as a block-explorer link, or the bank reference as text. */
export function referenceInline(rail: string, ref: string): Inline {
  const href = explorerLink(rail, ref);
  return href ? { text: ref, href } : ref;
}

/**
 * One hop as table cells. In the appendix (`seeds` absent) with every victim's part and the full
 * arithmetic; in an evidence chain with the parts of the path's victims and the five allocation
 * figures (the appendix row of the same transfer spells out the rule's arithmetic).
 */
export function hopCells(ctx: ReportContext, index: number, seeds?: readonly string[]): Cell[] {
  const e = ctx.result.edges[index]!;
  return [
    e.hop,
    `${ctx.roles.describe(e.rail, e.from)} → ${ctx.roles.describe(e.rail, e.to)}`,
    e.time,
    [referenceInline(e.rail, e.ref)],
    `${e.amount} ${e.asset}`,
    `${e.traced} (${seeds ? formatSomeSeeds(e.bySeed, seeds) : formatBySeed(e.bySeed)})`,
    seeds ? allocationFigures(ctx, index) : ctx.audit.hops[index]!.arithmetic,
    `${e.source.path}:${e.source.line}`,
  ];
}

function formatSomeSeeds(bySeed: Readonly<Record<string, string>>, seeds: readonly string[]): string {
  const shown = Object.fromEntries(Object.entries(bySeed).filter(([seed]) => seeds.includes(seed)));
  const others = Object.keys(bySeed).length - Object.keys(shown).length;
  return `${formatBySeed(shown)}${others > 0 ? `; and ${others} other victim payment${others === 1 ? '' : 's'}, see Appendix A` : ''}`;
}

function allocationFigures(ctx: ReportContext, index: number): string {
  const e = ctx.result.edges[index]!;
  const a = e.allocation;
  if (!a) return ctx.audit.hops[index]!.arithmetic;
  const unknown = /^0*\.?0*$/.test(a.unknownDrawn) ? '' : `; unknown source ${a.unknownDrawn}`;
  return `balance before ${a.balanceBefore}; traced before ${a.tracedBefore}; ${ctx.result.rule}: carried ${a.tracedCarried}; traced left ${a.tracedLeft}${unknown}${e.viaLink !== undefined ? `; plus link from transfer ${e.viaLink}` : ''}`;
}

export const HOP_HEADERS = ['hop', 'from → to', 'time (UTC)', 'transaction / reference', 'amount', 'traced (per victim payment)', 'allocation at this hop', 'source file:line'];

export function headerSection(ctx: ReportContext): Block[] {
  const { result, audit } = ctx;
  const p = result.params;
  const items: Inline[][] = [
    ['Case file: ', { code: result.case.path }, ', SHA-256 ', { code: result.case.sha256 ?? 'not hashed (in-memory case)' }],
    ['Tool: ', `${result.case.tool} ${result.case.version}`],
  ];
  // The audit log's head pins every change made to the case before the trace (docs/case-file.md).
  items.splice(1, 0, ['Audit log head: ', { code: result.case.logHead ?? 'not recorded (trace written before the audit log)' }]);
  if (ctx.timestamp) items.push(['Generated: ', ctx.timestamp]);
  items.push(['Rule: ', { strong: result.rule }, `; max hops: ${p.maxHops ?? 'none'}; min amount: ${p.minAmount ?? 'none'}; until: ${p.until ?? 'none'}; stop at degree: ${p.stopAtDegree ?? 'none'}`]);
  items.push(['Seeds as given: ', ...p.seeds.flatMap((s, i): Inline[] => (i === 0 ? [{ code: s }] : [', ', { code: s }]))]);
  items.push(['Checks: ', audit.problemCount === 0 ? `the arithmetic of all ${result.edges.length} hops and ${audit.statements.length} account statements was re-checked from this report's figures and agrees` : `${audit.problemCount} inconsistencies found — see "Checks"`]);
  return [heading(1, REPORT_TITLE), list(items)];
}

export function methodSection(ctx: ReportContext): Block[] {
  const rule = RULE_EXPLANATIONS[ctx.result.rule];
  return [
    heading(2, 'Method: tracing rule, legal source and limitations'),
    paragraph({ strong: `${rule.title}.` }, ` ${rule.words}`),
    paragraph('Legal source: ', rule.source),
    paragraph('How to recompute a hop: ', rule.recompute),
    paragraph('Limitations:'),
    list(LIMITATIONS.map((l) => [l])),
  ];
}

export function sourcesSection(ctx: ReportContext): Block[] {
  const { sources } = ctx.result;
  const rejected = sources.reduce((n, s) => n + s.rejected, 0);
  return [
    heading(2, 'Sources'),
    paragraph(`Every input file of the case, with the SHA-256 recorded when it was imported (hoptrace verify re-hashes them). Rows rejected: ${rejected}${rejected > 0 ? ' (kept in the case file with their reasons; hoptrace info lists them)' : ''}.`),
    table(['file', 'SHA-256', 'size (bytes)', 'adapter', 'rows', 'rejected'], sources.map((s) => [s.path, [{ code: s.sha256 }], s.size, s.adapter, s.rows, s.rejected])),
  ];
}

export function summarySection(ctx: ReportContext): Block[] {
  const { result, roles } = ctx;
  const blocks: Block[] = [heading(2, 'Summary per victim')];
  blocks.push(
    table(
      ['victim', 'payments (seeds)', 'paid', 'reached (by endpoint category)', 'still held', 'beyond the hop limit', 'below the threshold'],
      victimSummaries(result).map((v) => [
        `${v.rail}:${v.victim}`,
        v.seeds.map((s) => `seed ${s}`).join(', '),
        formatAssetAmounts(v.paid),
        Object.entries(v.reached).map(([category, amounts]) => `${category}: ${formatAssetAmounts(amounts)}`).join('; ') || '—',
        formatAssetAmounts(v.held),
        formatAssetAmounts(v.beyondHopLimit),
        formatAssetAmounts(v.belowThreshold),
      ]),
    ),
  );
  blocks.push(heading(3, 'Victim payments (seeds)'), table(['seed', 'transaction / reference', 'from → to', 'time (UTC)', 'amount'], result.seeds.map((s) => [`seed ${s.id}`, [referenceInline(s.rail, s.ref)], `${s.from} → ${roles.describe(s.rail, s.to)}`, s.time, `${s.amount} ${s.asset}`])));
  blocks.push(
    heading(3, 'Endpoints reached'),
    result.endpoints.length === 0
      ? paragraph('No traced money reached an endpoint.')
      : table(['category', 'account', 'labels', 'amount', 'per victim payment', 'first (UTC)', 'last (UTC)'], result.endpoints.map((e) => [e.category, `${e.rail}:${e.ident}`, e.labels.join('; ') || '—', `${e.amount} ${e.asset}`, formatBySeed(e.bySeed), e.first, e.last])),
  );
  const stopped = [...result.beyondHopLimit.map((h) => ['beyond the hop limit', h] as const), ...result.belowThreshold.map((h) => ['below the threshold', h] as const)];
  if (stopped.length > 0) blocks.push(heading(3, 'Stopped by limits'), table(['limit', 'account', 'amount', 'per victim payment'], stopped.map(([why, h]) => [why, `${h.rail}:${h.ident}`, `${h.amount} ${h.asset}`, formatBySeed(h.bySeed)])));
  if (result.unknownSourceDraws.length > 0) {
    blocks.push(
      heading(3, 'Unknown-source draws'),
      paragraph('Payments out larger than the balance known from the case file: the shortfall was drawn from an untraced "unknown source" (missing history), never from victim money.'),
      table(['account', 'amount drawn', 'transfers'], result.unknownSourceDraws.map((d) => [`${d.rail}:${d.ident}`, `${d.amount} ${d.asset}`, d.transfers])),
    );
  }
  blocks.push(heading(3, 'Totals and conservation'), table(['asset', 'seeded', 'linked in', 'converted out', 'at endpoints', 'held', 'beyond hop limit', 'below threshold', 'unknown-source draws', 'unaccounted'], result.totals.byAsset.map((t) => [t.asset, t.seeded, t.linkedIn, t.convertedOut, t.atEndpoints, t.held, t.beyondHopLimit, t.belowThreshold, t.unknownSourceDrawn, t.unaccounted])));
  blocks.push(
    paragraph(
      result.rule === 'poison'
        ? 'Poison traces whole payments out and does not reduce an account\'s traced money, so the same money is counted again at each hop: its totals can exceed what the victims paid, and the conservation line does not apply.'
        : `Conservation (seeded + linked in − converted out = at endpoints + held + beyond hop limit + below threshold): ${result.totals.conserved ? 'holds to the minor unit' : 'DOES NOT HOLD — see "unaccounted"'}.`,
    ),
  );
  return blocks;
}

export function freezeSection(ctx: ReportContext): Block[] {
  const { result } = ctx;
  const blocks: Block[] = [heading(2, 'Freeze candidates')];
  blocks.push(paragraph('Accounts still holding traced money at the end of the trace. Tether can freeze USDT at these addresses (name the token contract below in the request); a bank can freeze a bank balance.'));
  if (result.held.length === 0) return [...blocks, paragraph('No account still holds traced money.')];
  blocks.push(
    table(
      ['account', 'chain / rail', 'asset', 'amount', 'token contract', 'per victim payment'],
      result.held.map((h) => [h.ident, h.rail, h.asset, h.amount, h.asset === 'USDT' && USDT_CONTRACTS[h.rail] ? [{ code: USDT_CONTRACTS[h.rail]! }] : '—', formatBySeed(h.bySeed)]),
    ),
  );
  return blocks;
}

export function describeArrival(ctx: ReportContext, edge: TraceEdge): string {
  return `transfer ${edge.transfer} at ${edge.time} brought ${edge.traced} ${edge.asset} traced (${formatBySeed(edge.bySeed)})`;
}
