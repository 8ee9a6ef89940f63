import { HoptraceError } from '../../src/model/errors.js';
import { readHeadBytes } from '../common/text.js';
import { locateHeader, signatureOverlap, splitLines } from './csvHeader.js';
import { decodeHeadAs, resolveEncoding } from './encoding.js';
import type { LoadedProfile } from './profiles.js';
import { looksLikeXlsx, readWorkbook, sheetAsCsv } from './xlsx.js';

/**
 * `--profile auto`: which reader fits a file. camt XML and MT940 are recognised by their own
 * markers; CSV exports by the header signature of each built-in profile (or, for header-less
 * exports, the shape of the first line). The most specific fitting profile (most signature
 * columns) wins; a tie, or no fit at all, is an error that lists the candidates.
 */
export type DetectedFormat = { kind: 'camt' } | { kind: 'mt940' } | { kind: 'csv'; profile: LoadedProfile };

export function looksLikeCamt(headText: string): boolean {
  const text = headText.replace(/^\uFEFF/, '').trimStart();
  return text.startsWith('<') && /camt\.05[234]|<(?:\w+:)?(?:BkToCstmrStmt|BkToCstmrAcctRpt|BkToCstmrDbtCdtNtfctn)\b/.test(text);
}

export function looksLikeMt940(headText: string): boolean {
  const text = headText.replace(/^\uFEFF/, '');
  return /^\s*\{1:/.test(text) || (/^:20:/m.test(text) && /^:(?:25|28C?|60[FM]|61|34F):/m.test(text));
}

export function detectFormatOfHead(head: Uint8Array, profiles: readonly LoadedProfile[], path: string): DetectedFormat {
  const plain = decodeHeadAs(head, resolveEncoding(head, 'auto'));
  if (plain.trim() === '') throw new HoptraceError('empty file', { file: path });
  if (looksLikeCamt(plain)) return { kind: 'camt' };
  if (looksLikeMt940(plain)) return { kind: 'mt940' };
  const fits: { profile: LoadedProfile; score: number; header: boolean }[] = [];
  for (const loaded of profiles) {
    const text = decodeHeadAs(head, resolveEncoding(head, loaded.profile.encoding));
    const location = locateHeader(loaded.profile, text);
    if (location) fits.push({ profile: loaded, score: location.score + (loaded.profile.header ? 1000 : 0), header: loaded.profile.header });
  }
  fits.sort((a, b) => b.score - a.score);
  const best = fits[0];
  if (best && (fits.length === 1 || fits[1]!.score < best.score)) return { kind: 'csv', profile: best.profile };
  const firstLine = splitLines(plain).find((line) => line.trim() !== '') ?? '';
  if (best) {
    const tied = fits.filter((f) => f.score === best.score).map((f) => f.profile.profile.name);
    throw new HoptraceError(`several bank profiles fit equally: ${tied.join(', ')}`, { file: path, line: 1, hint: 'give --profile NAME' });
  }
  const nearest = profiles
    .map((p) => ({
      name: p.profile.name,
      overlap: signatureOverlap(p.profile, decodeHeadAs(head, resolveEncoding(head, p.profile.encoding))),
      of: p.profile.signature.length,
    }))
    .filter((p) => p.overlap > 0)
    .sort((a, b) => b.overlap / b.of - a.overlap / a.of)
    .slice(0, 5);
  const candidates =
    nearest.length > 0
      ? `nearest: ${nearest.map((p) => `${p.name} (${p.overlap}/${p.of} columns)`).join(', ')}`
      : `built-in: ${profiles.map((p) => p.profile.name).join(', ')}`;
  throw new HoptraceError(`no bank profile fits (first line: ${JSON.stringify(firstLine.slice(0, 120))})`, {
    file: path,
    line: 1,
    hint: `${candidates}; give --profile NAME or --profile FILE.json (hoptrace profiles lists them)`,
  });
}

export async function detectFormat(path: string, profiles: readonly LoadedProfile[], sheet?: string): Promise<DetectedFormat> {
  const head = await readHeadBytes(path);
  return looksLikeXlsx(head) ? detectXlsxProfile(path, profiles, sheet) : detectFormatOfHead(head, profiles, path);
}

/** An XLSX statement: the profile whose header the most specific fit finds in one of its sheets. */
async function detectXlsxProfile(path: string, profiles: readonly LoadedProfile[], wanted?: string): Promise<DetectedFormat> {
  const sheets = await readWorkbook(path);
  const candidates = wanted === undefined ? sheets : sheets.filter((s) => s.name === wanted || String(s.index) === wanted);
  const fits: { profile: LoadedProfile; score: number }[] = [];
  for (const loaded of profiles) {
    let best: number | undefined;
    for (const sheet of candidates) {
      const location = locateHeader(loaded.profile, sheetAsCsv(sheet, loaded.profile, 60));
      if (location) best = Math.max(best ?? 0, location.score + (loaded.profile.header ? 1000 : 0));
    }
    if (best !== undefined) fits.push({ profile: loaded, score: best });
  }
  fits.sort((a, b) => b.score - a.score);
  const top = fits[0];
  if (top && (fits.length === 1 || fits[1]!.score < top.score)) return { kind: 'csv', profile: top.profile };
  if (top)
    throw new HoptraceError(
      `several bank profiles fit this workbook equally: ${fits
        .filter((f) => f.score === top.score)
        .map((f) => f.profile.profile.name)
        .join(', ')}`,
      { file: path, hint: 'give --profile NAME' },
    );
  const firstRows = candidates.map(
    (s) =>
      `${JSON.stringify(s.name)}: ${JSON.stringify(
        (s.rows.find((r) => r.length > 0) ?? [])
          .map((c) => (c instanceof Date ? c.toISOString().slice(0, 10) : String(c ?? '')))
          .join(' | ')
          .slice(0, 100),
      )}`,
  );
  throw new HoptraceError(`no bank profile fits any sheet of this workbook (${firstRows.join('; ')})`, {
    file: path,
    line: 1,
    hint: 'give --profile NAME or --profile FILE.json (hoptrace profiles lists them), and --sheet if the statement is not on the first sheet with a header',
  });
}
