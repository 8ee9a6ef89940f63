import { copyFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { CommandUnknownOpts } from '@commander-js/extra-typings';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { hoptrace, ROOT, tempDir } from '../support/cli.js';
import { startTronReplay, type TronReplay } from '../support/tronReplay.js';
import { hoptraceAsync } from '../support/usdtCase.js';

/**
 * Every `$ hoptrace …` example of every command's --help, run as written against a copy of the
 * demo case, from a folder where the repository's samples/, adapters/ and test/ are at hand (the
 * README's walkthrough runs from a clone). Examples that need a live Ethereum node are skipped,
 * saying why; TronGrid examples are pointed at the local TronGrid replay the fetch tests use.
 */
interface Example {
  command: string;
  text: string;
}

function allCommands(command: CommandUnknownOpts, path: string[] = []): { path: string[]; command: CommandUnknownOpts }[] {
  return [{ path, command }, ...command.commands.flatMap((c) => allCommands(c, [...path, c.name()]))];
}

function helpOf(command: CommandUnknownOpts): string {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
}

const examples: Example[] = allCommands(buildProgram()).flatMap(({ path, command }) =>
  [...helpOf(command).matchAll(/^\s*\$ (.+)$/gm)].map((m) => ({ command: ['hoptrace', ...path].join(' '), text: m[1]!.trim() })),
);

const SKIPPED: [RegExp, string][] = [
  [/fetch evm|--fetch evm/, 'needs an Ethereum JSON-RPC node at the URL it names (test/fetch/evmFetch.test.ts runs fetch evm against a local ganache node)'],
  [/\bserve\b/, 'starts a server that runs until it is stopped (test/serve/api.test.ts starts hoptrace serve and checks its URL and API)'],
  [/status .*--rpc /, 'needs an Ethereum JSON-RPC node at the URL it names (test/freeze/status.test.ts runs status against a local ganache node)'],
];

let demo: string;
let replay: TronReplay;

beforeAll(async () => {
  demo = join(tempDir(), 'demo');
  const run = hoptrace(['demo', '--out', demo, '--no-timestamp']);
  expect(run.status, run.stderr).toBe(0);
  replay = await startTronReplay();
});
afterAll(async () => replay?.close());

/** A fresh folder holding the demo case as ./hoptrace.db and ./case.db, its FIFO trace as ./trace.json. */
function workspace(): string {
  const dir = tempDir('hoptrace-example-');
  copyFileSync(join(demo, 'case.db'), join(dir, 'hoptrace.db'));
  copyFileSync(join(demo, 'case.db'), join(dir, 'case.db'));
  copyFileSync(join(demo, 'trace-fifo.json'), join(dir, 'trace.json'));
  copyFileSync(join(demo, 'trace-fifo.json'), join(dir, 'trace-fifo.json'));
  copyFileSync(join(demo, 'trace-libr.json'), join(dir, 'trace-libr.json'));
  for (const name of ['samples', 'adapters', 'test', 'templates']) symlinkSync(join(ROOT, name), join(dir, name));
  return dir;
}

describe('every --help example runs', () => {
  it('every command has at least one example, written as a plain command line', () => {
    const commands = allCommands(buildProgram()).filter(({ path }) => path.length > 0);
    const without = commands.map(({ path }) => ['hoptrace', ...path].join(' ')).filter((name) => !examples.some((e) => e.command === name));
    expect(without).toEqual([]);
    // Split on spaces below: no quoting, no placeholders a shell or a user would have to fill in.
    expect(examples.filter((e) => /['"…]|\.\.\./.test(e.text)).map((e) => e.text)).toEqual([]);
  });

  it.for(examples.map((e) => [`${e.command}: $ ${e.text}`, e] as const))('%s', async ([, example], context) => {
    const skip = SKIPPED.find(([pattern]) => pattern.test(example.text));
    if (skip) context.skip(skip[1]);
    const words = example.text.replaceAll('https://api.trongrid.io', replay.url).split(/\s+/);
    const env: Record<string, string> = { HOPTRACE_DB: '' };
    while (/^[A-Z_]+=/.test(words[0]!)) {
      const [name, ...value] = words.shift()!.split('=');
      env[name!] = value.join('=');
    }
    expect(words.shift()).toBe('hoptrace');
    const run = await hoptraceAsync(words, { cwd: workspace(), env });
    expect(run.status, `$ ${example.text}\n${run.stderr}`).toBe(0);
  });
});
