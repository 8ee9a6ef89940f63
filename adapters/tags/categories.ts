import type { TagCategory } from '../../src/model/types.js';

/**
 * GraphSense TagPack categories and abuse concepts (schema_tagpack-tool/concepts.yaml) mapped to
 * hoptrace's categories. Concepts that say nothing about where laundered money ends or who runs
 * a scam (user, organization, defi tokens …) map to null: such tags are counted, not stored.
 */
export const TAGPACK_CATEGORY_MAP: Record<string, TagCategory | null> = {
  exchange: 'exchange',
  hot_wallet: 'exchange',
  cold_wallet: 'exchange',
  warm_wallet: 'exchange',
  mixing_service: 'mixer',
  coinjoin: 'mixer',
  mixing: 'mixer',
  gambling: 'gambling',
  payment_processor: 'payment_processor',
  atm: 'payment_processor',
  escrow_wallet: 'guarantee_market',
  market: 'guarantee_market',
  bridge: 'bridge',
  sanction: 'sanctioned',
  // Tether's freeze list (usdt_blacklist.yaml): money sent there is frozen, as good as seized.
  black_list: 'sanctioned',
  scam: 'scam_operator',
  investment_fraud: 'scam_operator',
  ponzi_scheme: 'scam_operator',
  pyramid_scheme: 'scam_operator',
  phishing: 'scam_operator',
  financial_crime: 'scam_operator',
  money_laundering: 'scam_operator',
  extortion: 'scam_operator',
  sextortion: 'scam_operator',
  hacking: 'scam_operator',
  service_hack: 'scam_operator',
  account_hack: 'scam_operator',
  exploit: 'scam_operator',
  ransomware: 'scam_operator',
  perpetrator: 'scam_operator',
  human_trafficking: 'scam_operator',
  terrorism_financing: 'scam_operator',
  victim: 'victim',
  user: null,
  organization: null,
  entity: null,
  service: null,
  wallet_service: null,
  ico_wallet: null,
  miner: null,
  mining_service: null,
  shop: null,
  defi: null,
  defi_token: null,
  defi_lending: null,
  defi_dex: null,
  defi_dex_pair: null,
  defi_derivative: null,
  donation: null,
  faucet: null,
  hosting: null,
  vpn: null,
  nameservice: null,
  filesharing: null,
  index: null,
  messaging_service: null,
  search_engine: null,
  unknown: null,
};

/** GraphSense confidence levels (schema_tagpack-tool/confidence.csv). */
export const TAGPACK_CONFIDENCE: Record<string, number> = {
  override: 100,
  ownership: 100,
  ledger_immanent: 100,
  manual_transaction: 90,
  service_api: 70,
  forensic_investigation: 70,
  authority_data: 60,
  trusted_provider: 50,
  service_data: 50,
  forensic: 50,
  untrusted_transaction: 40,
  web_crawl: 20,
  heuristic: 10,
  unknown: 5,
};

/** OFAC lists are authority data. */
export const OFAC_CONFIDENCE = TAGPACK_CONFIDENCE['authority_data']!;
