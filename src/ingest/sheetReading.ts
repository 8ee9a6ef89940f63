import { sheetPositionOf, type WorkbookSheets } from '../model/workbook.js';

/**
 * The sheet a stored reading of the same workbook read, by name: `sheetName` as hoptrace stores
 * it; `sheet`, the `--sheet` value sources stored before, resolved as the readers resolve it; or,
 * if it named none, the reader's own choice. Undefined when that cannot be told.
 */
export function sheetReadBy(options: string, sheets: WorkbookSheets): string | undefined {
  const parsed = JSON.parse(options) as Record<string, unknown>;
  if (typeof parsed['sheetName'] === 'string') return parsed['sheetName'];
  const named = parsed['sheet'];
  if (named === undefined) return sheets.unnamed;
  const position = sheetPositionOf(String(named), sheets.names);
  return position === undefined ? undefined : sheets.names[position - 1];
}

/**
 * A reading's options with the sheet given by its name and the keys in one order: `--sheet 2`,
 * `--sheet Sheet2` and no `--sheet` (when the reader chooses Sheet2) are one reading of the file.
 */
export function sheetKeyOf(options: string, sheets: WorkbookSheets): string {
  const { sheet, sheetName, ...rest } = JSON.parse(options) as Record<string, unknown>;
  const keyed: Record<string, unknown> = { ...rest, sheetName: sheetReadBy(options, sheets) ?? sheetName ?? sheet ?? null };
  return JSON.stringify(
    Object.fromEntries(
      Object.keys(keyed)
        .sort()
        .map((key) => [key, keyed[key]]),
    ),
  );
}
