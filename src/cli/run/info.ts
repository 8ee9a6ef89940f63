import { storedText } from './storedText.js';
import { describeGap } from '../../store/balanceGaps.js';
import { selectCaseInfo, type CaseInfo } from '../../store/info.js';
import { onPostgres, printJson, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import type { InfoCliOptions } from '../commands/info.js';

export async function runInfo(globals: GlobalOptions, options: InfoCliOptions): Promise<CaseInfo> {
  if (onPostgres(globals)) return (await import('./postgres.js')).runInfoPg(globals, options);
  const info = await withCase(globals, (db) => selectCaseInfo(db));
  if (options.json) printJson(info);
  else process.stdout.write(formatInfo(info));
  return info;
}

export function formatInfo(info: CaseInfo): string {
  const lines = [`transfers ${info.transfers}   accounts ${info.accounts}   tags ${info.tags}   links ${info.links}`, ''];
  if (info.byAsset.length > 0) {
    lines.push('by asset:');
    for (const a of info.byAsset) lines.push(`  ${a.rail.padEnd(9)} ${a.asset.padEnd(8)} ${String(a.count).padStart(9)} transfers   ${a.amount}`);
    lines.push('');
  }
  lines.push('sources:');
  // A live fetch stores every API answer as a source: shown here one line per endpoint and kind
  // (`info --json` lists each answer with its request and SHA-256).
  const fetched = new Map<string, { adapter: string; path: string; answers: number; rows: number; duplicates: number; first: string; last: string }>();
  for (const s of info.sources) {
    if (s.adapter.startsWith('fetch:')) {
      const key = JSON.stringify([s.adapter, s.path]);
      const group = fetched.get(key) ?? { adapter: s.adapter, path: s.path, answers: 0, rows: 0, duplicates: 0, first: s.importedAt, last: s.importedAt };
      group.answers++;
      group.rows += s.rows;
      group.duplicates += s.duplicates;
      if (s.importedAt < group.first) group.first = s.importedAt;
      if (s.importedAt > group.last) group.last = s.importedAt;
      fetched.set(key, group);
      continue;
    }
    lines.push(`  ${s.path}`);
    lines.push(`    ${s.adapter}  sha256 ${s.sha256}  ${storedText(s.rows, s)}  rejected ${s.rejected}  skipped ${s.skipped}  duplicates ${s.duplicates}`);
    for (const note of s.notes) lines.push(`    note: ${note}`);
  }
  for (const group of fetched.values()) {
    lines.push(`  ${group.path}`);
    lines.push(
      `    ${group.adapter}  ${group.answers} answers fetched ${group.first} – ${group.last}  rows ${group.rows}  duplicates ${group.duplicates}  (each answer's request and SHA-256: info --json)`,
    );
  }
  for (const result of info.stale)
    lines.push('', `${result} are stale: computed before the case's sources last changed — run hoptrace ${result === 'clusters' ? 'cluster' : 'detect'} again`);
  if (info.rejects.length > 0) {
    lines.push('', 'rejected rows:');
    for (const r of info.rejects) lines.push(`  ${r.path}:${r.line}: ${r.reason}`);
  }
  if (info.balanceGaps.length > 0) {
    lines.push('', 'balance gaps (money moved that no statement line shows):');
    for (const gap of info.balanceGaps) lines.push(`  ${describeGap(gap)}`);
  }
  return lines.join('\n') + '\n';
}
