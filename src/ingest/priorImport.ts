import { HoptraceError } from '../model/errors.js';
import type { Db } from '../store/caseStore.js';
import type { SourceInfo } from '../model/types.js';
import { findSourceByContent, findSourcesBySha } from '../store/sources.js';
import { type SourceMeta, SourceWriter } from '../store/sourceWriter.js';

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

/**
 * The file was imported, the same way, by another process between this one's first check and its
 * write transaction: the import stops and reports the source that process stored, as if the first
 * check had found it (recheckPriorImport).
 */
export class ImportedMeanwhile extends Error {
  constructor(readonly existing: SourceInfo) {
    super(`already imported as source ${existing.id}`);
    this.name = 'ImportedMeanwhile';
  }
}

/**
 * The check again, inside the import's write transaction (SourceWriterOptions.beforeInsert): two
 * ingests of one file at once would otherwise both pass the first check, and store it twice when
 * read two ways (two --account values) or fail on the sources' unique key when read one way.
 */
export function recheckPriorImport(db: Db, path: string, sha256: string, adapter: string, options: string): () => void {
  return () => {
    const existing = priorImport(db, path, sha256, adapter, options);
    if (existing) throw new ImportedMeanwhile(existing);
  };
}

/**
 * A source's writer in a transaction of its own, or undefined when, once the transaction holds the
 * case, the same file read the same way is found stored (by another process meanwhile): for the
 * imports that check only for the same reading (exchange returns, links, the blacklist), which
 * would otherwise fail on the sources' unique key.
 */
export function openSourceWriter(db: Db, meta: SourceMeta): SourceWriter | undefined {
  try {
    return new SourceWriter(db, meta, 'own', {
      beforeInsert: () => {
        const existing = findSourceByContent(db, meta.sha256, meta.adapter, meta.options);
        if (existing) throw new ImportedMeanwhile(existing);
      },
    });
  } catch (error) {
    if (error instanceof ImportedMeanwhile) return undefined;
    throw error;
  }
}
