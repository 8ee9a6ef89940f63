import { HoptraceError } from './errors.js';

/** A calendar date as statements print it, before any time zone is applied. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

export function isValidDate(date: LocalDate): boolean {
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.year < 1 || date.year > 9999) return false;
  const daysInMonth = new Date(Date.UTC(date.year, date.month, 0)).getUTCDate();
  return date.day <= daysInMonth;
}

/** The last date formatted: a statement's lines come a day at a time, and each stage asks for the day. */
let lastFormatted: { year: number; month: number; day: number; text: string } = { year: 0, month: 0, day: 0, text: '0000-00-00' };

export function formatLocalDate(date: LocalDate): string {
  const last = lastFormatted;
  if (date.year === last.year && date.month === last.month && date.day === last.day) return last.text;
  const text = `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
  lastFormatted = { year: date.year, month: date.month, day: date.day, text };
  return text;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      throw new HoptraceError(`unknown time zone ${JSON.stringify(timeZone)}`, { hint: 'use an IANA name such as Europe/Berlin or UTC' });
    }
    offsetFormatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Offset of `timeZone` from UTC at the instant `utcMs`, in milliseconds. */
function offsetAt(utcMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(utcMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const asUtc = Date.UTC(parts['year']!, parts['month']! - 1, parts['day']!, parts['hour']!, parts['minute']!, parts['second']!);
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

/**
 * The UTC instant of local midnight of a booking date in a time zone: a statement's date is the
 * bank's calendar day, so a German booking on 2024-03-01 starts at 2024-02-29T23:00Z.
 */
export function localMidnightUtc(date: LocalDate, timeZone: string): number {
  const naive = Date.UTC(date.year, date.month - 1, date.day);
  if (timeZone === 'UTC') return naive;
  // Two passes settle the offset around a daylight-saving change.
  let guess = naive - offsetAt(naive, timeZone);
  guess = naive - offsetAt(guess, timeZone);
  return guess;
}
