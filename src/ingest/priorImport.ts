import { HoptraceError } from '../model/errors.js';
import type { Db } from '../store/caseStore.js';
import type { SourceInfo } from '../model/types.js';
import type { WorkbookSheets } from '../model/workbook.js';
import { sheetKeyOf, sheetReadBy } from './sheetReading.js';
import { findSourceByContent, findSourcesBySha } from '../store/sources.js';
import { type SourceMeta, SourceWriter, type SourceWriterOptions } from '../store/sourceWriter.js';

/**
 * A file whose bytes are already a source of the case. Read again with the same adapter and
 * options it is the same evidence: nothing to do. Read with other options (another `--account`,
 * profile, token or format) it would put a second, different reading of one exhibit into the case
 * — the wrong-account re-import that doubles a victim's payments — so it is refused until the
 * first reading is removed (docs/case-file.md, "One file, one reading").
 */
export function priorImport(db: Db, path: string, sha256: string, adapter: string, options: string, sheets?: WorkbookSheets): SourceInfo | undefined {
  return priorImportOf(findSourcesBySha(db, sha256), path, adapter, options, sheets);
}

/**
 * The same decision over the sources with these bytes, however the backend found them. In a
 * workbook (`sheets`) each sheet is an exhibit of its own: a reading of another sheet is no
 * conflict, and readings that name one sheet differently (`--sheet 2`, `--sheet Sheet2`) are one.
 */
export function priorImportOf(earlier: readonly SourceInfo[], path: string, adapter: string, options: string, sheets?: WorkbookSheets): SourceInfo | undefined {
  const key = (o: string): string => (sheets ? sheetKeyOf(o, sheets) : o);
  const now = key(options);
  const same = earlier.find((s) => s.adapter === adapter && key(s.options) === now);
  if (same) return same;
  const other = sheets ? earlier.find((s) => [sheets.read, undefined].includes(sheetReadBy(s.options, sheets))) : earlier[0];
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

/** Thrown inside the write transaction when the re-check finds the file stored (ownSourceWriter). */
class ImportedMeanwhile extends Error {
  constructor(readonly existing: SourceInfo) {
    super(`already imported as source ${existing.id}`);
    this.name = 'ImportedMeanwhile';
  }
}

/**
 * A source's writer in a transaction of its own, or the source stored meanwhile: `prior` runs again
 * inside the write transaction (SourceWriterOptions.beforeInsert), once no other process can write.
 * Two ingests of one file at once would otherwise both pass the first check, and store it twice
 * when read two ways (two --account values) or fail on the sources' unique key when read one way.
 * What `prior` throws (another reading refused, priorImportOf) rolls the transaction back.
 */
export function ownSourceWriter(
  db: Db,
  meta: SourceMeta,
  options: Omit<SourceWriterOptions, 'beforeInsert'>,
  prior: () => SourceInfo | undefined,
): SourceWriter | { existing: SourceInfo } {
  try {
    return new SourceWriter(db, meta, 'own', {
      ...options,
      beforeInsert: () => {
        const existing = prior();
        if (existing) throw new ImportedMeanwhile(existing);
      },
    });
  } catch (error) {
    if (error instanceof ImportedMeanwhile) return { existing: error.existing };
    throw error;
  }
}

/**
 * The source that is this file read this way, for the imports that check only for the same
 * reading (exchange returns, links, the blacklist); of a workbook, one that read the same sheet
 * however it named it (priorImportOf).
 */
export function sameReading(db: Db, sha256: string, adapter: string, options: string, sheets?: WorkbookSheets): SourceInfo | undefined {
  if (!sheets) return findSourceByContent(db, sha256, adapter, options);
  const now = sheetKeyOf(options, sheets);
  return findSourcesBySha(db, sha256).find((s) => s.adapter === adapter && sheetKeyOf(s.options, sheets) === now);
}

/** For those imports: their writer, or undefined when the same file read the same way was stored meanwhile. */
export function openSourceWriter(db: Db, meta: SourceMeta, sheets?: WorkbookSheets): SourceWriter | undefined {
  const opened = ownSourceWriter(db, meta, {}, () => sameReading(db, meta.sha256, meta.adapter, meta.options, sheets));
  return opened instanceof SourceWriter ? opened : undefined;
}
