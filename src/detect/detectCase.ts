import { HoptraceError } from '../model/errors.js';
import type { Db } from '../store/caseStore.js';
import { selectClusterData } from '../store/clusters.js';
import { saveFindings, selectFindings, type StoredFinding } from '../store/findings.js';
import { typologies } from './typologies/index.js';
import { DEFAULT_DETECT_PARAMS, TYPOLOGY_NAMES, type DetectParams, type Finding, type TypologyName } from './types.js';

/** `hoptrace detect`: run the typologies over the case file, store the findings, return them. */
export function detectCase(db: Db, names: readonly TypologyName[] = TYPOLOGY_NAMES, overrides: Partial<DetectParams> = {}): StoredFinding[] {
  for (const name of names) if (!(TYPOLOGY_NAMES as readonly string[]).includes(name)) throw new HoptraceError(`unknown typology ${JSON.stringify(name)}`, { hint: `use ${TYPOLOGY_NAMES.join(', ')}` });
  const params: DetectParams = { ...DEFAULT_DETECT_PARAMS, ...overrides };
  const snapshot = selectClusterData(db);
  const data = { accounts: snapshot.accounts, transfers: snapshot.transfers.rows(), columns: snapshot.transfers };
  const findings: Finding[] = [];
  for (const name of names) for (const f of typologies[name](data, params)) findings.push(f);
  const recorded: Record<string, unknown> = { ...params };
  saveFindings(db, names, findings, recorded);
  return selectFindings(db).filter((f) => (names as readonly string[]).includes(f.typology));
}
