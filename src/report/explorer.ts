/**
 * Block-explorer links for chain transfers. A link is built only from a well-formed transaction
 * hash, so a hostile reference can never become a URL of its own choosing.
 */
export function explorerLink(rail: string, ref: string): string | undefined {
  if (rail === 'ethereum' && /^0x[0-9a-fA-F]{64}$/.test(ref)) return `https://etherscan.io/tx/${ref}`;
  if (rail === 'tron' && /^(0x)?[0-9a-fA-F]{64}$/.test(ref)) return `https://tronscan.org/#/transaction/${ref.replace(/^0x/, '')}`;
  return undefined;
}

/** The USDT token contracts Tether freezes on (name them in a freeze request). */
export const USDT_CONTRACTS: Readonly<Record<string, string>> = {
  ethereum: '0xdAC17F958D2ee523a2206206994597C13D831ec7',
  tron: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t',
};
