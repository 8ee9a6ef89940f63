import { selectLog, type AuditEntry } from '../../store/auditLog.js';
import { onPostgres, printJson, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import type { LogCliOptions } from '../commands/log.js';

/** `hoptrace log [--json]`: the case's audit log, oldest first. */
export async function runLog(globals: GlobalOptions, options: LogCliOptions): Promise<AuditEntry[]> {
  const entries = onPostgres(globals) ? await (await import('./postgresRead.js')).selectLogOnPg(globals) : await withCase(globals, (db) => selectLog(db));
  if (options.json) printJson(entries);
  else {
    for (const e of entries) {
      const changes = Object.entries(e.changes)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ');
      process.stdout.write(`${String(e.seq).padStart(4)}  ${e.time}  ${e.action}${changes ? `  (${changes})` : ''}\n`);
      process.stdout.write(`      $ ${e.command.join(' ')}   [hoptrace ${e.toolVersion}]\n`);
      for (const input of e.inputs) process.stdout.write(`      ${input.sha256}  ${input.path}\n`);
      process.stdout.write(`      hash ${e.hash}\n`);
    }
  }
  return entries;
}
