import * as v from 'valibot';

/**
 * The bank profile schema, written once: the `BankProfile` type is inferred from it, the
 * validator's messages come from it (adapters/bank/profile.ts), and
 * adapters/bank/profiles/profile.schema.json is generated from it (scripts/profileJsonSchema.ts;
 * a test checks the committed file), so an editor completes and checks a profile as it is typed.
 * A message says what is wrong with one field; the validator adds the field's path.
 */
const COLUMN = 'expected a column: its header name or its 1-based position';
const TEXT = 'expected a non-empty string';
const STRINGS = 'expected a non-empty list of strings';

const PROFILE_ENCODINGS = ['auto', 'utf-8', 'windows-1252', 'latin1', 'utf-16le', 'utf-16be'] as const;
const STATEMENT_ORDERS = ['oldest-first', 'newest-first', 'auto'] as const;

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

type Run = (dataset: v.UnknownDataset, config: v.Config<v.BaseIssue<unknown>>) => v.OutputDataset<unknown, v.BaseIssue<unknown>>;
const runOf = (schema: v.GenericSchema): Run => schema['~run'].bind(schema) as Run;

/**
 * An object with exactly these fields: a non-object (an array too) is "expected …", every other
 * field is named (valibot names the first only), and a missing field gets the message its own
 * schema gives for nothing.
 */
function shape<const TEntries extends v.ObjectEntries>(entries: TEntries, expected: string) {
  const allowed = Object.keys(entries)
    .filter((key) => !key.startsWith('$'))
    .join(', ');
  const schema = v.strictObject(entries, (issue) => {
    if (issue.expected === 'never') return `unknown field (expected one of ${allowed})`;
    const missing = issue.path?.[issue.path.length - 1]?.key;
    if (typeof missing === 'string' && missing in entries) return v.safeParse(entries[missing]!, undefined).issues?.[0].message ?? `expected ${expected}`;
    return `expected ${expected}`;
  });
  const run = runOf(schema);
  const ownRun: Run = (dataset, config) => {
    const input = dataset.value as Record<string, unknown>;
    const result = run(Array.isArray(input) ? { typed: false, value: null } : dataset, config);
    const unknown = result.issues?.find((issue) => issue.expected === 'never' && issue.path?.length === 1);
    const others = unknown ? Object.keys(input).filter((key) => !(key in entries) && key !== unknown.input) : [];
    for (const key of others) result.issues!.push({ ...unknown!, input: key, path: [{ type: 'object', origin: 'key', input, key, value: input[key] }] });
    return result;
  };
  return Object.assign(schema, { '~run': ownRun });
}

/** A value judged as a whole (a list of delimiters): its problems are reported at its own path. */
function whole<const TSchema extends v.GenericSchema>(schema: TSchema): TSchema {
  const run = runOf(schema);
  const ownRun: Run = (dataset, config) => {
    const result = run(dataset, config);
    for (const issue of result.issues ?? []) delete (issue as { path?: unknown }).path;
    return result;
  };
  return Object.assign(schema, { '~run': ownRun });
}

/**
 * A union whose option is chosen by the keys the value has (`debit` makes an amount a
 * debit/credit pair), so the errors name the fields of the option the user meant rather than of
 * every option. In all else (the inferred type, JSON Schema `anyOf`) it is a valibot union.
 */
function keyedUnion<const TOptions extends v.UnionOptions>(options: TOptions, pick: (value: unknown) => number) {
  const ownRun: Run = (dataset, config) => runOf(options[pick(dataset.value)]!)(dataset, config);
  return Object.assign(v.union(options), { '~run': ownRun });
}

const text = v.pipe(
  v.string(TEXT),
  v.minLength(1, TEXT),
  v.check((s) => s.trim() !== '', TEXT),
);

const columnRef = v.union(
  [
    v.pipe(
      v.string(COLUMN),
      v.minLength(1, COLUMN),
      v.check((s) => s.trim() !== '', COLUMN),
    ),
    v.pipe(v.number(COLUMN), v.integer(COLUMN), v.minValue(1, COLUMN)),
  ],
  COLUMN,
);
/** A column: its header name (`Währung#2` is the second column of that name) or its 1-based position. */
export type ColumnRef = v.InferOutput<typeof columnRef>;

const sideColumn = keyedUnion([columnRef, shape({ in: columnRef, out: columnRef }, '{"in": …, "out": …}')], (value) => (isObject(value) ? 1 : 0));
/** A column, or one column for money coming in and another for money going out. */
export type SideColumn = v.InferOutput<typeof sideColumn>;

const stringList = whole(v.pipe(v.array(v.string(STRINGS), STRINGS), v.minLength(1, STRINGS)));

function regexProblem(source: string, groups: number): string | undefined {
  if (source.trim() === '') return undefined;
  try {
    const found = (new RegExp(`${source}|`).exec('')?.length ?? 1) - 1;
    return found < groups ? `the regular expression needs ${groups} capturing group (the value to take)` : undefined;
  } catch (error) {
    return `not a regular expression: ${(error as Error).message}`;
  }
}
const regex = (groups: number) =>
  v.pipe(
    text,
    v.check(
      (source) => regexProblem(source, groups) === undefined,
      (issue) => regexProblem(issue.input as string, groups) ?? TEXT,
    ),
  );

const validTimeZone = (zone: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return zone.trim() === '';
  }
};

const AMOUNT = '{"column": …}, {"column": …, "direction": {…}} or {"debit": …, "credit": …}';
const amount = keyedUnion(
  [
    shape(
      {
        column: columnRef,
        sign: v.optional(v.picklist(['negative-out', 'positive-out'], 'expected one of negative-out, positive-out'), 'negative-out'),
        direction: v.exactOptional(shape({ column: columnRef, in: stringList, out: stringList }, '{"column": …, "in": [...], "out": [...]}')),
      },
      AMOUNT,
    ),
    shape({ debit: columnRef, credit: columnRef }, AMOUNT),
  ],
  (value) => (isObject(value) && ('debit' in value || 'credit' in value) ? 1 : 0),
);

const byPreamble = (value: unknown): number => (isObject(value) && 'preamble' in value ? 1 : 0);
const ACCOUNT = '{"column": …} or {"preamble": "regex"}';
const account = keyedUnion(
  [
    shape({ column: columnRef, bankCode: v.exactOptional(text), bankCodeColumn: v.exactOptional(columnRef) }, ACCOUNT),
    shape({ preamble: regex(1), bankCode: v.exactOptional(text) }, ACCOUNT),
  ],
  byPreamble,
);
const holder = keyedUnion([shape({ column: columnRef }, ACCOUNT), shape({ preamble: regex(1) }, ACCOUNT)], byPreamble);

const CURRENCY = '{"column": …} or {"fixed": "EUR"}';
const currency = keyedUnion(
  [shape({ column: columnRef }, CURRENCY), shape({ fixed: v.pipe(text, v.regex(/^[A-Z]{3}$/, 'expected an ISO 4217 code such as EUR')) }, CURRENCY)],
  (value) => (isObject(value) && 'fixed' in value ? 1 : 0),
);

const DELIMITER = 'expected one character, or a list of them';
const oneCharacter = (message: string) => v.pipe(v.string(message), v.length(1, message));
const THOUSANDS = 'expected a character (or a list) different from the decimal separator';

/** The profile as its JSON file is written (field order: the order errors are listed in). */
const profileFile = shape(
  {
    $schema: v.exactOptional(v.string()),
    $comment: v.exactOptional(v.string()),
    format: v.exactOptional(v.literal('csv', 'only "csv" profiles exist (camt and MT940 are detected without one)')),
    name: v.pipe(
      text,
      v.regex(/^[a-z0-9][a-z0-9-]*$/, 'use lower-case letters, digits and dashes'),
      v.description('The name --profile takes: lower-case letters, digits and dashes.'),
    ),
    bank: v.pipe(text, v.description('The bank (and product) whose export this is.')),
    country: v.pipe(text, v.regex(/^[A-Z]{2}$/, 'expected an ISO 3166 two-letter code such as DE'), v.description('ISO 3166-1 alpha-2 country of the bank.')),
    notes: v.exactOptional(v.pipe(text, v.description('What the export looks like and where it comes from (free text).'))),
    sample: v.exactOptional(v.pipe(text, v.description('The real export this profile was tested against (test/fixtures/…).'))),
    encoding: v.optional(
      v.pipe(
        v.picklist(PROFILE_ENCODINGS, `expected one of ${PROFILE_ENCODINGS.join(', ')}`),
        v.description('The text encoding; auto: a byte-order mark, else UTF-8 if valid, else Windows-1252.'),
      ),
      'auto',
    ),
    delimiter: v.nullish(
      v.pipe(
        whole(v.union([oneCharacter(DELIMITER), v.pipe(v.array(oneCharacter(DELIMITER), DELIMITER), v.minLength(1, DELIMITER))], DELIMITER)),
        v.description('One delimiter, or several to try (the one whose header matches the signature wins).'),
      ),
      ',',
    ),
    escape: v.nullish(
      v.pipe(
        oneCharacter('expected one character (" or \\)'),
        v.description('The character that escapes a quote inside a quoted field: " (doubled quotes) or \\.'),
      ),
      '"',
    ),
    header: v.nullish(v.pipe(v.boolean('expected true or false'), v.description('Whether the file has a header line.')), true),
    signature: v.exactOptional(
      v.pipe(stringList, v.description('Header cells the file must contain (case and spacing ignored): what auto-detection looks for.')),
    ),
    linePattern: v.exactOptional(
      v.pipe(regex(0), v.description('For header-less exports: a regular expression the first data line matches (auto-detection).')),
    ),
    preambleLines: v.exactOptional(
      v.pipe(
        v.number('expected a whole number ≥ 0'),
        v.integer('expected a whole number ≥ 0'),
        v.minValue(0, 'expected a whole number ≥ 0'),
        v.description('Lines before the header (or the data); without it the header is searched in the first 50 lines.'),
      ),
    ),
    footerLines: v.optional(
      v.pipe(
        v.number('expected a whole number ≥ 0'),
        v.integer('expected a whole number ≥ 0'),
        v.minValue(0, 'expected a whole number ≥ 0'),
        v.description('Lines after the data to ignore.'),
      ),
      0,
    ),
    date: shape(
      {
        column: columnRef,
        format: v.pipe(
          text,
          v.regex(/YY/, 'needs a year (YYYY or YY), a month (MM, M or Mon) and a day (DD or D)'),
          v.description('Such as DD.MM.YYYY, YYYY-MM-DD, M/D/YY, DD Mon YYYY.'),
        ),
      },
      '{"column": …, "format": "DD.MM.YYYY"}',
    ),
    timeZone: v.nullish(
      v.pipe(
        text,
        v.check(validTimeZone, (issue) => `unknown time zone ${JSON.stringify(issue.input)} (use an IANA name such as Europe/Berlin)`),
        v.description('The IANA time zone of the dates (such as Europe/Berlin).'),
      ),
      'UTC',
    ),
    decimal: v.optional(v.picklist(['.', ','], 'expected one of ., ,'), '.'),
    thousands: v.nullish(whole(v.union([v.pipe(v.string(THOUSANDS), v.maxLength(1, THOUSANDS)), v.array(oneCharacter(THOUSANDS), THOUSANDS)], THOUSANDS)), []),
    amount,
    fee: v.exactOptional(columnRef),
    currency,
    account: v.exactOptional(account),
    holder: v.exactOptional(holder),
    counterparty: v.optional(
      shape(
        { account: v.exactOptional(sideColumn), bankCode: v.exactOptional(sideColumn), name: v.exactOptional(sideColumn) },
        '{"account": …, "bankCode": …, "name": …}',
      ),
      {},
    ),
    reference: v.exactOptional(columnRef),
    description: v.optional(
      v.pipe(v.array(columnRef, 'expected a list of columns (joined with " | ")'), v.description('Columns joined with " | " into the description.')),
      [],
    ),
    extraFields: v.optional(
      v.pipe(
        v.picklist(['description', 'reject'], 'expected one of description, reject'),
        v.description('What to do with fields beyond the header: append them to the description, or reject the row.'),
      ),
      'reject',
    ),
    balance: v.exactOptional(columnRef),
    order: v.optional(v.picklist(STATEMENT_ORDERS, `expected one of ${STATEMENT_ORDERS.join(', ')}`), 'auto'),
    keep: v.exactOptional(
      v.pipe(
        shape({ column: columnRef, values: stringList }, '{"column": …, "values": [...]}'),
        v.description('Keep only rows whose column holds one of these values (others are counted as skipped).'),
      ),
    ),
    sheet: v.exactOptional(
      v.pipe(
        v.union(
          [
            v.pipe(
              v.string(),
              v.check((s) => s.trim() !== ''),
            ),
            v.pipe(v.number(), v.integer(), v.minValue(1)),
          ],
          'expected a sheet name or its 1-based position',
        ),
        v.description('XLSX statements: the sheet to read, by name or 1-based index (default: the first sheet with the header).'),
      ),
    ),
  },
  'a JSON object',
);

/** The profile file checked field by field, then across fields, then in the shape the reader uses. */
export const profileSchema = v.pipe(
  profileFile,
  v.forward(
    v.partialCheck([['header'], ['signature']], (p) => p.header === false || p.signature !== undefined, STRINGS),
    ['signature'],
  ),
  v.forward(
    v.partialCheck(
      [['header'], ['linePattern']],
      (p) => p.header !== false || p.linePattern !== undefined,
      'a header-less profile needs a linePattern for auto-detection',
    ),
    ['linePattern'],
  ),
  v.forward(
    v.partialCheck([['thousands'], ['decimal']], (p) => !(typeof p.thousands === 'string' ? [p.thousands] : p.thousands).includes(p.decimal), THOUSANDS),
    ['thousands'],
  ),
  v.transform(({ $schema: _schema, $comment: _comment, format: _format, delimiter, thousands, signature, notes, ...fields }) => ({
    ...fields,
    notes: notes ?? '',
    delimiters: typeof delimiter === 'string' ? [delimiter] : delimiter,
    thousands: typeof thousands === 'string' ? (thousands === '' ? [] : [thousands]) : thousands,
    signature: signature ?? [],
  })),
);

/** A bank profile says how one bank's CSV export is laid out, so one reader handles every bank. */
export type BankProfile = v.InferOutput<typeof profileSchema>;
export type ProfileEncoding = BankProfile['encoding'];

/** The field order of a profile file: errors are listed in it, unknown fields first. */
export const PROFILE_FIELDS: readonly string[] = Object.keys(profileFile.entries);
