/**
 * The sheets of a workbook an import reads one of (adapters/bank/xlsx.ts): what tells two
 * readings of one XLSX file apart. A workbook can hold several statements or returns, one per
 * sheet, and `--sheet 2` and `--sheet Sheet2` name the same one (docs/case-file.md, "One file,
 * one reading").
 */
export interface WorkbookSheets {
  /** Its sheets' names, in workbook order. */
  names: readonly string[];
  /** The sheet this import reads: its 1-based position (what the reader is given: a name may be a number) and its name. */
  position: number;
  read: string;
  /** The sheet a reading that named none reads (the reader's own choice); undefined if it finds none. */
  unnamed: string | undefined;
}

/**
 * The 1-based position of the sheet a `--sheet` value names, by the readers' one rule: a number is
 * a position when the workbook has that many sheets, else a name (a sheet named "2024"); a name
 * exactly, then ignoring case and spaces around. Undefined when no sheet answers to it.
 */
export function sheetPositionOf(choice: string, names: readonly string[]): number | undefined {
  if (/^\d+$/.test(choice)) {
    const position = Number(choice);
    if (position >= 1 && position <= names.length) return position;
  }
  const at = names.indexOf(choice);
  if (at >= 0) return at + 1;
  const folded = choice.trim().toLowerCase();
  const loose = names.findIndex((n) => n.trim().toLowerCase() === folded);
  return loose >= 0 ? loose + 1 : undefined;
}
