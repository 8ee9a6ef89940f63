import type { TraceResult } from '../model/trace.js';
import type { RuleComparison } from '../trace/compare.js';
import { heading, list, paragraph, table, type Block, type Cell } from './document.js';
import { EdgeIndex, endpointChains, heldChains, PATHS_PER_ARRIVAL, type Arrival } from './evidenceChains.js';
import { auditTrace } from './hopAudit.js';
import { exchangeReturnSection } from './exchangeSection.js';
import type { CaseAnnotation, CaseNames } from '../model/caseNames.js';
import { exact, money, when } from './figures.js';
import { AccountRoles } from './reportModel.js';
import { sensitivitySection } from './sensitivitySection.js';
import {
  describeArrival,
  freezeSection,
  groupFigures,
  headerSection,
  HOP_HEADERS,
  hopCells,
  methodSection,
  referenceInline,
  sourcesSection,
  summarySection,
  type ReportContext,
} from './reportSections.js';

export interface ReportOptions {
  /** An ISO time for the "Generated" line, or null to leave it out (byte-identical reports). */
  timestamp: string | null;
  /** The same seeds traced under other rules: adds "Sensitivity to the tracing rule". */
  comparison?: RuleComparison;
  /**
   * Holder names, tag labels and what each source stored, read from the trace's case file
   * (src/store/caseNames.ts); without them the report names accounts by the trace's own labels.
   */
  names?: CaseNames | null;
}

/** The whole report, in its documented section order, as one document for every renderer. */
export function buildReportDocument(result: TraceResult, options: ReportOptions): Block[] {
  const ctx: ReportContext = {
    result,
    roles: new AccountRoles(result, options.names ?? null),
    audit: auditTrace(result),
    edges: new EdgeIndex(result),
    timestamp: options.timestamp,
    stored: options.names?.sources ?? null,
    namesReadAt: options.names?.readAt ?? null,
  };
  return [
    ...headerSection(ctx),
    ...methodSection(ctx),
    ...sourcesSection(ctx),
    ...summarySection(ctx),
    ...(options.comparison ? sensitivitySection(options.comparison, ctx.roles) : []),
    heading(2, 'Flow diagram'),
    { kind: 'diagram' },
    ...freezeSection(ctx),
    ...evidenceSection(ctx),
    ...exchangeReturnSection(options.names?.unmatchedMovements ?? [], ctx.roles),
    ...checksSection(ctx),
    ...appendixHops(ctx),
    ...appendixStatements(ctx),
  ];
}

/** "Investigator's note, 2026-12-02 10:15 UTC: …", one paragraph a note, beside what it annotates. */
function noteText(note: CaseAnnotation): string {
  return `Investigator's ${note.kind === 'assertion' ? 'cluster assertion' : 'note'}, ${note.createdAt.slice(0, 16).replace('T', ' ')} UTC: ${note.text}`;
}

function accountNotes(ctx: ReportContext, rail: string, ident: string): Block[] {
  return ctx.roles.notes(rail, ident).map((note) => paragraph(noteText(note)));
}

function arrivalBlocks(ctx: ReportContext, arrival: Arrival): Block[] {
  const edge = ctx.result.edges[arrival.edge]!;
  const blocks: Block[] = [paragraph(`Arrival: ${describeArrival(ctx, edge)}.`)];
  arrival.paths.forEach((path, i) => {
    blocks.push(
      paragraph(
        `Path ${i + 1} of ${arrival.paths.length}${arrival.truncated ? '+' : ''} (money of ${path.seeds.map((s) => ctx.roles.payment(s)).join('; ')}), ${path.hops.length} hop${path.hops.length === 1 ? '' : 's'}:`,
      ),
    );
    blocks.push(
      table(
        HOP_HEADERS,
        path.hops.map((index) => hopCells(ctx, index, path.seeds)),
        true,
      ),
    );
  });
  if (arrival.truncated)
    blocks.push(
      paragraph(
        `More than ${PATHS_PER_ARRIVAL} paths lead to this arrival; only the first ${PATHS_PER_ARRIVAL} are listed. Every hop is in Appendix A and every account's traced balance in Appendix B.`,
      ),
    );
  return blocks;
}

function evidenceSection(ctx: ReportContext): Block[] {
  const { result } = ctx;
  const blocks: Block[] = [heading(2, 'Evidence chains')];
  blocks.push(
    paragraph(
      'Per endpoint, each arrival of traced money and the path behind it, hop by hop from the victim\'s payment: from → to, time, transaction (with its block-explorer link) or bank reference, amount, traced amount per victim payment, the allocation arithmetic at that hop, and the source file and line it was read from (the file\'s SHA-256 is in "Sources").',
    ),
  );
  const chains = endpointChains(result, ctx.edges);
  if (chains.length === 0) blocks.push(paragraph('No traced money reached an endpoint.'));
  for (const { endpoint, arrivals } of chains) {
    const e = result.endpoints[endpoint]!;
    blocks.push(heading(3, `${e.category}: ${ctx.roles.describe(e.rail, e.ident)} — ${money(e.amount, e.asset)}`), ...accountNotes(ctx, e.rail, e.ident));
    for (const arrival of arrivals) blocks.push(...arrivalBlocks(ctx, arrival));
  }
  blocks.push(...freezeChains(ctx));
  return blocks;
}

/**
 * How traced money reached each freeze candidate, path by path as chains of transfer numbers:
 * every hop of them is a row of Appendix A, so the chains stay short even when many accounts hold
 * small residues (pro-rata, poison).
 */
function freezeChains(ctx: ReportContext): Block[] {
  const { result } = ctx;
  const held = heldChains(result, ctx.edges);
  if (held.length === 0) return [];
  const blocks: Block[] = [heading(2, 'Evidence chains to freeze candidates and follow-ups')];
  blocks.push(
    paragraph(
      "Each arrival of traced money at an account that still holds some, and the paths behind it as transfer numbers from the victim's payment (each a row of Appendix A). Some of the money that arrived may have moved on: Appendix B gives each account's running traced balance.",
    ),
  );
  for (const { held: i, arrivals } of held) {
    const h = result.held[i]!;
    blocks.push(
      heading(
        3,
        `${h.history.class === 'in-case' ? `held as of ${when(h.rail, h.history.until)}` : `last seen (history not in the case)`}: ${ctx.roles.describe(h.rail, h.ident)} — ${money(h.amount, h.asset)}`,
      ),
      ...accountNotes(ctx, h.rail, h.ident),
    );
    blocks.push(
      list(
        arrivals.flatMap((arrival) => {
          const edge = result.edges[arrival.edge]!;
          const paths = arrival.paths.map(
            (path) =>
              `${path.seeds.map((s) => ctx.roles.payment(s)).join('; ')}: ${path.hops.map((index) => `transfer ${result.edges[index]!.transfer}`).join(' → ')}`,
          );
          return [[`${describeArrival(ctx, edge)}; ${paths.join('; ')}${arrival.truncated ? `; and more than ${PATHS_PER_ARRIVAL} paths in all` : ''}`]];
        }),
      ),
    );
  }
  return blocks;
}

function checksSection(ctx: ReportContext): Block[] {
  const { audit, result } = ctx;
  const blocks: Block[] = [heading(2, 'Checks')];
  blocks.push(
    paragraph(
      `Recomputed by the report from its own tables, as a second examiner would: at each of the ${result.edges.length} hops, traced before − carried = left and the ${result.rule} arithmetic; per account, the running traced balance per victim payment (Appendix B) against "traced before" and against what is still held; the totals against the tables.`,
    ),
  );
  const problems = [
    ...audit.totals.map((p) => `totals: ${ctx.roles.relabel(p)}`),
    ...audit.hops.flatMap((h, i) => h.problems.map((p) => `transfer ${result.edges[i]!.transfer}: ${ctx.roles.relabel(p)}`)),
    ...audit.statements.flatMap((s) => s.problems.map((p) => `${s.rail}:${s.ident}: ${p}`)),
  ];
  blocks.push(problems.length === 0 ? paragraph('Result: every figure agrees.') : paragraph(`Result: ${problems.length} inconsistencies:`));
  if (problems.length > 0) blocks.push(list(problems.map((p) => [groupFigures(p)])));
  return blocks;
}

function appendixHops(ctx: ReportContext): Block[] {
  const { result, audit } = ctx;
  // A notes column only when an investigator annotated a traced transfer: reports without notes stay as they were.
  const noted = result.edges.some((e) => ctx.roles.transferNotes(e.transfer).length > 0);
  const notesOf = (transfer: number): Cell[] => (noted ? [ctx.roles.transferNotes(transfer).map(noteText).join(' ')] : []);
  return [
    heading(2, 'Appendix A: every transfer that carried traced money'),
    paragraph('In the order the trace processed them (time, block, log index or statement line).'),
    table(
      ['transfer', ...HOP_HEADERS, 'outcome', 'check', ...(noted ? ["investigators' notes"] : [])],
      result.edges.map((e, i) => [
        e.transfer,
        ...hopCells(ctx, i),
        e.outcome,
        audit.hops[i]!.problems.length === 0 ? 'ok' : audit.hops[i]!.problems.join('; '),
        ...notesOf(e.transfer),
      ]),
      true,
    ),
  ];
}

function appendixStatements(ctx: ReportContext): Block[] {
  const { result, audit, roles } = ctx;
  const blocks: Block[] = [heading(2, 'Appendix B: traced money per account')];
  blocks.push(
    paragraph(
      result.rule === 'poison'
        ? 'Per account, the traced money that arrived and left, in order (poison does not reduce traced money, so no running balance is kept).'
        : 'Per account, the traced money that arrived and left, in order, and the running traced balance per victim payment after each line: "traced before" at a hop is the balance after the line before it.',
    ),
  );
  const annotated = new Set<string>();
  for (const s of audit.statements) {
    blocks.push(heading(3, `${s.rail}:${roles.describe(s.rail, s.ident)} — ${s.asset}`));
    // An account's notes once, under its first statement (an account can have one per asset).
    if (!annotated.has(`${s.rail}:${s.ident}`)) blocks.push(...accountNotes(ctx, s.rail, s.ident));
    annotated.add(`${s.rail}:${s.ident}`);
    blocks.push(
      table(
        ['transfer', 'time (UTC)', 'in / out', 'counterparty', 'transaction / reference', 'traced (per victim payment)', 'traced after (per victim payment)'],
        s.lines.map((line) => {
          const e = result.edges[line.edge]!;
          return [
            e.transfer,
            when(e.rail, e.time),
            line.direction,
            roles.describe(e.rail, line.direction === 'in' ? e.from : e.to),
            [referenceInline(e.rail, e.ref)],
            roles.bySeed(line.bySeed),
            line.tracedAfter ? roles.bySeed(line.tracedAfter) : '—',
          ];
        }),
        true,
      ),
    );
    if (s.problems.length > 0) blocks.push(paragraph(`Check: ${groupFigures(roles.relabel(s.problems.join('; ')))}`));
  }
  return blocks;
}
