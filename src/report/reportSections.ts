import type { TraceEdge, TraceResult } from '../model/trace.js';
import { heading, list, paragraph, table, type Block, type Cell, type Inline } from './document.js';
import { explorerLink, USDT_CONTRACTS } from './explorer.js';
import type { EdgeIndex } from './evidenceChains.js';
import type { TraceAudit } from './hopAudit.js';
import { formatAssetAmounts, formatBySeed, victimSummaries, type AccountRoles } from './reportModel.js';
import { LIMITATIONS, PRECEDENCE, RULE_EXPLANATIONS, TIE_BREAKS } from './ruleExplanations.js';

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
    paragraph('Where each piece of traced money stops: ', PRECEDENCE),
    paragraph('Tie-breaks: ', TIE_BREAKS),
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
    ...balanceGapBlocks(ctx),
  ];
}

/** Incomplete statements of accounts in this trace (docs/bank-statements.md, "Balance gaps"). */
function balanceGapBlocks(ctx: ReportContext): Block[] {
  const gaps = ctx.result.balanceGaps ?? [];
  if (gaps.length === 0) return [];
  return [
    heading(3, 'Balance gaps'),
    paragraph('The running balance of these statements shows money moving between two lines that no line shows (a line or page missing from the production): flows through these accounts may be incomplete.'),
    table(
      ['account', 'missing', 'between lines', 'file'],
      gaps.map((g) => [g.account, `${g.missing} ${g.asset}`, g.lineBefore === null ? `before ${g.lineAfter}` : `${g.lineBefore} and ${g.lineAfter}`, g.path]),
    ),
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
  blocks.push(heading(3, 'Victim payments (seeds)'), table(['seed', 'transaction / reference', 'from → to', 'time (UTC)', 'paid', 'traced from it'], result.seeds.map((s) => [`seed ${s.id}`, [referenceInline(s.rail, s.ref)], `${s.from} → ${roles.describe(s.rail, s.to)}`, s.time, `${s.paid} ${s.asset}`, `${s.traced} ${s.asset}${s.reason ? ` (${s.reason})` : ''}`])));
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

/**
 * Where the money rests (DESIGN rule 10): only accounts whose own history the case holds through
 * a time T are freeze candidates "holding X as of T"; the others were only seen as a counterparty
 * and are listed to follow up.
 */
export function freezeSection(ctx: ReportContext): Block[] {
  const { result } = ctx;
  const blocks: Block[] = [heading(2, 'Freeze candidates')];
  const inCase = result.held.filter((h) => h.history.class === 'in-case');
  const lastSeen = result.held.filter((h) => h.history.class === 'last-seen');
  blocks.push(paragraph('Accounts whose own history the case holds (their bank statement, a completed fetch or an explorer export of the address) and that still held traced money at the end of it: each holds the amount as of the time given. Tether can freeze USDT at these addresses (name the token contract below in the request); a bank can freeze a bank balance.'));
  if (inCase.length === 0) blocks.push(paragraph('No account whose history the case holds still holds traced money.'));
  else
    blocks.push(
      table(
        ['account', 'chain / rail', 'asset', 'amount', 'as of (UTC)', 'history in the case', 'token contract', 'per victim payment'],
        inCase.map((h) => [h.ident, h.rail, h.asset, h.amount, h.history.class === 'in-case' ? h.history.until : '—', h.history.class === 'in-case' ? h.history.basis : '—', h.asset === 'USDT' && USDT_CONTRACTS[h.rail] ? [{ code: USDT_CONTRACTS[h.rail]! }] : '—', formatBySeed(h.bySeed)]),
      ),
    );
  if (lastSeen.length > 0) {
    blocks.push(heading(3, 'Follow up: history not in the case'));
    blocks.push(paragraph('Traced money was last seen arriving at these accounts, but the case holds only their transfers with traced accounts, not their own history: it may have moved on. Obtain their statement or fetch their history before asking for a freeze.'));
    blocks.push(table(['account', 'chain / rail', 'asset', 'amount last seen', 'last seen (UTC)', 'per victim payment'], lastSeen.map((h) => [h.ident, h.rail, h.asset, h.amount, h.history.class === 'last-seen' ? h.history.lastSeen : '—', formatBySeed(h.bySeed)])));
  }
  return blocks;
}

export function describeArrival(ctx: ReportContext, edge: TraceEdge): string {
  return `transfer ${edge.transfer} at ${edge.time} brought ${edge.traced} ${edge.asset} traced (${formatBySeed(edge.bySeed)})`;
}
