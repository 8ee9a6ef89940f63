/**
 * The sheets of a workbook an import reads one of (adapters/bank/xlsx.ts): what tells two
 * readings of one XLSX file apart. A workbook can hold several statements or returns, one per
 * sheet, and `--sheet 2` and `--sheet Sheet2` name the same one (docs/case-file.md, "One file,
 * one reading").
 */
export interface WorkbookSheets {
  /** Its sheets' names, in workbook order: a reading stored as `--sheet 2` read names[1]. */
  names: readonly string[];
  /** The sheet this import reads. */
  read: string;
  /** The sheet a reading that named none reads (the reader's own choice); undefined if it finds none. */
  unnamed: string | undefined;
}

/** The sheet a user's `--sheet` names, as the readers find it (adapters/bank/xlsx.ts, sheetNamed); undefined if none. */
export function sheetNameOf(choice: string, names: readonly string[]): string | undefined {
  if (/^\d+$/.test(choice)) return names[Number(choice) - 1];
  return names.find((n) => n === choice) ?? names.find((n) => n.trim().toLowerCase() === choice.trim().toLowerCase());
}
