import type { Db } from './caseStore.js';

/** Stores a link inside the source's open transaction; the same link twice is stored once. */
export function insertLink(db: Db, sourceId: number, fiatId: number, cryptoId: number, line: number): boolean {
  return db.prepare('INSERT OR IGNORE INTO links (fiat_id, crypto_id, source_id, line) VALUES (?, ?, ?, ?)').run(fiatId, cryptoId, sourceId, line).changes > 0;
}

export function selectTransferRail(db: Db, transferId: number): string {
  return db.prepare('SELECT rail FROM transfers WHERE id = ?').pluck().get(transferId) as string;
}
