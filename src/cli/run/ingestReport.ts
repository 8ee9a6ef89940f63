import type { IngestSourceResult } from '../../ingest/ingestSource.js';

/** One line per file: what was stored, what was counted but not kept, and any notes. */
export function describeIngest(result: IngestSourceResult, format: string, skippedMeans = 'other tokens or failed transactions'): string {
  if (result.status === 'already-imported') {
    return `${result.path}: already imported (source ${result.existing.id}, sha256 ${result.sha256.slice(0, 12)}…): nothing added`;
  }
  const parts = result.rows > 0 || result.tags === 0 ? [`${result.rows} stored`] : [];
  if (result.duplicates) parts.push(`${result.duplicates} already in the case`);
  if (result.skipped) parts.push(`${result.skipped} skipped (${skippedMeans})`);
  if (result.rejected) parts.push(`${result.rejected} rejected (see hoptrace info)`);
  if (result.tags) parts.push(`${result.tags} tags`);
  const notes = result.notes.map((note) => `\n  note: ${note}`).join('');
  return `${result.path}: ${format}: ${parts.join(', ')}${notes}`;
}
