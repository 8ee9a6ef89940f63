import { getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  AddressCache,
  addressOnRail,
  TwoGenerationCache,
  canonicalEvmAddress,
  canonicalTronAddress,
  tronBase58ToHex,
  tronHexToBase58,
} from '../../src/model/address.js';

// Known pairs: USDT's contract (TronScan), and the owner/recipient of a real TronGrid transfer
// (test/fixtures/trongrid-trc20-ledger-live: raw_data_hex owner 41 6e3b… = from TL24…).
const TRON_PAIRS: [string, string][] = [
  ['TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', '41a614f803b6fd780986a42c78ec9c7f77e6ded13c'],
  ['TL24LCps5FKwp3PoU1MvrYrwhi5LU1tHre', '416e3b44b96104b26f84057974a1f0c9880f7c9b13'],
  ['TXVj38D1XR3TPgSHTCZGC8wkLDAGqF1oqx', '41ec20315a879c48f5e3a6a1c9826d5225f8b658b8'],
];

describe('Tron addresses', () => {
  it.each(TRON_PAIRS)('%s ↔ %s', (base58, hex) => {
    expect(tronBase58ToHex(base58)).toBe(hex);
    expect(tronHexToBase58(hex)).toBe(base58);
    expect(tronHexToBase58('0x' + hex.toUpperCase())).toBe(base58);
    expect(canonicalTronAddress(hex)).toBe(base58);
    expect(canonicalTronAddress(base58)).toBe(base58);
  });

  it('rejects a bad checksum, a wrong prefix and a wrong length', () => {
    expect(() => canonicalTronAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u')).toThrow(/bad base58check checksum/);
    // The address the brief once gave for USDT: well-formed base58, wrong checksum.
    expect(() => canonicalTronAddress('TR7NHqjeKQxGTCi8q8ZY4pxqxPp7yPtemQ')).toThrow(/checksum/);
    expect(() => canonicalTronAddress('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6')).toThrow(/not a Tron base58 address/);
    expect(() => canonicalTronAddress('42a614f803b6fd780986a42c78ec9c7f77e6ded13c')).toThrow(/not a Tron base58 address/);
  });

  it('rejects a base58 text that is more than 25 bytes, or whose first byte is not 0x41', () => {
    // 'z' is 57: 34 of them are past 2^200.
    expect(() => canonicalTronAddress('Tzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz')).toThrow(
      'address "Tzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz": does not decode to a 21-byte Tron address',
    );
    // '1' is 0: a small value, first byte 0x00.
    expect(() => tronBase58ToHex('T111111111111111111111111111111111')).toThrow(
      'address "T111111111111111111111111111111111": does not decode to a 21-byte Tron address',
    );
    // The zero address: 20 zero bytes after 0x41 survive the round trip.
    expect(tronHexToBase58('41' + '00'.repeat(20))).toBe('T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb');
    expect(tronBase58ToHex('T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwb')).toBe('41' + '00'.repeat(20));
    expect(() => tronBase58ToHex(' TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u ')).toThrow('address " TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u ": bad base58check checksum');
  });
});

describe('EVM addresses', () => {
  it('checksums lower-case input exactly as ethers does, and rejects a wrong checksum', () => {
    expect(canonicalEvmAddress('0xdac17f958d2ee523a2206206994597c13d831ec7')).toBe('0xdAC17F958D2ee523a2206206994597C13D831ec7');
    expect(canonicalEvmAddress('0xdAC17F958D2ee523a2206206994597C13D831ec7')).toBe('0xdAC17F958D2ee523a2206206994597C13D831ec7');
    expect(() => canonicalEvmAddress('0xdAC17F958D2ee523a2206206994597C13D831Ec7')).toThrow(/bad EIP-55 checksum/);
    expect(() => canonicalEvmAddress('0xdac17f958d2ee523a2206206994597c13d831e')).toThrow(/not a 20-byte/);
  });

  it('a cache of two generations computes each key once while they fit in both, and keeps the keys in use', () => {
    const computed: string[] = [];
    const cache = new TwoGenerationCache(3);
    const get = (key: string): string =>
      cache.get(key, (raw) => {
        computed.push(raw);
        return raw.toUpperCase();
      });
    // Four keys over a capacity of three, three rounds: emptying one full map recomputed them every round.
    for (let round = 0; round < 3; round++) for (const key of ['a', 'b', 'c', 'd']) expect(get(key)).toBe(key.toUpperCase());
    expect(computed).toEqual(['a', 'b', 'c', 'd']);
    // New keys push the unused ones out: a key two generations old is computed again, one in the old generation is not.
    for (const key of ['e', 'f', 'g', 'a']) get(key);
    expect(computed).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'a']);
    expect(get('f')).toBe('F');
    expect(computed).toHaveLength(8);
  });

  it('caches canonical forms without changing them', () => {
    const cache = new AddressCache(2);
    const raw = ['0x003dc32fe920a4aaeed12dc87e145f030aa753f3', '0x3f5ce5fbfe3e9af3971dd833d26ba9b5c936f0be', '0x06da0fd433c1a5d7a4faa01111c044910a184553'];
    for (let round = 0; round < 3; round++) for (const a of raw) expect(cache.evmAddress(a)).toBe(getAddress(a));
    expect(cache.tronAddress('41a614f803b6fd780986a42c78ec9c7f77e6ded13c')).toBe('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t');
  });
});

describe('addressOnRail: which account seeds trace --fetch fetches on its chain', () => {
  const TRON = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
  const EVM = '0xdAC17F958D2ee523a2206206994597C13D831ec7';
  it('an address of the crawled chain, in any accepted form, as its canonical form', () => {
    expect(addressOnRail(TRON, 'tron')).toBe(TRON);
    expect(addressOnRail(`tron:${TRON}`, 'tron')).toBe(TRON);
    expect(addressOnRail('41a614f803b6fd780986a42c78ec9c7f77e6ded13c', 'tron')).toBe(TRON);
    expect(addressOnRail(EVM.toLowerCase(), 'ethereum')).toBe(EVM);
    expect(addressOnRail(`ethereum:${EVM}`, 'ethereum')).toBe(EVM);
  });
  it('an IBAN, an exchange customer or the other chain: nothing to fetch', () => {
    for (const ident of ['DE68500105174417320965', 'bank:DE68500105174417320965', 'exchange:ExchangeOne:EX1-7781', `ethereum:${EVM}`, EVM])
      expect(addressOnRail(ident, 'tron'), ident).toBeUndefined();
    for (const ident of ['DE68500105174417320965', `tron:${TRON}`, TRON, 'exchange:ExchangeOne:EX1-7781'])
      expect(addressOnRail(ident, 'ethereum'), ident).toBeUndefined();
  });
  it('an address of the right shape with a wrong checksum is still an error', () => {
    expect(() => addressOnRail('0xdAC17F958D2ee523a2206206994597C13D831Ec7', 'ethereum')).toThrow(/bad EIP-55 checksum/);
    expect(() => addressOnRail('TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6u', 'tron')).toThrow(/bad base58check checksum/);
  });
});
