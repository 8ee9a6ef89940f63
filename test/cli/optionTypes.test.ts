import { describe, expectTypeOf, it } from 'vitest';
import type { DetectCliOptions } from '../../src/cli/commands/detect.js';
import type { ExportCliOptions } from '../../src/cli/commands/export.js';
import type { FetchEvmCliOptions } from '../../src/cli/commands/fetchEvm.js';
import type { IngestBankCliOptions } from '../../src/cli/commands/ingestBank.js';
import type { IngestUsdtCliOptions } from '../../src/cli/commands/ingestUsdt.js';
import type { ReportCliOptions } from '../../src/cli/commands/report.js';
import type { TraceCliOptions } from '../../src/cli/commands/trace.js';
import type { GlobalOptions, TraceLimitOptions } from '../../src/cli/options.js';

/**
 * What commander hands each action, as @commander-js/extra-typings infers it from the command's
 * declaration (src/cli/commands/): checked by the type check (`npm run typecheck`), so an option
 * declared differently — a default dropped, a choice added, --no-timestamp spelled as --timestamp
 * — changes these types and fails here before it reaches a handler.
 */
describe('option types inferred from the declarations', () => {
  it('the program: --db, optional', () => {
    expectTypeOf<GlobalOptions>().toEqualTypeOf<{ db?: string }>();
  });

  it('choices become unions, defaults make options always present, --no-timestamp a boolean', () => {
    expectTypeOf<IngestBankCliOptions>().toEqualTypeOf<{
      profile: string;
      account?: string;
      sheet?: string;
      skipBad: boolean;
      balance: 'error' | 'gaps';
      quiet: boolean;
    }>();
    expectTypeOf<IngestUsdtCliOptions['format']>().toEqualTypeOf<'auto' | 'etherscan' | 'tronscan' | 'rpc-logs' | 'trongrid'>();
    expectTypeOf<ReportCliOptions>().toEqualTypeOf<{ format?: 'md' | 'html' | 'json' | 'csv'; out: string; timestamp: boolean; pdf?: string }>();
    expectTypeOf<TraceCliOptions['rule']>().toEqualTypeOf<'fifo' | 'lifo' | 'pro-rata' | 'libr' | 'poison'>();
    expectTypeOf<TraceCliOptions['fetch']>().toEqualTypeOf<'evm' | 'tron' | undefined>();
    expectTypeOf<TraceCliOptions['timestamp']>().toEqualTypeOf<boolean>();
  });

  it('mandatory options are strings (or their choices), variadic ones arrays', () => {
    expectTypeOf<ExportCliOptions['format']>().toEqualTypeOf<'graphology' | 'graphml' | 'gexf' | 'neo4j' | 'stix' | 'tagpack'>();
    expectTypeOf<ExportCliOptions['level']>().toEqualTypeOf<'account' | 'cluster'>();
    expectTypeOf<ExportCliOptions['out']>().toEqualTypeOf<string>();
    expectTypeOf<FetchEvmCliOptions['address']>().toEqualTypeOf<string[]>();
    expectTypeOf<DetectCliOptions['dustFloor']>().toEqualTypeOf<string[] | undefined>();
  });

  it('trace and compare share the limits, declared once', () => {
    expectTypeOf<TraceLimitOptions>().toEqualTypeOf<{ maxHops?: string; minAmount?: string; until?: string; stopAtDegree?: string }>();
    expectTypeOf<TraceCliOptions>().toExtend<TraceLimitOptions>();
  });
});
