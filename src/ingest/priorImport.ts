import { HoptraceError } from '../model/errors.js';
import type { Db } from '../store/caseStore.js';
import type { SourceInfo } from '../model/types.js';
import { findSourcesBySha } from '../store/sources.js';

/**
 * A file whose bytes are already a source of the case. Read again with the same adapter and
 * options it is the same evidence: nothing to do. Read with other options (another `--account`,
 * profile, token or format) it would put a second, different reading of one exhibit into the case
 * — the wrong-account re-import that doubles a victim's payments — so it is refused until the
 * first reading is removed (docs/case-file.md, "One file, one reading").
 */
export function priorImport(db: Db, path: string, sha256: string, adapter: string, options: string): SourceInfo | undefined {
  return priorImportOf(findSourcesBySha(db, sha256), path, adapter, options);
}

/** The same decision over the sources with these bytes, however the backend found them. */
export function priorImportOf(earlier: readonly SourceInfo[], path: string, adapter: string, options: string): SourceInfo | undefined {
  const same = earlier.find((s) => s.adapter === adapter && s.options === options);
  if (same) return same;
  const other = earlier[0];
  if (other === undefined) return undefined;
  throw new HoptraceError(
    `already imported as source ${other.id} (options ${describeReading(other.adapter, other.options)}; now ${describeReading(adapter, options)})`,
    {
      file: path,
      hint: `remove-source ${other.id} first to import it differently`,
    },
  );
}

function describeReading(adapter: string, options: string): string {
  return options === '{}' ? adapter : `${adapter} ${options}`;
}
