import { type Command, type CommandUnknownOpts, Option, type OptionValues } from '@commander-js/extra-typings';
import type { Program } from './program.js';

/**
 * What every command file needs to declare itself: the command it hangs under (the program, or a
 * group such as `ingest`), the options several commands share, and the types commander infers
 * from the declarations. Only commander is loaded here, so `hoptrace --help` stays fast.
 */

/** The program or a group of commands (`ingest`, `fetch`): `.command(name)` hands --db down. */
export type Parent = Pick<Program, 'command'>;

/** The program's own options (--db), as every command sees them. */
export type GlobalOptions = ReturnType<Program['opts']>;

/** The options a command's declaration yields, as its action receives them. */
export type OptionsOf<Declare extends (parent: Parent) => CommandUnknownOpts> = ReturnType<ReturnType<Declare>['opts']>;

/** The program's options from inside any command's action. */
export function globalOptions(command: { optsWithGlobals(): GlobalOptions }): GlobalOptions {
  const { db } = command.optsWithGlobals();
  return db === undefined ? {} : { db };
}

export function jsonOption(description = 'print JSON') {
  return new Option('--json', description).default(false);
}

export function skipBadOption(description = 'store the good rows, record each bad one (shown by info)') {
  return new Option('--skip-bad', description).default(false);
}

export function quietOption(description: string) {
  return new Option('--quiet', description).default(false);
}

/** `--no-timestamp`: the option is `timestamp`, false when given (byte-identical output). */
export function noTimestampOption(description: string) {
  return new Option('--no-timestamp', description);
}

/** `--out FILE|DIR`, optional or (`required`) mandatory. */
export function outOption<Usage extends `--out <${string}>`>(usage: Usage, description: string) {
  return new Option(usage, description);
}

export function requiredOutOption<Usage extends `--out <${string}>`>(usage: Usage, description: string) {
  return new Option(usage, description).makeOptionMandatory();
}

const MIN_AMOUNT = "stop transfers carrying less traced money than this, in each asset's own units (2000, or EUR=500,USDT=600)";

/** The limits `trace` and `compare` share (parsed by parseTraceLimits in src/trace/traceOptions.ts). */
export function withTraceLimits<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(command: Command<Args, Opts, Globals>) {
  return command
    .option('--max-hops <n>', 'stop traced money beyond this many hops')
    .option('--min-amount <x>', MIN_AMOUNT)
    .option('--until <time>', 'ignore transfers after this time (date, UTC time or ms)')
    .option('--stop-at-degree <n>', 'treat untagged accounts with more counterparties than this as hubs');
}

type NoOptions = Record<never, never>;

export type TraceLimitOptions = ReturnType<ReturnType<typeof withTraceLimits<[], NoOptions, NoOptions>>['opts']>;

/** Options every live fetch takes: how long to wait, how often to retry, what to print. */
export function withRequestOptions<Args extends unknown[], Opts extends OptionValues, Globals extends OptionValues>(command: Command<Args, Opts, Globals>) {
  return command
    .option('--timeout <seconds>', 'per request', '30')
    .option('--retries <n>', 'retries of a timed-out, 429 or 5xx request', '5')
    .option('--retry-delay-ms <ms>', 'first backoff (doubles, with jitter)', '500')
    .addOption(jsonOption('print JSON per address'))
    .addOption(quietOption('no progress on stderr'));
}
