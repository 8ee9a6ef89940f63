import { stringify } from 'yaml';
import type { TagCategory } from '../model/types.js';
import type { TagRow } from '../store/tags.js';

/** hoptrace category → GraphSense concept (concepts.yaml), for labels flowing back to GraphSense. */
const GRAPHSENSE_CONCEPT: Record<TagCategory, string> = {
  exchange: 'exchange',
  otc: 'exchange',
  payment_processor: 'payment_processor',
  guarantee_market: 'market',
  gambling: 'gambling',
  mixer: 'mixing_service',
  bridge: 'defi',
  sanctioned: 'sanction',
  scam_operator: 'perpetrator',
  mule: 'perpetrator',
  victim: 'victim',
};

/** Confidence numbers back to GraphSense's named levels (the highest level not above the number). */
const LEVELS: [number, string][] = [
  [100, 'ownership'],
  [90, 'manual_transaction'],
  [70, 'forensic_investigation'],
  [60, 'authority_data'],
  [50, 'service_data'],
  [40, 'untrusted_transaction'],
  [20, 'web_crawl'],
  [10, 'heuristic'],
  [0, 'unknown'],
];

export interface TagPackExport {
  yaml: string;
  tags: number;
  /** Bank-account tags have no place in a TagPack (it describes crypto addresses). */
  skippedBank: number;
}

/** The case's own tags as a valid GraphSense TagPack; hoptrace's own category kept in `context`. */
export function exportTagPack(tags: readonly TagRow[], options: { title: string; lastmod: string }): TagPackExport {
  const crypto = tags.filter((t) => t.rail !== 'bank');
  const pack = {
    title: options.title,
    creator: 'hoptrace',
    description: 'Tags asserted in a hoptrace case file (manual and CSV tags).',
    lastmod: options.lastmod,
    is_public: false,
    tags: crypto.map((t) => ({
      address: t.ident,
      currency: t.rail === 'ethereum' ? 'ETH' : 'TRX',
      network: t.rail === 'ethereum' ? 'ETH' : 'TRX',
      label: t.label,
      source: t.origin,
      category: GRAPHSENSE_CONCEPT[t.category],
      confidence: LEVELS.find(([level]) => t.confidence >= level)![1],
      context: JSON.stringify({ hoptrace_category: t.category, confidence: t.confidence }),
    })),
  };
  return { yaml: stringify(pack, { lineWidth: 0 }), tags: crypto.length, skippedBank: tags.length - crypto.length };
}
