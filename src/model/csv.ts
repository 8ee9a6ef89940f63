import { numberText } from './numberText.js';

/**
 * A CSV cell as hoptrace writes it (CSV reports, Neo4j CSV exports): quoted when needed; a
 * leading = + - @ (a spreadsheet formula) is neutralised with ', so opening the file in a
 * spreadsheet never runs an input's text.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = typeof value === 'number' ? numberText(value) : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
