import { createHash } from 'node:crypto';
import type { GraphEdge, GraphNode, GraphWriter } from './model.js';
import type { FileSink } from './sink.js';

/** RFC 4122 name-based UUID (version 5, SHA-1): the same content always gets the same STIX id. */
export function uuidv5(name: string, namespace = '00abedb4-aa42-466c-9c01-fed23315a9b7'): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1')
    .update(Buffer.concat([ns, Buffer.from(name, 'utf8')]))
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const ENDPOINTS = new Set(['exchange', 'otc', 'payment_processor', 'guarantee_market', 'gambling', 'mixer', 'bridge', 'sanctioned']);
export const WALLET_EXTENSION_ID = `extension-definition--${uuidv5('hoptrace cryptocurrency-wallet extension v1')}`;
export const BANK_ACCOUNT_EXTENSION_ID = `extension-definition--${uuidv5('hoptrace bank-account extension v1')}`;

/**
 * A STIX 2.1 bundle for threat-intelligence platforms (OpenCTI, MISP): the cryptocurrency-wallet
 * SCO defined by an extension-definition, one wallet per account on a chain, a bank-account SCO
 * (OpenCTI's, likewise defined) per bank account, an indicator for every sanctioned or endpoint
 * wallet, relationships for the transfers, and one relationship per link (fiat recipient → crypto
 * sender, x_hoptrace_conversion), so the bundle connects the victims' euros to the USDT.
 * Ids are UUIDv5 of their content and times come from the case, so a re-export is identical.
 */
export class StixWriter implements GraphWriter {
  private first = true;
  private created = '';
  private readonly wallets = new Map<string, string>();

  constructor(private readonly sink: FileSink) {}

  private object(value: Record<string, unknown>): void {
    this.sink.write(`${this.first ? '' : ','}\n${JSON.stringify(value)}`);
    this.first = false;
  }

  begin(meta: { title: string; created: string }): void {
    this.created = meta.created;
    this.sink.write(`{"type":"bundle","id":"bundle--${uuidv5('bundle ' + meta.title + ' ' + meta.created)}","objects":[`);
    this.object({
      type: 'extension-definition',
      spec_version: '2.1',
      id: WALLET_EXTENSION_ID,
      created_by_ref: `identity--${uuidv5('hoptrace')}`,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      name: 'cryptocurrency-wallet',
      description: 'A cryptocurrency wallet (address on a chain), as used by OpenCTI and hoptrace.',
      schema: 'https://github.com/oasis-open/cti-stix-common-objects/tree/main/extension-definition-specifications/cryptocurrency-wallet',
      version: '1.0',
      extension_types: ['new-sco'],
    });
    this.object({
      type: 'extension-definition',
      spec_version: '2.1',
      id: BANK_ACCOUNT_EXTENSION_ID,
      created_by_ref: `identity--${uuidv5('hoptrace')}`,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      name: 'bank-account',
      description: 'A bank account (IBAN or account number), as used by OpenCTI and hoptrace.',
      schema: 'https://docs.opencti.io/latest/usage/data-model/',
      version: '1.0',
      extension_types: ['new-sco'],
    });
    this.object({
      type: 'identity',
      spec_version: '2.1',
      id: `identity--${uuidv5('hoptrace')}`,
      created: '2025-01-01T00:00:00.000Z',
      modified: '2025-01-01T00:00:00.000Z',
      name: 'hoptrace',
      identity_class: 'system',
    });
  }

  node(node: GraphNode): void {
    if (node.rail === 'bank') {
      const id = `bank-account--${uuidv5(`${node.rail}:${node.ident}`)}`;
      this.wallets.set(node.key, id);
      this.object({
        type: 'bank-account',
        spec_version: '2.1',
        id,
        iban: node.ident,
        extensions: { [BANK_ACCOUNT_EXTENSION_ID]: { extension_type: 'new-sco' } },
        x_hoptrace_label: node.label,
        x_hoptrace_labels: node.labels,
        x_hoptrace_categories: node.categories,
      });
      return;
    }
    const id = `cryptocurrency-wallet--${uuidv5(`${node.rail}:${node.ident}`)}`;
    this.wallets.set(node.key, id);
    this.object({
      type: 'cryptocurrency-wallet',
      spec_version: '2.1',
      id,
      address: node.ident,
      extensions: { [WALLET_EXTENSION_ID]: { extension_type: 'new-sco' } },
      x_hoptrace_chain: node.rail,
      x_hoptrace_labels: node.labels,
      x_hoptrace_categories: node.categories,
    });
    const endpoint = node.categories.find((c) => ENDPOINTS.has(c));
    if (endpoint) {
      this.object({
        type: 'indicator',
        spec_version: '2.1',
        id: `indicator--${uuidv5(`indicator ${node.rail}:${node.ident}:${endpoint}`)}`,
        created: this.created,
        modified: this.created,
        name: `${endpoint === 'sanctioned' ? 'Sanctioned' : 'Laundering endpoint'} wallet: ${node.labels[0] ?? node.ident}`,
        indicator_types: [endpoint === 'sanctioned' ? 'attribution' : 'malicious-activity'],
        pattern: `[cryptocurrency-wallet:address = '${node.ident.replace(/'/g, "\\'")}']`,
        pattern_type: 'stix',
        valid_from: this.created,
        labels: node.categories,
      });
    }
  }

  startEdges(): void {}

  edge(edge: GraphEdge): void {
    const source = this.wallets.get(edge.source);
    const target = this.wallets.get(edge.target);
    if (!source || !target) return;
    const c = edge.conversion;
    if (c) {
      this.object({
        type: 'relationship',
        spec_version: '2.1',
        id: `relationship--${uuidv5('conversion ' + edge.key)}`,
        created: this.created,
        modified: this.created,
        relationship_type: 'related-to',
        source_ref: source,
        target_ref: target,
        description: `conversion: ${c.fiatAmount} ${c.fiatAsset} (${c.fiatRef} at ${c.fiatTime}) paid out as ${c.cryptoAmount} ${c.cryptoAsset} (${c.cryptoRef} at ${c.cryptoTime}), rate ${c.rate}${edge.traced ? `; traced ${edge.traced} ${c.cryptoAsset}` : ''}`,
        start_time: c.fiatTime < c.cryptoTime ? c.fiatTime : c.cryptoTime,
        x_hoptrace_conversion: c,
      });
      return;
    }
    this.object({
      type: 'relationship',
      spec_version: '2.1',
      id: `relationship--${uuidv5('transfer ' + edge.key)}`,
      created: this.created,
      modified: this.created,
      relationship_type: 'related-to',
      source_ref: source,
      target_ref: target,
      description: `${edge.amount} ${edge.asset}${edge.traced ? ` (traced ${edge.traced})` : ''} in ${edge.ref} at ${edge.time}`,
      start_time: edge.time,
    });
  }

  end(): void {
    this.sink.write('\n]}\n');
  }
}
