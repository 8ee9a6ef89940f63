import { join } from 'node:path';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { afterEach, describe, expect, it } from 'vitest';
import type { TraceResult } from '../../src/model/trace.js';
import { parseTime, TIME_OPTION_BOUNDS } from '../../src/cli/parse.js';
import { buildProgram } from '../../src/cli/program.js';
import { fixture, hoptrace, tempDir } from '../support/cli.js';
import { startTronReplay, type TronReplay } from '../support/tronReplay.js';
import { hoptraceAsync } from '../support/usdtCase.js';

const servers: TronReplay[] = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
});

function allCommands(command: CommandUnknownOpts): CommandUnknownOpts[] {
  return [command, ...command.commands.flatMap((c) => allCommands(c))];
}

describe('time options: a bare date is the start or the end of that day, as the option means', () => {
  it('every option that takes a time has a declared bound', () => {
    const timeOptions = allCommands(buildProgram())
      .flatMap((c) => c.options)
      .filter((o) => /\(date, UTC time or ms\)/.test(o.description))
      .map((o) => o.long!);
    expect([...new Set(timeOptions)].sort()).toEqual(Object.keys(TIME_OPTION_BOUNDS).sort());
  });

  it('--min-timestamp starts at 00:00:00.000, --max-timestamp and --until end at 23:59:59.999 (UTC)', () => {
    expect(parseTime('2024-01-01', '--min-timestamp')).toBe(Date.UTC(2024, 0, 1, 0, 0, 0, 0));
    expect(parseTime('2024-01-01', '--max-timestamp')).toBe(Date.UTC(2024, 0, 1, 23, 59, 59, 999));
    expect(parseTime('2024-01-01', '--until')).toBe(Date.UTC(2024, 0, 1, 23, 59, 59, 999));
    // A time or milliseconds mean exactly that, for every option.
    for (const option of Object.keys(TIME_OPTION_BOUNDS) as (keyof typeof TIME_OPTION_BOUNDS)[]) {
      expect(parseTime('2024-01-01T12:00:00Z', option)).toBe(Date.UTC(2024, 0, 1, 12));
      expect(parseTime('2024-01-01T12:00:00+02:00', option)).toBe(Date.UTC(2024, 0, 1, 10));
      expect(parseTime('1704067200000', option)).toBe(1704067200000);
    }
  });

  it('fetch tron --min-timestamp D --max-timestamp D fetches all of day D', async () => {
    const server = await startTronReplay();
    servers.push(server);
    const db = join(tempDir(), 'case.db');
    // TL24… received 41.499389 USDT from TJtEyS… on 2025-01-31.
    const run = await hoptraceAsync([
      '--db',
      db,
      'fetch',
      'tron',
      '--api',
      server.url,
      '--address',
      'TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre',
      '--min-timestamp',
      '2025-01-31',
      '--max-timestamp',
      '2025-01-31',
      '--quiet',
      '--retries',
      '0',
    ]);
    expect(run.status, run.stderr).toBe(0);
    expect(server.requests[0]!.query['min_timestamp']).toBe(String(Date.UTC(2025, 0, 31)));
    expect(server.requests[0]!.query['max_timestamp']).toBe(String(Date.UTC(2025, 0, 31, 23, 59, 59, 999)));
    const info = hoptrace(['--db', db, 'info', '--json']);
    const byAsset = (JSON.parse(info.stdout) as { byAsset: { asset: string; count: number; amount: string }[] }).byAsset;
    expect(byAsset.find((a) => a.asset === 'USDT')?.amount).toBe('41.499389');
  });

  it('trace --until D keeps all of day D', () => {
    const db = join(tempDir(), 'case.db');
    const dir = fixture('tron-aso-nbctf-hfuhruhurr');
    expect(hoptrace(['--db', db, 'ingest', 'usdt', join(dir, 'trc20_xfers.part1.csv'), '--quiet']).status).toBe(0);
    const run = hoptrace(['--db', db, 'trace', 'account:TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m', '--until', '2024-01-01', '--max-hops', '1', '--json']);
    expect(run.status, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as TraceResult).params.until).toBe('2024-01-01T23:59:59.999Z');
  });

  it('refuses what is not a time, or reads as another one: short numbers, seconds, days that do not exist', () => {
    const refused = (text: string): string => {
      try {
        parseTime(text, '--until');
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    // Before, "0" and "12" were read as the years 2000 and 2001, "50" as 1950, 30 February as 2 March.
    expect(refused('0')).toBe('--until "0": not a time: milliseconds since 1970 have 12 to 14 digits');
    expect(refused('12')).toBe('--until "12": not a time: milliseconds since 1970 have 12 to 14 digits');
    expect(refused('1743494400')).toBe('--until "1743494400": seconds since 1970? the option takes milliseconds (add 000)');
    expect(refused('2025-02-30')).toBe('--until "2025-02-30": there is no such day (2025-02-30)');
    expect(refused('2025-04-31')).toBe('--until "2025-04-31": there is no such day (2025-04-31)');
    expect(refused('2025-02-29')).toBe('--until "2025-02-29": there is no such day (2025-02-29)');
    expect(refused('2024-03-01T24:00')).toBe('--until "2024-03-01T24:00": no such time of day');
    expect(refused('March 1 2024')).toBe('--until "March 1 2024": not a date or time');
    expect(parseTime('2024-02-29', '--until')).toBe(Date.UTC(2024, 1, 29, 23, 59, 59, 999));
    expect(parseTime('2024-03-01T12:00', '--from')).toBe(Date.UTC(2024, 2, 1, 12));
    expect(parseTime('2024-03-01 12:00:00.250+05:30', '--to')).toBe(Date.UTC(2024, 2, 1, 6, 30, 0, 250));
    // Microseconds, as Python and PostgreSQL write them: read to the millisecond.
    expect(parseTime('2024-03-01T12:00:00.123456Z', '--from')).toBe(Date.UTC(2024, 2, 1, 12, 0, 0, 123));
  });

  it('the CLI says which option and what to give, exit 1', () => {
    const db = join(tempDir(), 'case.db');
    expect(hoptrace(['--db', db, 'ingest', 'usdt', join(fixture('tron-aso-nbctf-hfuhruhurr'), 'trc20_xfers.part1.csv'), '--quiet']).status).toBe(0);
    const run = hoptrace(['--db', db, 'trace', 'account:TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m', '--until', '2025-04-31']);
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('--until "2025-04-31": there is no such day (2025-04-31)');
    expect(run.stderr).toContain('give a date (2024-03-01), a UTC time (2024-03-01T12:00:00Z) or milliseconds since 1970 (1709294400000)');
    // A period that ends before it starts holds nothing: said, not answered with an empty list.
    const backwards = hoptrace(['--db', db, 'transfers', '--from', '2025-03-10', '--to', '2025-03-01']);
    expect(backwards.status).toBe(1);
    expect(backwards.stderr).toContain('--from 2025-03-10 is after --to 2025-03-01: no time is in both');
    // A count past 2^53 is not the number given.
    const huge = hoptrace(['--db', db, 'trace', 'account:TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m', '--max-hops', '99999999999999999999']);
    expect(huge.status).toBe(1);
    expect(huge.stderr).toContain('--max-hops "99999999999999999999": expected a whole number ≥ 1 and at most 9007199254740991');
    // A time before every seed traces nothing, and says so.
    const early = hoptrace(['--db', db, 'trace', 'account:TDX3tFFdWFwhBP7Cf5gJRpADpUNxQsys6m', '--until', '2000-01-01', '--json']);
    expect(early.status).toBe(0);
    expect((JSON.parse(early.stdout) as TraceResult).seeds).toEqual([]);
    expect(early.stderr).toBe('hoptrace: warning: every seed is after --until (2000-01-01T23:59:59.999Z): nothing was traced\n');
  });
});
