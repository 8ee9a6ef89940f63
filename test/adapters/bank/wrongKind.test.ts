import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, hoptrace, tempDir } from '../../support/cli.js';

/**
 * A file of the wrong kind gets an error naming what it looks like and the command that reads
 * it, instead of the list of formats (or 25 bank profiles) the command knows.
 */
const ETHERSCAN = fixture('etherscan-exports-privatefolio', '0xf98', 'etherscan-erc20.csv');
const TAGPACK = fixture('graphsense-tagpacks', 'packs', 'demo.yaml');
const ING_DE = fixture('ing-de-n26-jheimbach', 'ing_de_current_format.csv');
const MT940 = fixture('bank-made', 'mule2-mt940.sta');

function run(args: string[]): { status: number | null; stderr: string } {
  const db = join(tempDir(), 'case.db');
  const result = hoptrace(['--db', db, ...args]);
  return { status: result.status, stderr: result.stderr };
}

describe('the right adapter, named', () => {
  it('an Etherscan export given to ingest bank', () => {
    expect(run(['ingest', 'bank', ETHERSCAN])).toEqual({
      status: 1,
      stderr: `hoptrace: ${ETHERSCAN}:1: this looks like an Etherscan token-transfer export, not a bank statement — use hoptrace ingest usdt ${ETHERSCAN}\n`,
    });
  });

  it('a TagPack given to ingest bank', () => {
    expect(run(['ingest', 'bank', TAGPACK])).toEqual({
      status: 1,
      stderr: `hoptrace: ${TAGPACK}:1: this looks like a GraphSense TagPack (attribution tags), not a bank statement — use hoptrace ingest tags ${TAGPACK}\n`,
    });
  });

  it('a bank CSV and an MT940 statement given to ingest usdt', () => {
    expect(run(['ingest', 'usdt', ING_DE])).toEqual({
      status: 1,
      stderr: `hoptrace: ${ING_DE}:1: this looks like a bank statement (ING-DiBa, profile ing-de), not a USDT transfer export — use hoptrace ingest bank ${ING_DE}\n`,
    });
    expect(run(['ingest', 'usdt', MT940]).stderr).toBe(
      `hoptrace: ${MT940}:1: this looks like an MT940 bank statement, not a USDT transfer export — use hoptrace ingest bank ${MT940}\n`,
    );
  });

  it('an Etherscan token export given to ingest tags and to ingest native', () => {
    expect(run(['ingest', 'tags', ETHERSCAN]).stderr).toBe(
      `hoptrace: ${ETHERSCAN}:1: this looks like an Etherscan token-transfer export, not attribution tags — use hoptrace ingest usdt ${ETHERSCAN}\n`,
    );
    expect(run(['ingest', 'native', ETHERSCAN]).stderr).toBe(
      `hoptrace: ${ETHERSCAN}:1: this looks like an Etherscan token-transfer export, not a native-coin (TRX/ETH) transactions export — use hoptrace ingest usdt ${ETHERSCAN}\n`,
    );
  });
});
