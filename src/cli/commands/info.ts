import { selectCaseInfo, type CaseInfo } from '../../store/info.js';
import { printJson, withCase, type GlobalOptions } from '../context.js';

export async function runInfo(globals: GlobalOptions, options: { json: boolean }): Promise<CaseInfo> {
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
  for (const s of info.sources) {
    lines.push(`  ${s.path}`);
    lines.push(`    ${s.adapter}  sha256 ${s.sha256}  rows ${s.rows}  rejected ${s.rejected}  skipped ${s.skipped}  duplicates ${s.duplicates}`);
    for (const note of s.notes) lines.push(`    note: ${note}`);
  }
  if (info.rejects.length > 0) {
    lines.push('', 'rejected rows:');
    for (const r of info.rejects) lines.push(`  ${r.path}:${r.line}: ${r.reason}`);
  }
  return lines.join('\n') + '\n';
}
