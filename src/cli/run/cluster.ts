import { checkInputFiles } from '../inputFiles.js';
import { clusterCase, type ClusterCaseResult } from '../../cluster/clusterCase.js';
import type { ClusterParams, HeuristicName } from '../../cluster/types.js';
import { HoptraceError } from '../../model/errors.js';
import { ingestNativeFiles } from '../../ingest/ingestNative.js';
import { selectMerges, selectTransferRefs } from '../../store/clusters.js';
import { accountById } from '../../store/accounts.js';
import { resolveAccountIdent } from '../../store/transferRefs.js';
import { staleResults } from '../../store/staleness.js';
import { onPostgres, printJson, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';

const STALE_CLUSTERS = "note: these clusters are stale: computed before the case's sources or cluster assertions last changed — run hoptrace cluster again";
import { describeIngest } from './ingestReport.js';
import type { ClusterCliOptions } from '../commands/cluster.js';
import type { IngestNativeCliOptions } from '../commands/ingestNative.js';

function number(text: string, option: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < min || value > max)
    throw new HoptraceError(`${option} ${JSON.stringify(text)}: expected a number from ${min} to ${max}`);
  return value;
}

export async function runCluster(globals: GlobalOptions, options: ClusterCliOptions): Promise<ClusterCaseResult | undefined> {
  if (options.explain) {
    await withCase(globals, (db) => {
      if (staleResults(db).includes('clusters')) process.stderr.write(STALE_CLUSTERS + '\n');
      process.stdout.write(explain(db, options.explain!));
    });
    return undefined;
  }
  const params: Partial<ClusterParams> = {
    depositEpsilon: number(options.depositEpsilon, '--deposit-epsilon', 0, 0.5),
    depositWindowHours: number(options.depositWindow, '--deposit-window', 0, 100_000),
    depositMaxServiceShare: number(options.depositMaxServiceShare, '--deposit-max-service-share', 0, 1),
    funderMaxFanOut: number(options.funderMaxFanOut, '--funder-max-fan-out', 2, 1_000_000),
    sweepShare: number(options.sweepShare, '--sweep-share', 0.5, 1),
    sweepWindowHours: number(options.sweepWindow, '--sweep-window', 0, 100_000),
    sweepMinWallets: number(options.sweepMinWallets, '--sweep-min-wallets', 2, 1_000_000),
  };
  const heuristics = options.heuristics
    .split(',')
    .map((h) => h.trim())
    .filter(Boolean) as HeuristicName[];
  const result = await withCase(globals, (db) => clusterCase(db, { heuristics, params, ...(options.manual ? { manualFile: options.manual } : {}) }));
  if (options.json) printJson(result);
  else {
    for (const c of result.clusters) {
      process.stdout.write(`cluster ${c.id}: ${c.size} accounts${c.labels.length ? ` — ${c.labels.join('; ')}` : ''}\n`);
      for (const a of c.accounts) process.stdout.write(`  ${a.rail.padEnd(9)} ${a.ident}\n`);
    }
    process.stdout.write(`${result.clusters.length} clusters, ${result.merges.length} merges, ${result.conflicts.length} conflicts refused\n`);
    for (const c of result.conflicts) process.stdout.write(`  conflict (${c.heuristic}): ${c.a} / ${c.b}: ${c.reason}\n`);
  }
  return result;
}

/** The chain of evidence from an account to every other member of its cluster (breadth first). */
function explain(db: Parameters<typeof selectMerges>[0], ident: string): string {
  const start = resolveAccountIdent(db, ident);
  if (start === undefined) throw new HoptraceError(`account ${JSON.stringify(ident)} is not in the case file`);
  const merges = selectMerges(db);
  const name = (id: number): string => {
    const a = accountById(db, id);
    return `${a.rail}:${a.ident}`;
  };
  const seen = new Set([start]);
  const queue = [start];
  const steps: { from: number; to: number; merge: (typeof merges)[number] }[] = [];
  while (queue.length > 0) {
    const current = queue.shift()!;
    for (const m of merges) {
      const other = m.a === current ? m.b : m.b === current ? m.a : undefined;
      if (other === undefined || seen.has(other)) continue;
      seen.add(other);
      queue.push(other);
      steps.push({ from: current, to: other, merge: m });
    }
  }
  // Only this cluster's evidence is looked up, not every merge in the case.
  const refs = selectTransferRefs(
    db,
    steps.flatMap((step) => step.merge.transfers),
  );
  const lines = [`${name(start)}`];
  for (const { from, to, merge: m } of steps) {
    lines.push(
      `  ${name(from)} — ${m.heuristic} (confidence ${m.confidence}) → ${name(to)}: ${m.reason}${m.transfers.length ? ` [${m.transfers.map((t) => refs.get(t)).join(', ')}]` : ''}`,
    );
  }
  if (lines.length === 1) lines.push('  is in no cluster (run hoptrace cluster first, or no heuristic links it)');
  return lines.join('\n') + '\n';
}

export async function runIngestNative(globals: GlobalOptions, files: string[], options: IngestNativeCliOptions): Promise<void> {
  checkInputFiles(files);
  if (onPostgres(globals)) return (await import('./postgresIngest.js')).runIngestNativePg(globals, files, options);
  await withCase(
    globals,
    async (db) => {
      await ingestNativeFiles(db, files, {
        skipBad: options.skipBad,
        onResult: (result) => {
          if (!options.quiet) process.stderr.write(describeIngest(result, result.format, 'failed or zero-value transactions, other contracts') + '\n');
        },
      });
    },
    'import',
  );
}
