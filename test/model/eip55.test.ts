import { getAddress } from 'ethers';
import { describe, expect, it } from 'vitest';
import { checksumLowerEvmAddress } from '../../src/model/eip55.js';
import { prng } from '../support/prng.js';

// The examples of EIP-55 itself (all-caps, all-lower and mixed groups).
const EIP55_EXAMPLES = [
  '0x52908400098527886E0F7030069857D2E4169EE7',
  '0x8617E340B3D01FA5F11F306F4090FD50E238070D',
  '0xde709f2102306220921060314715629080e2fb77',
  '0x27b1fdb04752bbc536007a920d24acb045561c26',
  '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
  '0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359',
  '0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB',
  '0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb',
];

describe('EIP-55 checksums', () => {
  it.each(EIP55_EXAMPLES)('%s', (address) => {
    expect(checksumLowerEvmAddress(address.toLowerCase())).toBe(address);
  });

  it('agrees with ethers on 5,000 pseudo-random addresses and the extremes', () => {
    const random = prng(55);
    const addresses = ['0x' + '0'.repeat(40), '0x' + 'f'.repeat(40), '0x' + 'a'.repeat(40)];
    for (let i = 0; i < 5000; i++) addresses.push('0x' + Array.from({ length: 40 }, () => Math.floor(random() * 16).toString(16)).join(''));
    const differing = addresses.filter((a) => checksumLowerEvmAddress(a) !== getAddress(a));
    expect(differing).toEqual([]);
  });
});
