import { HoptraceError } from '../../src/model/errors.js';
import { readHeadBytes } from '../common/text.js';
import { locateHeader, signatureOverlap, splitLines } from './csvHeader.js';
import { decodeHeadAs, resolveEncoding } from './encoding.js';
import type { LoadedProfile } from './profiles.js';

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
    .map((p) => ({ name: p.profile.name, overlap: signatureOverlap(p.profile, decodeHeadAs(head, resolveEncoding(head, p.profile.encoding))), of: p.profile.signature.length }))
    .filter((p) => p.overlap > 0)
    .sort((a, b) => b.overlap / b.of - a.overlap / a.of)
    .slice(0, 5);
  const candidates = nearest.length > 0 ? `nearest: ${nearest.map((p) => `${p.name} (${p.overlap}/${p.of} columns)`).join(', ')}` : `built-in: ${profiles.map((p) => p.profile.name).join(', ')}`;
  throw new HoptraceError(`no bank profile fits (first line: ${JSON.stringify(firstLine.slice(0, 120))})`, {
    file: path,
    line: 1,
    hint: `${candidates}; give --profile NAME or --profile FILE.json (hoptrace profiles lists them)`,
  });
}

export async function detectFormat(path: string, profiles: readonly LoadedProfile[]): Promise<DetectedFormat> {
  return detectFormatOfHead(await readHeadBytes(path), profiles, path);
}
