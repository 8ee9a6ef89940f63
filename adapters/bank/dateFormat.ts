import { isValidDate, type LocalDate } from '../../src/model/localDate.js';

/**
 * Date formats as bank profiles write them: `DD.MM.YYYY`, `MM/DD/YYYY`, `M/D/YY`, `YYYYMMDD`,
 * `DD-Mon-YY`, `YYYY-MM-DD HH:mm:ss`. Tokens: YYYY, YY (00–69 → 20xx, 70–99 → 19xx), MM, M, DD,
 * D, Mon (English month abbreviation), HH, H, mm, ss (time of day is checked, then dropped: a
 * booking is dated by its day). Anything else is a literal.
 */
export type DateParser = (text: string) => LocalDate | undefined;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const TOKEN = /YYYY|YY|Mon|MM|M|DD|D|HH|H|mm|ss/g;

export function compileDateFormat(format: string): DateParser {
  const groups: string[] = [];
  let pattern = '^';
  let last = 0;
  for (const match of format.matchAll(TOKEN)) {
    pattern += escapeRegex(format.slice(last, match.index));
    const token = match[0];
    groups.push(token);
    pattern += {
      YYYY: '(\\d{4})',
      YY: '(\\d{2})',
      Mon: '([A-Za-z]{3})',
      MM: '(\\d{2})',
      M: '(\\d{1,2})',
      DD: '(\\d{2})',
      D: '(\\d{1,2})',
      HH: '(\\d{2})',
      H: '(\\d{1,2})',
      mm: '(\\d{2})',
      ss: '(\\d{2})',
    }[token];
    last = match.index + token.length;
  }
  pattern += escapeRegex(format.slice(last)) + '$';
  const regex = new RegExp(pattern);
  return (text) => {
    const match = regex.exec(text.trim());
    if (!match) return undefined;
    const date: LocalDate = { year: 0, month: 0, day: 0 };
    for (let i = 0; i < groups.length; i++) {
      const value = match[i + 1]!;
      switch (groups[i]) {
        case 'YYYY':
          date.year = Number(value);
          break;
        case 'YY':
          date.year = Number(value) + (Number(value) < 70 ? 2000 : 1900);
          break;
        case 'Mon':
          date.month = MONTHS.indexOf(value.toLowerCase()) + 1;
          break;
        case 'MM':
        case 'M':
          date.month = Number(value);
          break;
        case 'DD':
        case 'D':
          date.day = Number(value);
          break;
        case 'HH':
        case 'H':
          if (Number(value) > 23) return undefined;
          break;
        case 'mm':
        case 'ss':
          if (Number(value) > 59) return undefined;
          break;
      }
    }
    return isValidDate(date) ? date : undefined;
  };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/**
 * A spreadsheet's date cell written the way the profile's date format reads it back (XLSX
 * statements: adapters/bank/xlsx.ts). The cell's wall-clock time is in the UTC fields of the Date.
 */
export function formatDateAs(format: string, date: Date): string {
  return format.replace(TOKEN, (token) => {
    switch (token) {
      case 'YYYY':
        return pad(date.getUTCFullYear(), 4);
      case 'YY':
        return pad(date.getUTCFullYear() % 100, 2);
      case 'Mon':
        return MONTH_NAMES[date.getUTCMonth()]!;
      case 'MM':
        return pad(date.getUTCMonth() + 1, 2);
      case 'M':
        return String(date.getUTCMonth() + 1);
      case 'DD':
        return pad(date.getUTCDate(), 2);
      case 'D':
        return String(date.getUTCDate());
      case 'HH':
        return pad(date.getUTCHours(), 2);
      case 'H':
        return String(date.getUTCHours());
      case 'mm':
        return pad(date.getUTCMinutes(), 2);
      default:
        return pad(date.getUTCSeconds(), 2);
    }
  });
}

/**
 * An Excel date serial (days since 1899-12-30 in the 1900 date system; a fraction is the time of
 * day) as a calendar day: what a date column holds when the sheet stores it as a plain number.
 * Only 1950–2099 (serials 18264–73050) are taken, so an amount is never read as a date.
 */
export function excelSerialDate(text: string): LocalDate | undefined {
  const value = text.trim();
  if (!/^\d{5}(?:\.\d+)?$/.test(value)) return undefined;
  const serial = Math.floor(Number(value));
  if (serial < 18264 || serial > 73050) return undefined;
  const date = new Date(Date.UTC(1899, 11, 30) + serial * 86_400_000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}
