import { checkInputFiles } from '../inputFiles.js';
import { detectCase } from '../../detect/detectCase.js';
import { DEFAULT_DETECT_PARAMS, TYPOLOGY_NAMES, type DetectParams, type TypologyName } from '../../detect/types.js';
import { ingestAmlsimFiles } from '../../ingest/ingestAmlsim.js';
import { parseAmount } from '../../model/amount.js';
import { HoptraceError } from '../../model/errors.js';
import type { Db } from '../../store/caseStore.js';
import { countFindings, iterateFindings } from '../../store/findings.js';
import { staleResults } from '../../store/staleness.js';
import { onPostgres, printChunks, withCase } from '../context.js';
import { findingsJsonBatches } from '../findingsJson.js';
import type { GlobalOptions } from '../options.js';
import { parsePositiveInteger } from '../parse.js';
import { describeIngest } from './ingestReport.js';
import type { DetectCliOptions } from '../commands/detect.js';
import type { FindingsCliOptions } from '../commands/findings.js';
import type { IngestAmlsimCliOptions } from '../commands/ingestAmlsim.js';
import { iterateInReadSnapshot } from '../../store/readSnapshot.js';

/** `7d`, `48h`, `90m`: a duration for --window. */
export function parseDuration(text: string): number {
  const m = /^(\d+)(d|h|m)$/.exec(text.trim());
  if (!m) throw new HoptraceError(`--window ${JSON.stringify(text)}: expected a duration such as 7d, 48h or 90m`);
  return Number(m[1]) * (m[2] === 'd' ? 86_400_000 : m[2] === 'h' ? 3_600_000 : 60_000);
}

/** `--dust-floor USDT=0.5 TRX=0`: per-asset floors replacing the defaults for the assets named. */
function parseDustFloors(items: string[], amount: (text: string, option: string) => string): Record<string, string> {
  const floors: Record<string, string> = { ...DEFAULT_DETECT_PARAMS.dustFloor };
  for (const item of items) {
    const m = /^([A-Za-z0-9._-]+)=(.+)$/.exec(item.trim());
    if (!m) throw new HoptraceError(`--dust-floor ${JSON.stringify(item)}: expected ASSET=AMOUNT, such as USDT=0.5`);
    floors[m[1]!] = amount(m[2]!, '--dust-floor');
  }
  return floors;
}

export async function runDetect(globals: GlobalOptions, options: DetectCliOptions): Promise<void> {
  const names = options.typologies
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean) as TypologyName[];
  await withCase(
    globals,
    (db) => {
      const amount = (text: string, option: string): string => {
        try {
          parseAmount(text, 18);
          return text;
        } catch (error) {
          throw new HoptraceError(`${option}: ${(error as Error).message}`);
        }
      };
      const params: Partial<DetectParams> = {
        windowMs: parseDuration(options.window),
        fanK: parsePositiveInteger(options.fanK, '--fan-k'),
        cycleMaxHops: parsePositiveInteger(options.cycleMaxHops, '--cycle-max-hops'),
        structuringThreshold: amount(options.structuringThreshold, '--structuring-threshold'),
        ...(options.minAmount ? { minAmount: amount(options.minAmount, '--min-amount') } : {}),
        ...(options.dustFloor ? { dustFloor: parseDustFloors(options.dustFloor, amount) } : {}),
      };
      detectCase(db, names, params, { victims: options.victims ?? [], seeds: options.seeds ?? [] });
    },
    'existing',
    // Printed from the stored findings once they are stored (written back, on PostgreSQL).
    (db) => printFindings(db, names, options.json),
  );
}

export async function runFindings(globals: GlobalOptions, options: FindingsCliOptions): Promise<void> {
  await withCase(
    globals,
    (db) => {
      if (staleResults(db).includes('findings'))
        process.stderr.write("note: these findings are stale: computed before the case's sources last changed — run hoptrace detect again\n");
    },
    'existing',
    (db) => printFindings(db, undefined, options.json),
  );
}

/** Text lines listed before `… n more (--json for all)`. */
const LISTED = 50;

/**
 * Prints the stored findings of `typologies` (all when undefined), read a page at a time as they
 * are printed (iterateFindings): the same text as printing them all from one array.
 */
function printFindings(db: Db, typologies: readonly string[] | undefined, json: boolean): void {
  if (json) printChunks(findingsJsonBatches(iterateFindings(db, typologies ? { typologies } : {})));
  else for (const line of findingsText(db, typologies)) process.stdout.write(line);
}

/**
 * The text output's lines: the count of each typology, the first 50 findings, how many more, all
 * read from one state of the case (docs/case-file.md, "Reading while another process writes").
 */
export function findingsText(db: Db, typologies?: readonly string[], pageSize = LISTED): Generator<string> {
  return iterateInReadSnapshot(db, () => findingsLines(db, typologies, pageSize));
}

function* findingsLines(db: Db, typologies: readonly string[] | undefined, pageSize: number): Generator<string> {
  const counts = countFindings(db, typologies);
  let total = 0;
  for (const n of counts.values()) total += n;
  for (const name of TYPOLOGY_NAMES) if (counts.has(name)) yield `${name.padEnd(24)} ${counts.get(name)} findings\n`;
  let listed = 0;
  for (const f of iterateFindings(db, { ...(typologies ? { typologies } : {}), pageSize: Math.min(pageSize, LISTED) })) {
    yield `  ${f.typology}: ${f.accounts.map((a) => a.ident + (a.tags.length > 0 ? ` [${a.tags.map((t) => t.label).join('; ')}]` : '')).join(', ')} (score ${f.score}; ${f.evidence.length} transfers)\n`;
    if (++listed === LISTED) break;
  }
  if (total > LISTED) yield `  … ${total - LISTED} more (--json for all)\n`;
}

export async function runIngestAmlsim(globals: GlobalOptions, files: string[], options: IngestAmlsimCliOptions): Promise<void> {
  checkInputFiles(files);
  if (onPostgres(globals)) return (await import('./postgresIngest.js')).runIngestAmlsimPg(globals, files, options);
  await withCase(
    globals,
    (db) => ingestAmlsimFiles(db, files, { skipBad: options.skipBad, onResult: (result) => process.stderr.write(describeIngest(result, 'amlsim') + '\n') }),
    'import',
  );
}
