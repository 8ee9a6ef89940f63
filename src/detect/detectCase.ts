import { HoptraceError } from '../model/errors.js';
import type { Db } from '../store/caseStore.js';
import { selectClusterData } from '../store/clusters.js';
import { saveFindings, selectFindings, type StoredFinding } from '../store/findings.js';
import { resolveAccountIdent } from '../store/transferRefs.js';
import { typologies } from './typologies/index.js';
import { DEFAULT_DETECT_PARAMS, TYPOLOGY_NAMES, type DetectParams, type Finding, type TypologyName } from './types.js';
import { deriveVictims } from './victims.js';

export interface DetectCaseOptions {
  /** Accounts the investigator knows to be victims (idents), besides those tagged or derived (src/detect/victims.ts). */
  victims?: readonly string[];
}

/** `hoptrace detect`: run the typologies over the case file, store the findings, return them. */
export function detectCase(db: Db, names: readonly TypologyName[] = TYPOLOGY_NAMES, overrides: Partial<DetectParams> = {}, options: DetectCaseOptions = {}): StoredFinding[] {
  for (const name of names) if (!(TYPOLOGY_NAMES as readonly string[]).includes(name)) throw new HoptraceError(`unknown typology ${JSON.stringify(name)}`, { hint: `use ${TYPOLOGY_NAMES.join(', ')}` });
  const params: DetectParams = { ...DEFAULT_DETECT_PARAMS, ...overrides };
  const named = (options.victims ?? []).map((ident) => {
    const id = resolveAccountIdent(db, ident);
    if (id === undefined) throw new HoptraceError(`--victims: account ${JSON.stringify(ident)} is not in the case file`, { hint: 'give an IBAN, bank-code:number, 0x… or T… address that a source holds' });
    return id;
  });
  const snapshot = selectClusterData(db);
  const transfers = snapshot.transfers.rows();
  const victims = deriveVictims(snapshot.accounts, transfers, named);
  const data = { accounts: snapshot.accounts, transfers, columns: snapshot.transfers, victims };
  const findings: Finding[] = [];
  for (const name of names) for (const f of typologies[name](data, params)) findings.push(f);
  const recorded: Record<string, unknown> = { ...params, victims: [...victims].sort((a, b) => a - b).map((id) => snapshot.accounts.get(id)!.ident) };
  saveFindings(db, names, findings, recorded);
  return selectFindings(db).filter((f) => (names as readonly string[]).includes(f.typology));
}
