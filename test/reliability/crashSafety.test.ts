import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN, hoptrace, tempDir } from '../support/cli.js';
import { writeEtherscanCsv } from '../support/generate.js';

const ROWS = 40_000;
let csv: string;

beforeAll(async () => {
  csv = join(tempDir(), 'big.csv');
  await writeEtherscanCsv(csv, ROWS, 7);
});

/** Starts an ingest and SIGKILLs it after `delayMs`; resolves when the process is gone. */
function killDuring(db: string, delayMs: number): Promise<NodeJS.Signals | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, '--db', db, 'ingest', 'usdt', csv, '--quiet'], { stdio: 'ignore' });
    const timer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    });
  });
}

function caseState(path: string): { integrity: string; transfers: number; sources: number } {
  const db = new Database(path);
  try {
    return {
      integrity: db.prepare('PRAGMA integrity_check').pluck().get() as string,
      transfers: Number(db.prepare('SELECT COUNT(*) FROM transfers').pluck().get()),
      sources: Number(db.prepare('SELECT COUNT(*) FROM sources').pluck().get()),
    };
  } finally {
    db.close();
  }
}

describe('crash safety', () => {
  // 3 points in `npm test`; `npm run stress` sets STRESS_KILLS=20.
  const kills = Number(process.env['STRESS_KILLS'] ?? 3);
  it(`SIGKILL during an ingest leaves all or none of the source, and a sound case file (${kills} points)`, async () => {
    const dir = tempDir();
    const delays = Array.from({ length: kills }, (_, i) => 100 + Math.round((i * 1700) / Math.max(1, kills - 1)) + Math.floor(Math.random() * 80));
    const outcomes: string[] = [];
    for (const [i, delay] of delays.entries()) {
      const db = join(dir, `case${i}.db`);
      // A first, small source that must survive every crash of the second.
      expect(hoptrace(['--db', db, 'ingest', 'usdt', join(ROOT_FIXTURE), '--quiet']).status).toBe(0);
      const before = caseState(db);
      const signal = await killDuring(db, delay);
      const after = caseState(db);
      expect(after.integrity).toBe('ok');
      const complete = after.sources === before.sources + 1 && after.transfers === before.transfers + ROWS;
      const untouched = after.sources === before.sources && after.transfers === before.transfers;
      expect(complete || untouched, `after SIGKILL at ${delay} ms: ${JSON.stringify(after)}`).toBe(true);
      outcomes.push(signal === 'SIGKILL' ? (complete ? 'killed after commit' : 'killed, rolled back') : 'finished');
      // The case file still takes the import afterwards, and then holds it exactly once.
      expect(hoptrace(['--db', db, 'ingest', 'usdt', csv, '--quiet']).status).toBe(0);
      expect(caseState(db).transfers).toBe(before.transfers + ROWS);
    }
    expect(outcomes.some((o) => o === 'killed, rolled back')).toBe(true);
  }, 1_200_000);
});

const ROOT_FIXTURE = join('test', 'fixtures', 'etherscan-exports-privatefolio', '0x003dc', 'etherscan-erc20.csv');
