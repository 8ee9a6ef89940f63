import { sheetNameOf, type WorkbookSheets } from '../model/workbook.js';

/**
 * The sheet a stored reading of the same workbook read: the one its `sheet` option names (by name
 * or position), or, if it named none, the reader's own choice. Undefined when that cannot be told.
 */
export function sheetReadBy(options: string, sheets: WorkbookSheets): string | undefined {
  const named = (JSON.parse(options) as Record<string, unknown>)['sheet'];
  return named === undefined ? sheets.unnamed : sheetNameOf(String(named), sheets.names);
}

/**
 * A reading's options with the sheet given by its name and the keys in one order: `--sheet 2`,
 * `--sheet Sheet2` and no `--sheet` (when the reader chooses Sheet2) are one reading of the file.
 */
export function sheetKeyOf(options: string, sheets: WorkbookSheets): string {
  const parsed = JSON.parse(options) as Record<string, unknown>;
  const sheet = sheetReadBy(options, sheets);
  const keyed: Record<string, unknown> = { ...parsed, sheet: sheet ?? parsed['sheet'] ?? null };
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(keyed)
        .sort()
        .map((key) => [key, keyed[key]]),
    ),
  );
}
