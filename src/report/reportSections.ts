import type { TraceEdge, TraceResult } from '../model/trace.js';
import { exchangeHopWords } from './exchangeHops.js';
import { heading, list, paragraph, table, type Block, type Cell, type Inline } from './document.js';
import { explorerLink, USDT_CONTRACTS } from './explorer.js';
import type { EdgeIndex } from './evidenceChains.js';
import type { TraceAudit } from './hopAudit.js';
import { type CaseNames, sourceKey, type SourceStored } from '../model/caseNames.js';
import { exact, money, when } from './figures.js';
import { formatAssetAmounts, victimSummaries, type AccountRoles } from './reportModel.js';
import { LIMITATIONS, PRECEDENCE, RULE_EXPLANATIONS, TIE_BREAKS } from './ruleExplanations.js';

export interface ReportContext {
  result: TraceResult;
  roles: AccountRoles;
  audit: TraceAudit;
  edges: EdgeIndex;
  /** ISO time for the "Generated" line, or null to leave it out (byte-identical reports). */
  timestamp: string | null;
  /** What each source file stored, when the report was made with its case file. */
  stored: Record<string, SourceStored> | null;
  /** When the names were read from a later state of the case than the trace's (CaseNames.readAt). */
  namesReadAt: CaseNames['readAt'] | null;
}

/** Separators in the exact decimal figures of a checker's text ("balance 4000.000000" → "4,000.000000"); whole numbers (transfer ids) stay. */
export const groupFigures = (text: string): string => text.replace(/(?<![\d.,])\d{4,}\.\d+/g, (figure) => exact(figure));

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
    exchangeHopWords(ctx.result, index, (rail, ident) => ctx.roles.describe(rail, ident)) ??
      `${ctx.roles.describe(e.rail, e.from)} → ${ctx.roles.describe(e.rail, e.to)}`,
    when(e.rail, e.time),
    [referenceInline(e.rail, e.ref)],
    money(e.amount, e.asset),
    `${exact(e.traced)} (${seeds ? formatSomeSeeds(ctx, e.bySeed, seeds) : ctx.roles.bySeed(e.bySeed)})`,
    groupFigures(ctx.roles.relabel(seeds ? allocationFigures(ctx, index) : ctx.audit.hops[index]!.arithmetic)),
    `${e.source.path}:${e.source.line}`,
  ];
}

function formatSomeSeeds(ctx: ReportContext, bySeed: Readonly<Record<string, string>>, seeds: readonly string[]): string {
  const shown = Object.fromEntries(Object.entries(bySeed).filter(([seed]) => seeds.includes(seed)));
  const others = Object.keys(bySeed).length - Object.keys(shown).length;
  return `${ctx.roles.bySeed(shown)}${others > 0 ? `; and ${others} other victim payment${others === 1 ? '' : 's'}, see Appendix A` : ''}`;
}

function allocationFigures(ctx: ReportContext, index: number): string {
  const e = ctx.result.edges[index]!;
  const a = e.allocation;
  if (!a) return ctx.audit.hops[index]!.arithmetic;
  const unknown = /^0*\.?0*$/.test(a.unknownDrawn) ? '' : `; unknown source ${a.unknownDrawn}`;
  return `balance before ${a.balanceBefore}; traced before ${a.tracedBefore}; ${ctx.result.rule}: carried ${a.tracedCarried}; traced left ${a.tracedLeft}${unknown}${e.viaLink !== undefined ? `; plus link from transfer ${e.viaLink}` : ''}`;
}

export const HOP_HEADERS = [
  'hop',
  'from → to',
  'time (UTC)',
  'transaction / reference',
  'amount',
  'traced (per victim payment)',
  'allocation at this hop',
  'source file:line',
];

export function headerSection(ctx: ReportContext): Block[] {
  const { result, audit } = ctx;
  const p = result.params;
  // A case on PostgreSQL (docs/postgresql.md) is a database, not a file: no file to hash.
  const database = /^postgres(ql)?:\/\//i.test(result.case.path);
  const unhashed = database
    ? 'none (a database, not a file: the audit log head pins its content)'
    : result.case.unhashed !== undefined
      ? `not hashed: ${result.case.unhashed}; the audit log head pins its content`
      : 'not hashed (in-memory case)';
  const items: Inline[][] = [
    [database ? 'Case database: ' : 'Case file: ', { code: result.case.path }, ', SHA-256 ', { code: result.case.sha256 ?? unhashed }],
    ['Tool: ', `${result.case.tool} ${result.case.version}`],
  ];
  // The audit log's head pins every change made to the case before the trace (docs/case-file.md).
  items.splice(1, 0, ['Audit log head: ', { code: result.case.logHead ?? 'not recorded (trace written before the audit log)' }]);
  // Names (holders, tags, notes) read from the case as it is now, past the trace's state: said, with where.
  const later = ctx.namesReadAt;
  if (later)
    items.splice(2, 0, [
      'Names read at audit log head: ',
      { code: later.logHead },
      ` (${later.laterEntries} entr${later.laterEntries === 1 ? 'y' : 'ies'} after the trace's, in a case that continues from it: names and tags added since are shown)`,
    ]);
  if (ctx.timestamp) items.push(['Generated: ', ctx.timestamp]);
  items.push([
    'Rule: ',
    { strong: result.rule },
    `; max hops: ${p.maxHops ?? 'none'}; min amount: ${p.minAmount ?? 'none'}; until: ${p.until ?? 'none'}; stop at degree: ${p.stopAtDegree ?? 'none'}`,
  ]);
  items.push(['Seeds as given: ', ...p.seeds.flatMap((s, i): Inline[] => (i === 0 ? [{ code: s }] : [', ', { code: s }]))]);
  items.push([
    'Checks: ',
    audit.problemCount === 0
      ? `the arithmetic of all ${result.edges.length} hops and ${audit.statements.length} account statements was re-checked from this report's figures and agrees`
      : `${audit.problemCount} inconsistencies found — see "Checks"`,
  ]);
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
    paragraph(
      `Every input file of the case, with the SHA-256 recorded when it was imported (hoptrace verify re-hashes them). Rows rejected: ${rejected}${rejected > 0 ? ' (kept in the case file with their reasons; hoptrace info lists them)' : ''}.`,
    ),
    table(
      ['file', 'SHA-256', 'size (bytes)', 'adapter', 'stored', 'rejected'],
      sources.map((s) => [
        s.path,
        [{ code: s.sha256 }],
        exact(String(s.size)),
        s.adapter,
        storedText(ctx.stored?.[sourceKey(s.path, s.sha256)], s.rows),
        s.rejected,
      ]),
    ),
    ...balanceGapBlocks(ctx),
  ];
}

/** Incomplete statements of accounts in this trace (docs/bank-statements.md, "Balance gaps"). */
function balanceGapBlocks(ctx: ReportContext): Block[] {
  const gaps = ctx.result.balanceGaps ?? [];
  if (gaps.length === 0) return [];
  return [
    heading(3, 'Balance gaps'),
    paragraph(
      'The running balance of these statements shows money moving between two lines that no line shows (a line or page missing from the production): flows through these accounts may be incomplete.',
    ),
    table(
      ['account', 'missing', 'between lines', 'file'],
      gaps.map((g) => [g.account, money(g.missing, g.asset), g.lineBefore === null ? `before ${g.lineAfter}` : `${g.lineBefore} and ${g.lineAfter}`, g.path]),
    ),
  ];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${exact(String(n))} ${n === 1 ? one : many}`;

/** What a file stored: "11 transfers", "189 tags", "5 links", "2 transfers already stored from another file". */
export function storedText(stored: SourceStored | undefined, rows: number): string {
  if (!stored) return plural(rows, 'row');
  const parts: string[] = [];
  if (stored.transfers > 0) parts.push(plural(stored.transfers, 'transfer'));
  if (stored.sightings > 0) parts.push(`${plural(stored.sightings, 'transfer')} already stored from another file`);
  if (stored.tags > 0) parts.push(plural(stored.tags, 'tag'));
  if (stored.links > 0) parts.push(plural(stored.links, 'link'));
  if (stored.openingBalances > 0) parts.push(plural(stored.openingBalances, 'opening balance'));
  return parts.length === 0 ? 'nothing' : parts.join('; ');
}

export function summarySection(ctx: ReportContext): Block[] {
  const { result, roles } = ctx;
  const blocks: Block[] = [heading(2, 'Summary per victim')];
  blocks.push(
    table(
      ['victim', 'payments (victim, date, reference)', 'paid', 'reached (by endpoint category)', 'still held', 'beyond the hop limit', 'below the threshold'],
      victimSummaries(result).map((v) => [
        `${roles.name(v.rail, v.victim) ? `${roles.name(v.rail, v.victim)} — ` : ''}${v.rail}:${v.victim}`,
        v.seeds.map((s) => roles.payment(s)).join('; '),
        formatAssetAmounts(v.paid, 'summary'),
        Object.entries(v.reached)
          .map(([category, amounts]) => `${category}: ${formatAssetAmounts(amounts, 'summary')}`)
          .join('; ') || '—',
        formatAssetAmounts(v.held, 'summary'),
        formatAssetAmounts(v.beyondHopLimit, 'summary'),
        formatAssetAmounts(v.belowThreshold, 'summary'),
      ]),
    ),
  );
  blocks.push(
    heading(3, 'Victim payments'),
    table(
      ['payment', 'transaction / reference', 'from → to', 'time (UTC)', 'paid', 'traced from it'],
      result.seeds.map((s) => [
        roles.payment(s.id),
        [referenceInline(s.rail, s.ref)],
        `${roles.describe(s.rail, s.from)} → ${roles.describe(s.rail, s.to)}`,
        when(s.rail, s.time),
        money(s.paid, s.asset),
        `${money(s.traced, s.asset)}${s.reason ? ` (${s.reason})` : ''}`,
      ]),
    ),
  );
  blocks.push(
    heading(3, 'Endpoints reached'),
    result.endpoints.length === 0
      ? paragraph('No traced money reached an endpoint.')
      : table(
          ['category', 'name and labels', 'account', 'amount', 'per victim payment', 'first (UTC)', 'last (UTC)'],
          result.endpoints.map((e) => [
            e.category,
            labelsOf(roles, e.rail, e.ident, e.labels),
            `${e.rail}:${e.ident}`,
            money(e.amount, e.asset, 'summary'),
            roles.bySeed(e.bySeed, 'summary'),
            when(e.rail, e.first),
            when(e.rail, e.last),
          ]),
        ),
  );
  const stopped = [
    ...result.beyondHopLimit.map((h) => ['beyond the hop limit', h] as const),
    ...result.belowThreshold.map((h) => ['below the threshold', h] as const),
  ];
  if (stopped.length > 0)
    blocks.push(
      heading(3, 'Stopped by limits'),
      table(
        ['limit', 'account', 'amount', 'per victim payment'],
        stopped.map(([why, h]) => [why, roles.describe(h.rail, h.ident), money(h.amount, h.asset, 'summary'), roles.bySeed(h.bySeed, 'summary')]),
      ),
    );
  if (result.unknownSourceDraws.length > 0) {
    blocks.push(
      heading(3, 'Unknown-source draws'),
      paragraph(
        'Payments out larger than the balance known from the case file: the shortfall was drawn from an untraced "unknown source" (missing history), never from victim money.',
      ),
      table(
        ['account', 'amount drawn', 'transfers'],
        result.unknownSourceDraws.map((d) => [roles.describe(d.rail, d.ident), money(d.amount, d.asset), d.transfers]),
      ),
    );
  }
  blocks.push(
    heading(3, 'Totals and conservation'),
    table(
      ['asset', 'seeded', 'linked in', 'converted out', 'at endpoints', 'held', 'beyond hop limit', 'below threshold', 'unknown-source draws', 'unaccounted'],
      result.totals.byAsset.map((t) => [
        t.asset,
        ...[t.seeded, t.linkedIn, t.convertedOut, t.atEndpoints, t.held, t.beyondHopLimit, t.belowThreshold, t.unknownSourceDrawn, t.unaccounted].map(exact),
      ]),
    ),
  );
  blocks.push(
    paragraph(
      result.rule === 'poison'
        ? "Poison traces whole payments out and does not reduce an account's traced money, so the same money is counted again at each hop: its totals can exceed what the victims paid, and the conservation line does not apply."
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
  const { result, roles } = ctx;
  const blocks: Block[] = [heading(2, 'Freeze candidates')];
  const inCase = result.held.filter((h) => h.history.class === 'in-case');
  const lastSeen = result.held.filter((h) => h.history.class === 'last-seen');
  blocks.push(
    paragraph(
      "Accounts whose own history the case holds (their bank statement, a completed fetch, an explorer export of the address or an exchange's return) and that still held traced money at the end of it: each holds the amount as of the time given. Tether can freeze USDT at these addresses (name the token contract below in the request); a bank or an exchange can freeze an account balance.",
    ),
  );
  if (inCase.length === 0) blocks.push(paragraph('No account whose history the case holds still holds traced money.'));
  else
    blocks.push(
      table(
        ['account', 'name and labels', 'chain / rail', 'asset', 'amount', 'as of (UTC)', 'history in the case', 'token contract', 'per victim payment'],
        inCase.map((h) => [
          h.ident,
          labelsOf(roles, h.rail, h.ident),
          h.rail,
          h.asset,
          exact(h.amount),
          h.history.class === 'in-case' ? when(h.rail, h.history.until) : '—',
          h.history.class === 'in-case' ? h.history.basis : '—',
          h.asset === 'USDT' && USDT_CONTRACTS[h.rail] ? [{ code: USDT_CONTRACTS[h.rail]! }] : '—',
          roles.bySeed(h.bySeed),
        ]),
      ),
    );
  if (lastSeen.length > 0) {
    blocks.push(heading(3, 'Follow up: history not in the case'));
    blocks.push(
      paragraph(
        'Traced money was last seen arriving at these accounts, but the case holds only their transfers with traced accounts, not their own history: it may have moved on. Obtain their statement or fetch their history before asking for a freeze.',
      ),
    );
    blocks.push(
      table(
        ['account', 'name and labels', 'chain / rail', 'asset', 'amount last seen', 'last seen (UTC)', 'per victim payment'],
        lastSeen.map((h) => [
          h.ident,
          labelsOf(roles, h.rail, h.ident),
          h.rail,
          h.asset,
          exact(h.amount),
          h.history.class === 'last-seen' ? when(h.rail, h.history.lastSeen) : '—',
          roles.bySeed(h.bySeed),
        ]),
      ),
    );
  }
  return blocks;
}

export function describeArrival(ctx: ReportContext, edge: TraceEdge): string {
  return `transfer ${edge.transfer} at ${when(edge.rail, edge.time)} brought ${money(edge.traced, edge.asset)} traced (${ctx.roles.bySeed(edge.bySeed)})`;
}

/** An account's name and every further label the case or the trace gives it ("—" when none). */
export function labelsOf(roles: AccountRoles, rail: string, ident: string, extra: readonly string[] = []): string {
  const name = roles.name(rail, ident);
  const all = [...new Set([...(name ? [name] : []), ...roles.labels(rail, ident), ...extra])];
  return all.join('; ') || '—';
}
