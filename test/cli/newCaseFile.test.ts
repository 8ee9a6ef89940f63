import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { childrenOf } from '../../bench/processTree.js';
import { withCase } from '../../src/cli/context.js';
import { ingestUsdtFiles } from '../../src/ingest/ingestUsdt.js';
import { openCaseDb } from '../../src/store/caseStore.js';
import { placeNewCaseFile } from '../../src/store/newCaseFile.js';
import { BIN, fixture, hoptrace, tempDir } from '../support/cli.js';
import { writeEtherscanCsv } from '../support/generate.js';

const ETHERSCAN = fixture('etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv');
const HEADER = readFileSync(ETHERSCAN, 'utf8').split('\n')[0]!;
const USDT_ROW =
  '"0x3f1bb2bb9f194d0dd8391905d432dde64ba94ae6e30a56fe7e420527225ad492","11543133","1609167660","2020-12-28 15:01:00","0x3f5ce5fbfe3e9af3971dd833d26ba9b5c936f0be","0x003dc32fe920a4aaeed12dc87e145f030aa753f3","1,000","$1,002.06","0xdac17f958d2ee523a2206206994597c13d831ec7","Tether USD","USDT"';

/** A folder holding the named files, with what each says. */
function folderWith(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const logActions = (path: string): string[] => {
  const db = openCaseDb(path, { readonly: true });
  try {
    return db.prepare('SELECT action FROM audit_log ORDER BY seq').pluck().all() as string[];
  } finally {
    db.close();
  }
};

// docs/cli.md, "The case file": an import that makes a new case file makes it under a hidden name
// and gives it its name once something is stored; refused, it leaves the folder as it was.
describe('a new case file appears only once an import stores something', () => {
  it('an input of an unknown format leaves no case file, for every import command', () => {
    const dir = folderWith({ 'notes.csv': 'hello,world\n1,2\n' });
    for (const command of [
      ['ingest', 'usdt'],
      ['ingest', 'bank'],
      ['ingest', 'exchange'],
      ['ingest', 'tags'],
      ['ingest', 'links'],
      ['ingest', 'blacklist'],
      ['ingest', 'native'],
      ['ingest', 'amlsim'],
    ]) {
      const run = hoptrace(['--db', 'new.db', ...command, 'notes.csv'], { cwd: dir });
      expect(run.status, `${command.join(' ')}: ${run.stderr}`).toBe(1);
      expect(run.stderr).toMatch(/^hoptrace: notes\.csv/);
      expect(readdirSync(dir), command.join(' ')).toEqual(['notes.csv']);
    }
  });

  it('a row refused without --skip-bad leaves no case file', () => {
    const dir = folderWith({ 'bad.csv': `${HEADER}\n${USDT_ROW.replace('"1,000"', '"one thousand"')}\n` });
    const run = hoptrace(['--db', 'new.db', 'ingest', 'usdt', 'bad.csv'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^hoptrace: bad\.csv:2: /);
    expect(readdirSync(dir)).toEqual(['bad.csv']);
  });

  it('an import that stores makes the case at its name, with nothing left beside it', () => {
    const dir = folderWith({ 'good.csv': `${HEADER}\n${USDT_ROW}\n` });
    const run = hoptrace(['--db', 'new.db', 'ingest', 'usdt', 'good.csv'], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['good.csv', 'new.db']);
    expect(logActions(join(dir, 'new.db'))).toEqual(['create case', 'ingest usdt:etherscan']);
    expect(hoptrace(['--db', 'new.db', 'verify'], { cwd: dir }).status).toBe(0);
  });

  it('what an import stored before a later file was refused is kept: the case takes its name', () => {
    const dir = folderWith({ 'good.csv': `${HEADER}\n${USDT_ROW}\n`, 'notes.csv': 'hello,world\n' });
    const run = hoptrace(['--db', 'new.db', 'ingest', 'usdt', 'good.csv', 'notes.csv'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('notes.csv:1: unknown format');
    expect(readdirSync(dir).sort()).toEqual(['good.csv', 'new.db', 'notes.csv']);
    expect(logActions(join(dir, 'new.db'))).toEqual(['create case', 'ingest usdt:etherscan']);
  });

  it('a case file another process made meanwhile is kept, and the import goes into it', async () => {
    const dir = folderWith({
      'good.csv': `${HEADER}\n${USDT_ROW}\n`,
      'other.csv': `${HEADER}\n${USDT_ROW.replace('11543133', '11543134').replace('0x3f1b', '0x4f1b')}\n`,
    });
    const path = join(dir, 'case.db');
    const written: string[] = [];
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation((text) => {
      written.push(String(text));
      return true;
    });
    let runs = 0;
    try {
      await withCase(
        { db: path },
        async (db) => {
          // The first time, another import makes the case at its name while this one runs.
          if (runs++ === 0) {
            const other = openCaseDb(path, { mode: 'create' });
            await ingestUsdtFiles(other, [join(dir, 'other.csv')], { format: 'auto', skipBad: false });
            other.close();
          }
          await ingestUsdtFiles(db, [join(dir, 'good.csv')], { format: 'auto', skipBad: false });
        },
        'import',
      );
    } finally {
      stderr.mockRestore();
    }
    expect(runs).toBe(2);
    expect(written.join('')).toContain(`note: another process created ${path} while this import ran; importing again, into that case`);
    expect(readdirSync(dir).sort()).toEqual(['case.db', 'good.csv', 'other.csv']);
    expect(logActions(path)).toEqual(['create case', 'ingest usdt:etherscan', 'ingest usdt:etherscan']);
    const db = openCaseDb(path, { readonly: true });
    expect(db.prepare('SELECT path FROM sources ORDER BY id').pluck().all()).toEqual([join(dir, 'other.csv'), join(dir, 'good.csv')]);
    db.close();
  });

  it('a new case whose write-ahead log cannot be written into it is not given its name: its data would stay behind in the hidden -wal', async () => {
    const dir = folderWith({ 'good.csv': `${HEADER}\n${USDT_ROW}\n` });
    const path = join(dir, 'case.db');
    let reader: Database.Database | undefined;
    // A full disk stops the checkpoint when the case is closed; a reader of the hidden file holding
    // its snapshot stops it the same way (after the busy timeout, shortened here).
    vi.stubEnv('HOPTRACE_BUSY_TIMEOUT_MS', '200');
    const run = withCase(
      { db: path },
      async (db) => {
        await ingestUsdtFiles(db, [join(dir, 'good.csv')], { format: 'auto', skipBad: false });
        const hidden = readdirSync(dir).find((name) => name.startsWith('.case.db.') && name.endsWith('.new'))!;
        reader = new Database(join(dir, hidden), { readonly: true });
        reader.exec('BEGIN');
        reader.prepare('SELECT COUNT(*) FROM transfers').get();
      },
      'import',
    );
    await expect(run).rejects.toThrow('cannot write the new case file whole (its write-ahead log could not be written into it): nothing was stored');
    vi.unstubAllEnvs();
    reader?.close();
    expect(readdirSync(dir)).toEqual(['good.csv']);
  });

  it('a case file name at the length limit still gets its case (the hidden name is shortened)', () => {
    const dir = folderWith({ 'good.csv': `${HEADER}\n${USDT_ROW}\n` });
    const name = `${'c'.repeat(240)}.db`;
    const run = hoptrace(['--db', name, 'ingest', 'usdt', 'good.csv', '--quiet'], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(dir).sort()).toEqual([name, 'good.csv']);
  });

  it('a path that can name no case file is refused before the import reads anything', () => {
    const dir = folderWith({ 'good.csv': `${HEADER}\n${USDT_ROW}\n` });
    expect(hoptrace(['--db', '', 'ingest', 'usdt', 'good.csv'], { cwd: dir })).toMatchObject({
      status: 1,
      stderr: 'hoptrace: the case file name is empty — check --db or HOPTRACE_DB\n',
    });
    expect(hoptrace(['--db', 'cases/', 'ingest', 'usdt', 'good.csv'], { cwd: dir })).toMatchObject({
      status: 1,
      stderr: 'hoptrace: cases/: a case file name cannot end with a folder separator — check --db\n',
    });
    // A ".." after a folder that does not exist: refused at once, as any missing folder is.
    expect(hoptrace(['--db', 'nodir/../zz.db', 'ingest', 'usdt', 'good.csv'], { cwd: dir })).toMatchObject({
      status: 1,
      stderr: 'hoptrace: nodir/../zz.db: cannot open case file: Cannot open database because the directory does not exist\n',
    });
    // A symbolic link to a missing folder.
    symlinkSync('missing/', join(dir, 'toslash'));
    expect(hoptrace(['--db', 'toslash', 'ingest', 'usdt', 'good.csv'], { cwd: dir })).toMatchObject({
      status: 1,
      stderr: `hoptrace: toslash: a symbolic link to a folder that does not exist (${realpathSync(dir)}/missing/), not to a case file — check --db\n`,
    });
    expect(readdirSync(dir).sort()).toEqual(['good.csv', 'toslash']);
  });

  it('a case file that cannot be written (a file-size limit, as a full disk) is a clear error, exit 1, and nothing is left', async () => {
    const dir = tempDir();
    await writeEtherscanCsv(join(dir, 'big.csv'), 20_000, 3, 2000);
    const limited = (db: string) =>
      spawnSync('bash', ['-c', `ulimit -f 1000; exec "${process.execPath}" "${BIN}" --db ${db} ingest usdt big.csv --quiet`], { cwd: dir, encoding: 'utf8' });
    const refused = limited('new.db');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      "hoptrace: cannot write the case file new.db or SQLite's temporary files: disk I/O error — the change under way was not stored; check the free disk space, the file-size limit (ulimit -f) and the disk, then run the command again\n",
    );
    expect(readdirSync(dir)).toEqual(['big.csv']);
    // An existing case: it stays as it was.
    writeFileSync(join(dir, 'small.csv'), `${HEADER}\n${USDT_ROW}\n`);
    expect(hoptrace(['--db', 'case.db', 'ingest', 'usdt', 'small.csv', '--quiet'], { cwd: dir }).status).toBe(0);
    const existing = limited('case.db');
    expect(existing.status).toBe(1);
    expect(existing.stderr).toMatch(/^hoptrace: cannot write the case file case\.db or SQLite's temporary files: /);
    expect(logActions(join(dir, 'case.db'))).toEqual(['create case', 'ingest usdt:etherscan']);
    expect(hoptrace(['--db', 'case.db', 'verify'], { cwd: dir }).status).toBe(0);
  });

  it('a --db that is a symbolic link to a missing file: the case is made where the link points, and only once something is stored', () => {
    const dir = folderWith({ 'good.csv': `${HEADER}\n${USDT_ROW}\n`, 'notes.csv': 'hello,world\n' });
    mkdirSync(join(dir, 'cases'));
    symlinkSync(join('cases', 'real.db'), join(dir, 'case.db'));
    expect(hoptrace(['--db', 'case.db', 'ingest', 'usdt', 'notes.csv'], { cwd: dir }).status).toBe(1);
    expect(readdirSync(join(dir, 'cases'))).toEqual([]);
    const run = hoptrace(['--db', 'case.db', 'ingest', 'usdt', 'good.csv', '--quiet'], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(join(dir, 'cases'))).toEqual(['real.db']);
    expect(lstatSync(join(dir, 'case.db')).isSymbolicLink()).toBe(true);
    expect(logActions(join(dir, 'case.db'))).toEqual(['create case', 'ingest usdt:etherscan']);
  });

  it('a relative symbolic link in a folder reached through another link: the case is made where the system resolves it', () => {
    const dir = folderWith({ 'good.csv': `${HEADER}\n${USDT_ROW}\n` });
    for (const folder of ['real/deep/sub', 'real/deep/other', 'other']) mkdirSync(join(dir, folder), { recursive: true });
    symlinkSync(join('real', 'deep', 'sub'), join(dir, 's'));
    // From real/deep/sub, ".." is real/deep: the case belongs in real/deep/other, not in ./other.
    symlinkSync(join('..', 'other', 'y.db'), join(dir, 'real', 'deep', 'sub', 'link.db'));
    const run = hoptrace(['--db', join('s', 'link.db'), 'ingest', 'usdt', 'good.csv', '--quiet'], { cwd: dir });
    expect(run.status, run.stderr).toBe(0);
    expect(readdirSync(join(dir, 'real', 'deep', 'other'))).toEqual(['y.db']);
    expect(readdirSync(join(dir, 'other'))).toEqual([]);
    expect(hoptrace(['--db', join('s', 'link.db'), 'verify'], { cwd: dir }).status).toBe(0);
  });

  it('an import that dies of an uncaught error (its stderr closed) keeps what it committed under the case file name, and leaves no hidden file', async () => {
    const dir = folderWith({ 'good.csv': `${HEADER}\n${USDT_ROW}\n` });
    await writeEtherscanCsv(join(dir, 'more.csv'), 60_000, 11, 3000);
    // stderr's reader goes away: the next line the import writes there is an EPIPE nobody handles.
    const run = spawnSync('bash', ['-c', `"${process.execPath}" "${BIN}" --db p.db ingest usdt good.csv more.csv 2>&1 | (sleep 0.1; exit 0)`], {
      cwd: dir,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
    const db = openCaseDb(join(dir, 'p.db'), { readonly: true });
    expect((db.prepare('SELECT path FROM sources ORDER BY id').pluck().all() as string[])[0]).toBe('good.csv');
    db.close();
  });

  it('the hidden file never replaces a file at the name', () => {
    const dir = folderWith({ 'case.db': 'not mine', '.case.db.1.new': 'made here' });
    expect(placeNewCaseFile(join(dir, '.case.db.1.new'), join(dir, 'case.db'))).toBe('taken');
    expect(readFileSync(join(dir, 'case.db'), 'utf8')).toBe('not mine');
    expect(placeNewCaseFile(join(dir, '.case.db.1.new'), join(dir, 'other.db'))).toBe('placed');
    expect(readdirSync(dir).sort()).toEqual(['case.db', 'other.db']);
    expect(readFileSync(join(dir, 'other.db'), 'utf8')).toBe('made here');
  });
});

describe('a first import stopped by a signal', () => {
  let running: ReturnType<typeof spawn> | undefined;
  afterEach(() => running?.kill('SIGKILL'));

  /** A folder with an Etherscan export big enough that its import still runs when the signal comes (some seconds). */
  async function bigImport(): Promise<string> {
    const dir = tempDir();
    await writeEtherscanCsv(join(dir, 'big.csv'), 150_000, 9, 5000);
    return dir;
  }

  /** Starts the import of big.csv into a new case in its own process group, and waits until it is writing the hidden file. */
  async function startImport(dir: string): Promise<ReturnType<typeof spawn>> {
    running = spawn(process.execPath, [BIN, '--db', 'new.db', 'ingest', 'usdt', 'big.csv', '--quiet'], { cwd: dir, stdio: 'ignore', detached: true });
    const hidden = (): string[] => readdirSync(dir).filter((name) => name.startsWith('.new.db.'));
    while ((hidden().length === 0 || childrenOf(running.pid!).length === 0) && running.exitCode === null)
      await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(existsSync(join(dir, 'new.db'))).toBe(false);
    return running;
  }

  const ended = async (child: ReturnType<typeof spawn>) => {
    const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
    return { code, signal };
  };

  it('leaves neither a case file nor its hidden file', async () => {
    const dir = await bigImport();
    const child = await startImport(dir);
    child.kill('SIGINT');
    expect(await ended(child)).toEqual({ code: null, signal: 'SIGINT' });
    expect(readdirSync(dir)).toEqual(['big.csv']);
  });

  it('killed (SIGKILL), it cannot clean up: the next import into that name says what was left and where, and deletes nothing', async () => {
    const dir = await bigImport();
    const child = await startImport(dir);
    const [node] = childrenOf(child.pid!);
    process.kill(-child.pid!, 'SIGKILL');
    expect(await ended(child)).toEqual({ code: null, signal: 'SIGKILL' });
    while (existsSync(`/proc/${node}`)) await new Promise((resolve) => setTimeout(resolve, 10));
    const [left] = readdirSync(dir).filter((name) => name.endsWith('.new'));
    expect(left).toMatch(new RegExp(`^\\.new\\.db\\.${node}\\.[0-9a-f]{8}\\.new$`));
    // Not leftovers: a file whose process still runs (an import under way), another case's.
    const ended2 = spawnSync('true').pid!;
    writeFileSync(join(dir, `.new.db.${process.pid}.0123abcd.new`), '');
    writeFileSync(join(dir, `.other.db.${ended2}.0123abcd.new`), '');
    writeFileSync(join(dir, 'small.csv'), `${HEADER}\n${USDT_ROW}\n`);
    const before = readdirSync(dir).sort();
    const next = hoptrace(['--db', 'new.db', 'ingest', 'usdt', 'small.csv'], { cwd: dir });
    expect(next.status).toBe(0);
    expect(next.stderr.split('\n')[0]).toBe(
      `note: ${left} is what an import into new.db left when it was stopped by force (process ${node} is no longer running); it holds what that import committed, and hoptrace does not use it: check it with \`hoptrace --db ${left} verify\` and rename it to keep it, or delete it with its -wal and -shm files`,
    );
    expect(next.stderr.match(/^note:/gm)).toHaveLength(1);
    expect(readdirSync(dir).sort()).toEqual([...before, 'new.db'].sort());
    // What the note says to run works on it.
    expect(hoptrace(['--db', left!, 'verify'], { cwd: dir }).status).toBe(0);
  });

  it('Ctrl-C in a terminal (the signal to bin/hoptrace and its child, which bin/hoptrace passes it on to as well) leaves nothing either', async () => {
    const dir = await bigImport();
    // bin/hoptrace's signal reaches the child a moment after the terminal's: while it cleans up.
    for (const gap of [0, 2, 5, 10, 20, 40]) {
      const child = await startImport(dir);
      const [node] = childrenOf(child.pid!);
      process.kill(-child.pid!, 'SIGINT');
      const waited = Date.now();
      while (Date.now() - waited < gap);
      try {
        process.kill(node!, 'SIGINT');
      } catch (error) {
        // It has already ended: all the better.
        if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
      }
      expect(await ended(child)).toEqual({ code: null, signal: 'SIGINT' });
      // The child may still be cleaning up after bin/hoptrace has ended.
      while (childrenOf(child.pid!).length > 0 || existsSync(`/proc/${node}`)) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(readdirSync(dir), `second signal after ${gap} ms`).toEqual(['big.csv']);
    }
  });
});
