/**
 * How figures read in a report (docs/reports.md, "Figures"): thousands separators everywhere;
 * exact figures (every decimal of the asset: cents for fiat, 6 decimals for USDT) wherever the
 * arithmetic is checked (appendices, allocations, freeze amounts, totals); 2 decimals in summaries
 * (rounded half up, marked "≈" when rounding changed the figure); bank bookings as dates.
 */

/** "118660.000000" → "118,660.000000"; "-1500.5" → "-1,500.5". Exact: only separators are added. */
export function groupThousands(amount: string): string {
  const negative = amount.startsWith('-');
  const body = negative ? amount.slice(1) : amount;
  const dot = body.indexOf('.');
  const whole = dot < 0 ? body : body.slice(0, dot);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${dot < 0 ? '' : body.slice(dot)}`;
}

/** An exact figure with separators, every decimal kept: "118,660.000000" (appendices, arithmetic). */
export function exact(amount: string): string {
  return groupThousands(amount);
}

/** A summary figure: 2 decimals, rounded half up, with "≈" when the exact figure has more. */
export function summary(amount: string): string {
  const dot = amount.indexOf('.');
  if (dot < 0) return groupThousands(`${amount}.00`);
  const decimals = amount.length - dot - 1;
  if (decimals <= 2) return groupThousands(amount.padEnd(dot + 3, '0'));
  const negative = amount.startsWith('-');
  const digits = (negative ? amount.slice(1) : amount).replace('.', '');
  const units = BigInt(digits);
  const scale = 10n ** BigInt(decimals - 2);
  const rounded = (units + scale / 2n) / scale;
  const text = rounded.toString().padStart(3, '0');
  const out = `${negative ? '-' : ''}${text.slice(0, -2)}.${text.slice(-2)}`;
  return `${rounded * scale === units ? '' : '≈'}${groupThousands(out)}`;
}

/** "25,000.00 USDT" in summaries, "25,000.000000 USDT" where exact. */
export const money = (amount: string, asset: string, mode: 'exact' | 'summary' = 'exact'): string =>
  `${mode === 'exact' ? exact(amount) : summary(amount)} ${asset}`;

/**
 * A time as a reader wants it: bank bookings carry a date only (stored at midnight UTC), so they
 * read "2025-03-20"; chain times read "2025-03-20 15:00:00" (UTC, as the column headers say).
 */
export function when(rail: string, iso: string): string {
  if (rail === 'bank' && iso.endsWith('T00:00:00.000Z')) return iso.slice(0, 10);
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.000)?Z$/.exec(iso);
  return m ? `${m[1]} ${m[2]}` : iso;
}
