import { existsSync } from 'node:fs';
import { HoptraceError } from '../../model/errors.js';
import type { FreezeEvent } from '../../model/freeze.js';
import { buildStatus, usdtResting, type StatusResult } from '../../freeze/status.js';
import { fetchEvmUsdtStatus, fetchTronUsdtStatus, type ChainStatus } from '../../fetch/usdtStatus.js';
import { TRONGRID_KEY_ENV } from '../../fetch/tronFetch.js';
import { digestFile } from '../../ingest/fileDigest.js';
import { checkTraceCaseFile } from '../../report/traceCaseCheck.js';
import { selectFreezeEvents, selectFreezeListRails } from '../../store/freezeEvents.js';
import { readTraceForReport } from '../../report/validateTrace.js';
import { caseFilePath, onPostgres, printJson, withCase } from '../context.js';
import type { GlobalOptions } from '../options.js';
import type { StatusCliOptions } from '../commands/status.js';

/** `hoptrace status TRACE.json [--rpc URL] [--api URL]`: balances and Tether freezes of the wallets where traced USDT rests. */
export async function runStatus(globals: GlobalOptions, traceFile: string, options: StatusCliOptions): Promise<StatusResult> {
  const trace = readTraceForReport(traceFile);
  const resting = usdtResting(trace);
  const byRail = (rail: 'ethereum' | 'tron'): string[] => [...new Set(resting.filter((h) => h.rail === rail).map((h) => h.ident))];
  const number = (text: string | undefined, name: string): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new HoptraceError(`${name} takes a whole number, not ${JSON.stringify(text)}`);
    return Number(text);
  };
  const chains: Partial<Record<'ethereum' | 'tron', ChainStatus>> = {};
  if (options.rpc && byRail('ethereum').length > 0) {
    const fromBlock = number(options.fromBlock, '--from-block');
    chains.ethereum = await fetchEvmUsdtStatus(options.rpc, byRail('ethereum'), {
      confirmations: number(options.confirmations, '--confirmations') ?? 0,
      ...(fromBlock === undefined ? {} : { fromBlock }),
    });
  }
  if (options.api && byRail('tron').length > 0) {
    const apiKey = process.env[TRONGRID_KEY_ENV];
    chains.tron = await fetchTronUsdtStatus(options.api, byRail('tron'), apiKey ? { apiKey } : {});
  }
  // The case's ingested freeze lists, when the case file is there (status itself changes nothing).
  let caseLists: { events: FreezeEvent[]; listRails: ('ethereum' | 'tron')[] } = { events: [], listRails: [] };
  if (onPostgres(globals)) caseLists = await (await import('./postgresRead.js')).selectFreezeEventsOnPg(globals, byRail('ethereum'), byRail('tron'));
  else if (existsSync(caseFilePath(globals))) {
    caseLists = await withCase(globals, (db) => {
      // Its freeze lists are read only from the trace's own case, as report reads names (docs/reports.md).
      checkTraceCaseFile(db, trace, caseFilePath(globals));
      return {
        events: [...selectFreezeEvents(db, 'ethereum', byRail('ethereum')), ...selectFreezeEvents(db, 'tron', byRail('tron'))],
        listRails: selectFreezeListRails(db),
      };
    });
  }
  const status = buildStatus(trace, (await digestFile(traceFile)).sha256, chains, caseLists.events, caseLists.listRails);
  if (options.json) printJson(status);
  else process.stdout.write(formatStatus(status));
  return status;
}

export function formatStatus(status: StatusResult): string {
  const lines: string[] = [];
  for (const [rail, at] of Object.entries(status.asOf))
    lines.push(`${rail}: as of ${at.time}${at.block === null ? '' : ` (block ${at.block})`} from ${at.endpoint}`);
  for (const w of status.wallets) {
    const state = w.blacklisted
      ? `FROZEN by Tether since ${w.blacklistedSince}`
      : w.destroyed !== '0.000000'
        ? `funds destroyed: ${w.destroyed}`
        : w.freezeChecked
          ? 'not frozen'
          : `freeze state unknown (give ${w.rail === 'ethereum' ? '--rpc' : '--api'}, or ingest Tether's freeze list with hoptrace ingest blacklist)`;
    const balance = w.balanceNow === null ? 'balance unknown (give --rpc / --api)' : `balance now ${w.balanceNow}`;
    lines.push(`${w.rail}:${w.ident}  traced ${w.tracedHeld} USDT  ${balance}  ${state}  freezable now ${w.freezableNow ?? 'unknown'}`);
  }
  lines.push(
    `${status.totals.wallets} wallets hold ${status.totals.tracedHeld} traced USDT; freezable now ${status.totals.freezableNow}${status.totals.unknownBalance ? ` (${status.totals.unknownBalance} with balance unknown)` : ''}; ${status.totals.blacklisted} already frozen${status.totals.unknownFreeze ? `; ${status.totals.unknownFreeze} with freeze state unknown` : ''}`,
  );
  return lines.join('\n') + '\n';
}
