import { collectGarbage } from '../cluster/collectGarbage.js';
import { HoptraceError } from '../model/errors.js';
import type { Db } from '../store/caseStore.js';
import { selectClusterData } from '../store/clusters.js';
import { saveFindings } from '../store/findings.js';
import { resolveAccountIdent } from '../store/transferRefs.js';
import { typologies } from './typologies/index.js';
import { DEFAULT_DETECT_PARAMS, TYPOLOGY_NAMES, type DetectParams, type Finding, type TypologyName } from './types.js';
import { FindingColumns } from './findingColumns.js';
import { traceCase } from '../trace/traceCase.js';
import { victimOffenderOverlap } from './victimOffender.js';
import { inReadSnapshot } from '../store/readSnapshot.js';
import { caseBasis } from '../store/staleness.js';
import { deriveVictims } from './victims.js';

type Traced = { victims: number[]; findings: Finding[] };

/**
 * Victims (seed senders) and trace-based victim-offender findings of a FIFO trace from `seeds`.
 * The trace cites nothing of the case file: its result is not kept, and its SHA-256 would read the
 * whole file (1.2 s for 1,666 MB, docs/performance.md "The case file's hash") for no one.
 */
export function tracedOverlap(db: Db, seeds: readonly string[]): Traced {
  const trace = traceCase({ db, casePath: null, seeds: [...seeds], options: { rule: 'fifo' } });
  const idOf = (rail: string, ident: string): number => resolveAccountIdent(db, `${rail}:${ident}`)!;
  const victims = trace.seeds.map((s) => idOf(s.rail, s.from));
  const findings = victimOffenderOverlap(trace).map((flag): Finding => {
    const { rail, ident } = flag.account;
    const paid = trace.seeds.filter((s) => s.rail === rail && s.from === ident).map((s) => Number(s.id));
    const passedOn = trace.edges.filter((e) => e.rail === rail && e.from === ident && flag.passedOn.includes(e.ref)).map((e) => e.transfer);
    // Score 1: the trace shows other victims' money leaving the account.
    return {
      typology: 'victim-offender-overlap',
      accounts: [idOf(rail, ident)],
      evidence: [...new Set([...paid, ...passedOn])].sort((a, b) => a - b),
      score: 1,
    };
  });
  return { victims, findings };
}

export interface DetectCaseOptions {
  /** Accounts the investigator knows to be victims (idents), besides those tagged or derived (src/detect/victims.ts). */
  victims?: readonly string[];
  /**
   * Victim payments (trace seed syntax). Their senders are victims, and a FIFO trace from them
   * runs the trace-based victim-offender check (src/detect/victimOffender.ts).
   */
  seeds?: readonly string[];
}

/**
 * `hoptrace detect`: run the typologies over the case file and store the findings. They are read
 * back from the case (iterateFindings, selectFindings in src/store/findings.ts): the CLI prints
 * them a page at a time once stored, rather than all at once from here.
 */
export function detectCase(
  db: Db,
  names: readonly TypologyName[] = TYPOLOGY_NAMES,
  overrides: Partial<DetectParams> = {},
  options: DetectCaseOptions = {},
): void {
  for (const name of names)
    if (!(TYPOLOGY_NAMES as readonly string[]).includes(name))
      throw new HoptraceError(`unknown typology ${JSON.stringify(name)}`, { hint: `use ${TYPOLOGY_NAMES.join(', ')}` });
  const params: DetectParams = { ...DEFAULT_DETECT_PARAMS, ...overrides };
  const named = (options.victims ?? []).map((ident) => {
    const id = resolveAccountIdent(db, ident);
    if (id === undefined)
      throw new HoptraceError(`--victims: account ${JSON.stringify(ident)} is not in the case file`, {
        hint: 'give an IBAN, bank-code:number, 0x… or T… address that a source holds',
      });
    return id;
  });
  const seeds = options.seeds && options.seeds.length > 0 ? options.seeds : undefined;
  const { findings, victims, traced, basis } = runTypologies(db, names, params, named, (read) => (seeds ? tracedOverlap(read, seeds) : undefined));
  collectGarbage();
  if (traced && names.includes('victim-offender-overlap')) {
    // The trace's flags name the money itself; a victim the window-based check also found keeps that finding.
    const found = new Set<number | undefined>();
    for (const f of findings) if (f.typology === 'victim-offender-overlap') found.add(f.accounts[0]);
    for (const f of traced.findings) if (!found.has(f.accounts[0])) findings.push(f);
  }
  const recorded: Record<string, unknown> = { ...params, victims };
  saveFindings(db, names, findings, recorded, basis);
}

/**
 * The typologies' findings over the case, and the victims' idents in id order. The typologies
 * read the transfers as columns (no object per transfer; docs/performance.md, `detect`), which are
 * let go on return, before the findings are written and read back. Findings are kept as columns
 * as they come (FindingColumns), and a collection after each typology frees its working memory
 * before the next one allocates its own.
 *
 * The seeds' trace, the accounts, the transfers and the case's basis are read in one read snapshot
 * (src/store/caseCitation.ts), so that the findings are stored with the basis of what they were
 * computed from: a source another process adds meanwhile leaves them stale.
 */
function runTypologies(
  db: Db,
  names: readonly TypologyName[],
  params: DetectParams,
  named: readonly number[],
  trace: (db: Db) => Traced | undefined,
): { findings: FindingColumns; victims: string[]; traced: Traced | undefined; basis: string } {
  const { traced, accounts, transfers, basis } = inReadSnapshot(db, () => ({
    traced: trace(db),
    ...selectClusterData(db),
    basis: caseBasis(db, 'findings'),
  }));
  const victims = deriveVictims(accounts, transfers, [...named, ...(traced?.victims ?? [])]);
  const data = { accounts, transfers, victims };
  const findings = new FindingColumns();
  for (const name of names) {
    for (const f of typologies[name](data, params)) findings.push(f);
    collectGarbage();
  }
  return { findings, victims: [...victims].sort((a, b) => a - b).map((id) => accounts.ident(id)), traced, basis };
}
