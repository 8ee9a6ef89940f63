/**
 * The case file's schema, as ordered migrations. `PRAGMA user_version` holds how many have been
 * applied; opening a case file applies the rest in one transaction. Never edit a shipped
 * migration: add one.
 */
export const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    adapter TEXT NOT NULL,
    options TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    rows INTEGER NOT NULL DEFAULT 0,
    rejected INTEGER NOT NULL DEFAULT 0,
    skipped INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    notes TEXT NOT NULL DEFAULT '[]'
  );
  CREATE UNIQUE INDEX sources_content ON sources (sha256, adapter, options);

  CREATE TABLE rejects (
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line INTEGER NOT NULL,
    reason TEXT NOT NULL
  );
  CREATE INDEX rejects_source ON rejects (source_id);

  CREATE TABLE accounts (
    id INTEGER PRIMARY KEY,
    rail TEXT NOT NULL,
    ident TEXT NOT NULL,
    holder TEXT,
    holder_norm TEXT,
    bank TEXT,
    UNIQUE (rail, ident)
  );

  -- amount: minor units. INTEGER whenever it fits 64 bits (every USDT and fiat figure); larger
  -- 18-decimal token values are stored as a decimal TEXT string and read back as bigint.
  CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    rail TEXT NOT NULL,
    asset TEXT NOT NULL,
    token TEXT,
    decimals INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    from_id INTEGER NOT NULL REFERENCES accounts(id),
    to_id INTEGER NOT NULL REFERENCES accounts(id),
    time INTEGER NOT NULL,
    ref TEXT NOT NULL,
    seq INTEGER NOT NULL,
    block INTEGER,
    log_index INTEGER,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line INTEGER NOT NULL,
    description TEXT
  );
  -- The key (rail, ref, seq): what tells a new transfer from one already stored. An index of its
  -- own, not a table constraint, so that a large import into a case without transfers can build
  -- it after the rows (src/store/transferKeys.ts); a case file made before keeps the constraint.
  CREATE UNIQUE INDEX transfers_key ON transfers (rail, ref, seq);
  CREATE INDEX transfers_from ON transfers (from_id, time);
  CREATE INDEX transfers_to ON transfers (to_id, time);
  CREATE INDEX transfers_time ON transfers (time, block, seq);

  -- The same transfer seen again in another source (the sender's and the receiver's download,
  -- the payer's and the payee's bank statement): one transfer, every place it was seen.
  CREATE TABLE sightings (
    transfer_id INTEGER NOT NULL REFERENCES transfers(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line INTEGER NOT NULL,
    ref TEXT NOT NULL,
    UNIQUE (transfer_id, source_id, line)
  );
  -- Every reference that selects a transfer (banks give each side its own reference).
  CREATE TABLE transfer_refs (
    ref TEXT NOT NULL,
    transfer_id INTEGER NOT NULL REFERENCES transfers(id),
    UNIQUE (ref, transfer_id)
  );

  CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    category TEXT NOT NULL,
    label TEXT NOT NULL,
    origin TEXT NOT NULL,
    confidence INTEGER NOT NULL,
    source_id INTEGER REFERENCES sources(id),
    line INTEGER,
    UNIQUE (account_id, category, label, origin)
  );
  CREATE INDEX tags_category ON tags (category);

  CREATE TABLE links (
    id INTEGER PRIMARY KEY,
    fiat_id INTEGER NOT NULL REFERENCES transfers(id),
    crypto_id INTEGER NOT NULL REFERENCES transfers(id),
    source_id INTEGER REFERENCES sources(id),
    line INTEGER,
    UNIQUE (fiat_id, crypto_id)
  );

  CREATE TABLE clusters (
    account_id INTEGER PRIMARY KEY REFERENCES accounts(id),
    cluster_id INTEGER NOT NULL
  );
  CREATE TABLE cluster_evidence (
    id INTEGER PRIMARY KEY,
    a INTEGER NOT NULL REFERENCES accounts(id),
    b INTEGER NOT NULL REFERENCES accounts(id),
    heuristic TEXT NOT NULL,
    params TEXT NOT NULL,
    transfers TEXT NOT NULL,
    confidence INTEGER NOT NULL,
    outcome TEXT NOT NULL DEFAULT 'merged'
  );

  CREATE TABLE opening_balances (
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    asset TEXT NOT NULL,
    decimals INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    time INTEGER NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line INTEGER NOT NULL,
    UNIQUE (account_id, asset, source_id)
  );

  -- Typology findings (detect): one row per finding, its accounts indexed for reports.
  CREATE TABLE findings (
    id INTEGER PRIMARY KEY,
    typology TEXT NOT NULL,
    params TEXT NOT NULL,
    evidence TEXT NOT NULL,
    score REAL NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE finding_accounts (
    finding_id INTEGER NOT NULL REFERENCES findings(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    UNIQUE (finding_id, account_id)
  );
  CREATE INDEX finding_accounts_account ON finding_accounts (account_id);

  -- Live fetch: resumable progress and block timestamps fetched once.
  CREATE TABLE fetch_checkpoints (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);
  CREATE TABLE block_times (rail TEXT NOT NULL, block INTEGER NOT NULL, time INTEGER NOT NULL, PRIMARY KEY (rail, block));
  `,
  // Bank statements (ingest bank): each statement line with the statement's own account, so the
  // payer's and the payee's statements of one payment meet on one transfer (src/store/bankMatch.ts).
  `
  CREATE TABLE bank_lines (
    transfer_id INTEGER NOT NULL REFERENCES transfers(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line INTEGER NOT NULL,
    ref TEXT NOT NULL,
    UNIQUE (source_id, line, transfer_id)
  );
  CREATE INDEX bank_lines_account_ref ON bank_lines (account_id, ref);
  CREATE INDEX bank_lines_transfer ON bank_lines (transfer_id, account_id);
  CREATE INDEX transfers_bank_pair ON transfers (from_id, to_id, amount, time) WHERE rail = 'bank';
  CREATE INDEX transfer_refs_transfer ON transfer_refs (transfer_id);
  `,
  // The audit log (src/store/auditLog.ts): every change to the case, hash-chained. A case file
  // from before this migration starts its log with the migration (an entry saying what it held).
  // Tag sightings, so that removing a source (src/store/removeSource.ts) keeps what others brought.
  `
  CREATE TABLE audit_log (
    seq INTEGER PRIMARY KEY,
    time TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    command TEXT NOT NULL,
    action TEXT NOT NULL,
    inputs TEXT NOT NULL,
    changes TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
  );
  -- A tag a later source carried again (the first source keeps the tag): what remove-source
  -- re-derives the tag from when the first source goes.
  CREATE TABLE tag_sightings (
    tag_id INTEGER NOT NULL REFERENCES tags(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line INTEGER,
    UNIQUE (tag_id, source_id, line)
  );
  `,
  // Exchange returns (ingest exchange): each deposit or withdrawal of a customer account, the
  // transfer on the exchange's books it became, and the on-chain transfer it was matched to, or
  // why none was (docs/design.md, rule 11).
  `
  CREATE TABLE exchange_movements (
    id INTEGER PRIMARY KEY,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line INTEGER NOT NULL,
    exchange TEXT NOT NULL,
    account TEXT NOT NULL,
    direction TEXT NOT NULL,
    asset TEXT NOT NULL,
    network TEXT,
    amount INTEGER NOT NULL,
    fee INTEGER NOT NULL,
    decimals INTEGER NOT NULL,
    address TEXT,
    txid TEXT,
    time INTEGER NOT NULL,
    book_transfer_id INTEGER NOT NULL REFERENCES transfers(id),
    chain_transfer_id INTEGER REFERENCES transfers(id),
    matched_by TEXT,
    unmatched_reason TEXT,
    UNIQUE (source_id, line)
  );
  CREATE INDEX exchange_movements_chain ON exchange_movements (chain_transfer_id);
  `,
  // Tether's freeze events (ingest blacklist): what hoptrace status reports as frozen or burned.
  `
  CREATE TABLE usdt_freeze_events (
    id INTEGER PRIMARY KEY,
    rail TEXT NOT NULL,
    address TEXT NOT NULL,
    event TEXT NOT NULL,
    time INTEGER NOT NULL,
    block INTEGER,
    tx TEXT,
    log_index INTEGER,
    amount INTEGER,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line INTEGER NOT NULL,
    UNIQUE (rail, address, event, time)
  );
  `,
  // Investigators' notes on accounts and transfers, written from the workbench (serve --write).
  `
  CREATE TABLE notes (
    id INTEGER PRIMARY KEY,
    account_id INTEGER REFERENCES accounts(id),
    transfer_id INTEGER REFERENCES transfers(id),
    text TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK ((account_id IS NULL) <> (transfer_id IS NULL))
  );
  CREATE INDEX notes_account ON notes (account_id);
  CREATE INDEX notes_transfer ON notes (transfer_id);
  `,
  // Running-balance gaps (ingest bank --balance gaps): money that moved between two statement
  // lines with no line showing it. Both lines are stored as transfers; the gap says where the
  // statement is incomplete (docs/bank-statements.md, "Balance gaps").
  `
  CREATE TABLE balance_gaps (
    id INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    asset TEXT NOT NULL,
    decimals INTEGER NOT NULL,
    missing INTEGER NOT NULL,
    source_id INTEGER NOT NULL REFERENCES sources(id),
    line_before INTEGER,
    line_after INTEGER NOT NULL,
    time_before INTEGER,
    time_after INTEGER NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (source_id, account_id, asset, line_after)
  );
  CREATE INDEX balance_gaps_account ON balance_gaps (account_id, time_after);
  `,
  // Investigators' cluster assertions, written from the workbench (serve --write): two accounts are
  // one operator's (same = 1) or never are (same = 0). hoptrace cluster applies them as it applies
  // a --manual file (docs/clustering.md, "manual").
  `
  CREATE TABLE cluster_assertions (
    id INTEGER PRIMARY KEY,
    a INTEGER NOT NULL REFERENCES accounts(id),
    b INTEGER NOT NULL REFERENCES accounts(id),
    same INTEGER NOT NULL CHECK (same IN (0, 1)),
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (a <> b)
  );
  CREATE INDEX cluster_assertions_a ON cluster_assertions (a);
  CREATE INDEX cluster_assertions_b ON cluster_assertions (b);
  `,
  accountTotalsMigration(),
  // The confidence each later source gave a tag it carried again: when the first source is
  // removed, the tag takes the next sighting's confidence with its source and line, as importing
  // the others alone would have given it (docs/case-file.md, "Removing a source"). Null on a
  // sighting stored before this migration: the tag then keeps the confidence it has.
  `
  ALTER TABLE tag_sightings ADD COLUMN
    confidence INTEGER;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Per account, side (0 sent, 1 received), asset and decimals: how many transfers and their sum,
 * so an exchange-sized account's balances are read from a few rows, not
 * its 100,000 transfers (docs/workbench.md, "Scale"). The table holds the transfers up to
 * `meta.account_totals_through` (a transfer id): each import folds its new transfers in at once,
 * in bulk, before it commits (src/store/accountTotals.ts, refreshAccountTotals); readers add the
 * few transfers past the mark. Triggers keep it exact when a folded transfer is deleted or changed
 * (a constant cost per row: no column needs the others' rows, so first and last times are read
 * from the (account, time) indexes instead), and lower the mark when the highest ids are deleted
 * (SQLite would hand them out again). Sums are
 * split as the explorer's exact sums are (hi = amount / 10^9, lo = amount % 10^9, so SQLite's
 * 64-bit SUM never overflows); amounts stored as TEXT (18-decimal tokens past 2^63) are only
 * counted (`text_rows`) and summed from the rows.
 */
function accountTotalsMigration(): string {
  const hi = (v: string) => `CASE WHEN typeof(${v}) = 'integer' THEN ${v} / 1000000000 ELSE 0 END`;
  const lo = (v: string) => `CASE WHEN typeof(${v}) = 'integer' THEN ${v} % 1000000000 ELSE 0 END`;
  const text = (v: string) => `(typeof(${v}) <> 'integer')`;
  const mark = "(SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'account_totals_through')";
  const key = (column: string, side: number) => `account_id = OLD.${column} AND side = ${side} AND asset = OLD.asset AND decimals = OLD.decimals`;
  const remove = (column: 'from_id' | 'to_id', side: 0 | 1) => `
    UPDATE account_totals SET n = n - 1, hi = hi - (${hi('OLD.amount')}), lo = lo - (${lo('OLD.amount')}), text_rows = text_rows - ${text('OLD.amount')} WHERE ${key(column, side)} AND OLD.id <= ${mark};
    DELETE FROM account_totals WHERE ${key(column, side)} AND n = 0;
`;
  const add = (column: 'from_id' | 'to_id', side: 0 | 1) => `
    INSERT INTO account_totals SELECT NEW.${column}, ${side}, NEW.asset, NEW.decimals, 1, ${hi('NEW.amount')}, ${lo('NEW.amount')}, ${text('NEW.amount')} WHERE NEW.id <= ${mark}
      ON CONFLICT (account_id, side, asset, decimals) DO UPDATE SET n = n + 1, hi = hi + excluded.hi, lo = lo + excluded.lo, text_rows = text_rows + excluded.text_rows;`;
  const fill = (column: 'from_id' | 'to_id', side: 0 | 1) =>
    `INSERT INTO account_totals SELECT ${column}, ${side}, asset, decimals, COUNT(*), SUM(${hi('amount')}), SUM(${lo('amount')}), SUM(${text('amount')}) FROM transfers GROUP BY ${column}, asset, decimals;`;
  return `
  CREATE TABLE account_totals (
    account_id INTEGER NOT NULL,
    side INTEGER NOT NULL,
    asset TEXT NOT NULL,
    decimals INTEGER NOT NULL,
    n INTEGER NOT NULL,
    hi INTEGER NOT NULL,
    lo INTEGER NOT NULL,
    text_rows INTEGER NOT NULL,
    PRIMARY KEY (account_id, side, asset, decimals)
  ) WITHOUT ROWID;
  ${fill('from_id', 0)}
  ${fill('to_id', 1)}
  INSERT OR REPLACE INTO meta (key, value) VALUES ('account_totals_through', (SELECT COALESCE(MAX(id), 0) FROM transfers));
  CREATE TRIGGER account_totals_delete AFTER DELETE ON transfers BEGIN${remove('from_id', 0)}${remove('to_id', 1)}
    UPDATE meta SET value = (SELECT COALESCE(MAX(id), 0) FROM transfers) WHERE key = 'account_totals_through' AND CAST(value AS INTEGER) > (SELECT COALESCE(MAX(id), 0) FROM transfers);
  END;
  CREATE TRIGGER account_totals_update AFTER UPDATE OF from_id, to_id, asset, decimals, amount, time ON transfers BEGIN${remove('from_id', 0)}${remove('to_id', 1)}${add('from_id', 0)}${add('to_id', 1)}
  END;
  `;
}
