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
