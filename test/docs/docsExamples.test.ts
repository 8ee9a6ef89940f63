import { copyFileSync, cpSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hoptrace, ROOT, tempDir } from '../support/cli.js';
import { startTronReplay, type TronReplay } from '../support/tronReplay.js';
import { hoptraceAsync } from '../support/usdtCase.js';

/**
 * Every `hoptrace` command line of every docs/*.md page, run as written. Each code block is one
 * session in a fresh folder holding the demo case (as ./hoptrace.db, ./case.db and
 * ./hoptrace-demo/case.db, its FIFO trace as ./trace.json) with the repository's README.md,
 * samples/, adapters/, test/ and templates/ at hand, as in a clone; a block's `cd DIR` and `export K=V`
 * carry to its later lines. Every command exits 0 unless listed below with the code the page
 * states; output a page shows after a `$ hoptrace …` line must be what the command prints (`…`
 * stands for anything). Lines that are not hoptrace commands are listed with why they are not run.
 */
interface Line {
  text: string;
  /** What the page shows the command printing (console blocks), or undefined. */
  output?: string;
}

interface Block {
  page: string;
  line: number;
  lines: Line[];
}

const COMMAND = /^(?:[A-Z_]+=\S+\s+)*(?:npx\s+)?hoptrace(?:\s|$)/;

function blocksOf(page: string, text: string): Block[] {
  const blocks: Block[] = [];
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const fence = /^(\s*)```(\w*)\s*$/.exec(rows[i]!);
    if (!fence) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < rows.length && !/^\s*```\s*$/.test(rows[i]!); i++) body.push(rows[i]!.slice(fence[1]!.length));
    const lines: Line[] = [];
    if (fence[2] === 'sh') {
      // A shell block: every line a command, comments after two spaces or more.
      for (const row of body) if (row.trim() !== '' && !row.startsWith('#')) lines.push({ text: row.replace(/\s+#.*$/, '').trim() });
    } else {
      // A transcript: `$ ` lines are commands, the lines after each what it printed.
      for (const row of body) {
        if (row.startsWith('$ ')) lines.push({ text: row.slice(2).trim() });
        else if (lines.length > 0) {
          const last = lines[lines.length - 1]!;
          last.output = last.output === undefined ? row : `${last.output}\n${row}`;
        }
      }
    }
    if (lines.some((l) => COMMAND.test(l.text))) blocks.push({ page, line: start + 1, lines });
  }
  return blocks;
}

const PAGES = readdirSync(join(ROOT, 'docs'))
  .filter((name) => name.endsWith('.md'))
  .sort();
const blocks = PAGES.flatMap((page) => blocksOf(page, readFileSync(join(ROOT, 'docs', page), 'utf8')));

/** hoptrace examples not run, and why. */
const SKIPPED: [RegExp, string][] = [
  [
    /--rpc http:\/\/127\.0\.0\.1:8545/,
    'needs an Ethereum JSON-RPC node at the URL it names (test/fetch/evmFetch.test.ts and test/freeze/status.test.ts run these against a local ganache node)',
  ],
  [/hoptrace serve\b/, 'starts a server that runs until it is stopped (test/serve/api.test.ts starts hoptrace serve and checks its URL and API)'],
];

/** Why the examples after an `export HOPTRACE_DB=postgres://…` are not run here. */
const ON_POSTGRES = 'needs the PostgreSQL server the page names (test/postgres/ runs these commands on a throwaway cluster)';

/** Lines of the docs that are not hoptrace commands: never run here, each for a reason. */
const NOT_HOPTRACE: [RegExp, string][] = [
  [/^npm (ci|link)\b/, 'installs hoptrace itself (CI does this before the tests)'],
  [/^npx tsx bench\//, 'a benchmark (npm run bench), not an example'],
  [/^(TOKEN=|curl )/, "the workbench's HTTP API, which needs hoptrace serve running (test/serve/api.test.ts calls it)"],
  [/^createdb \w+/, 'makes a PostgreSQL database (test/support/postgres.ts makes one per test case on a throwaway cluster)'],
  [/^echo \$\?$/, "the shell's exit code of the line before, which the test checks as that line's expected exit code"],
];

/** Commands whose documented exit code is not 0, by page and command line. */
const EXIT_CODES: Record<string, number> = {
  'case-file.md: hoptrace ingest bank samples/bank/mule-kevin-schulz.csv --profile generic --account NL36INGB0007654321': 1,
  'case-file.md: hoptrace --db hoptrace-demo/case.db verify': 3,
  'cli.md: hoptrace --db caes.db info': 1,
  'cli.md: hoptrace --db README.md info': 1,
  'cli.md: hoptrace demo --out .': 1,
  'cli.md: hoptrace trace account:DE68500105174417320965 --out missing/dir/t.json': 1,
  'workbench.md: hoptrace trace DE68500105174417320965': 1,
};

/** Documented output that cannot match word for word, and why (the exit code is still checked). */
const OUTPUT_NOT_COMPARED: Record<string, string> = {
  'cli.md: hoptrace demo --out .': "the message names the reader's own folder (/home/me/project)",
};

let demo: string;
let replay: TronReplay;

beforeAll(async () => {
  // Made as the pages make it, so the audit log records the same command line.
  const parent = tempDir();
  demo = join(parent, 'hoptrace-demo');
  const run = hoptrace(['demo', '--out', 'hoptrace-demo', '--no-timestamp'], { cwd: parent });
  expect(run.status, run.stderr).toBe(0);
  replay = await startTronReplay();
});
afterAll(async () => replay?.close());

function workspace(): string {
  const dir = tempDir('hoptrace-docs-');
  copyFileSync(join(demo, 'case.db'), join(dir, 'hoptrace.db'));
  copyFileSync(join(demo, 'case.db'), join(dir, 'case.db'));
  copyFileSync(join(demo, 'trace-fifo.json'), join(dir, 'trace.json'));
  copyFileSync(join(demo, 'trace-fifo.json'), join(dir, 'trace-fifo.json'));
  copyFileSync(join(demo, 'trace-libr.json'), join(dir, 'trace-libr.json'));
  cpSync(demo, join(dir, 'hoptrace-demo'), { recursive: true });
  for (const name of ['README.md', 'samples', 'adapters', 'test', 'templates']) symlinkSync(join(ROOT, name), join(dir, name));
  return dir;
}

/** Documented output as a pattern: `…` stands for anything, the rest is literal. */
function outputPattern(documented: string): RegExp {
  const parts = documented.split('…').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]*?')}\\n?$`);
}

describe('every docs example runs', () => {
  it('finds the examples of every page that has any', () => {
    expect([...new Set(blocks.map((b) => b.page))]).toEqual([
      'bank-statements.md',
      'case-file.md',
      'cli.md',
      'clustering.md',
      'detection.md',
      'exchange-and-freeze.md',
      'exports.md',
      'live-fetch.md',
      'postgresql.md',
      'reports.md',
      'tags.md',
      'tracing.md',
      'usdt-sources.md',
      'workbench.md',
    ]);
    // Split on spaces below: no quoting a shell would have to undo.
    const commands = blocks.flatMap((b) => b.lines.map((l) => l.text)).filter((text) => COMMAND.test(text));
    expect(commands.filter((text) => /['"]/.test(text))).toEqual([]);
    // Every listed exception names a line that is still on its page.
    const keys = new Set(blocks.flatMap((b) => b.lines.map((l) => `${b.page}: ${l.text}`)));
    expect([...Object.keys(EXIT_CODES), ...Object.keys(OUTPUT_NOT_COMPARED)].filter((key) => !keys.has(key))).toEqual([]);
  });

  describe.each(blocks.map((b) => [`${b.page}:${b.line}`, b] as const))('%s', (_name, block) => {
    let cwd: string;
    const env: Record<string, string> = { HOPTRACE_DB: '' };
    beforeAll(() => {
      cwd = workspace();
    });

    it.for(block.lines.map((l) => [l.text, l] as const))('$ %s', async ([, line], context) => {
      const key = `${block.page}: ${line.text}`;
      const cd = /^cd (\S+)$/.exec(line.text);
      if (cd) {
        cwd = resolve(cwd, cd[1]!);
        return;
      }
      const exported = /^export ([A-Z_]+)=(\S+)$/.exec(line.text);
      if (exported) {
        env[exported[1]!] = exported[2]!;
        return;
      }
      const sqlite = /^sqlite3 (\S+) "(.+)"$/.exec(line.text);
      if (sqlite) {
        // An edit the page makes by hand (a tampered case file), done with the same SQLite.
        const db = new Database(resolve(cwd, sqlite[1]!));
        db.exec(sqlite[2]!);
        db.close();
        return;
      }
      if (!COMMAND.test(line.text)) {
        const reason = NOT_HOPTRACE.find(([pattern]) => pattern.test(line.text));
        expect(reason, `${key}: neither a hoptrace command nor listed in NOT_HOPTRACE`).toBeDefined();
        context.skip(reason![1]);
      }
      const skip = SKIPPED.find(([pattern]) => pattern.test(line.text));
      if (skip) context.skip(skip[1]);
      if (env['HOPTRACE_DB']?.startsWith('postgres://')) context.skip(ON_POSTGRES);
      const words = line.text.replaceAll('https://api.trongrid.io', replay.url).split(/\s+/);
      const lineEnv = { ...env };
      while (/^[A-Z_]+=/.test(words[0]!)) {
        const [name, ...value] = words.shift()!.split('=');
        lineEnv[name!] = value.join('=');
      }
      if (words[0] === 'npx') words.shift();
      expect(words.shift()).toBe('hoptrace');
      const run = await hoptraceAsync(words, { cwd, env: lineEnv });
      expect(run.status, `${key}\n${run.stderr}`).toBe(EXIT_CODES[key] ?? 0);
      if (line.output !== undefined && OUTPUT_NOT_COMPARED[key] === undefined) expect(run.stdout + run.stderr).toMatch(outputPattern(line.output));
    });
  });
});
