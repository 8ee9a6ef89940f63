import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { validateProfile } from '../../../adapters/bank/profile.js';
import { builtinProfileDir, loadBuiltinProfiles, PROFILE_SCHEMA_FILE } from '../../../adapters/bank/profiles.js';
import { PROFILE_JSON_SCHEMA_PATH, profileJsonSchemaText } from '../../../scripts/profileJsonSchema.js';

/**
 * The profile schema is written once (adapters/bank/profileSchema.ts); the JSON Schema editors
 * read is generated from it and committed. Ajv, a second implementation, checks that the
 * committed JSON Schema accepts every built-in profile and refuses what the validator refuses.
 */
describe('profile.schema.json', () => {
  const committed = readFileSync(PROFILE_JSON_SCHEMA_PATH, 'utf8');
  const validate = new Ajv({ allErrors: true, strict: false }).compile(JSON.parse(committed) as object);

  it('is what the valibot schema converts to (run npx tsx scripts/profileJsonSchema.ts if not)', () => {
    expect(PROFILE_JSON_SCHEMA_PATH).toBe(join(builtinProfileDir(), PROFILE_SCHEMA_FILE));
    expect(committed).toBe(profileJsonSchemaText());
  });

  it('every built-in profile names it in "$schema" and passes it', () => {
    const profiles = loadBuiltinProfiles();
    expect(profiles).toHaveLength(45);
    for (const { path } of profiles) {
      const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
      expect([path, raw['$schema']]).toEqual([path, './profile.schema.json']);
      expect([path, validate(raw), validate.errors ?? null]).toEqual([path, true, null]);
    }
  });

  it('an editor flags what the validator refuses: an unknown field, a wrong type, a missing field', () => {
    const bad = { name: 'Bad Name', bank: 'x', country: 'DE', delimeter: ';', signature: ['a'], date: { column: 'a' }, amount: { column: 0 }, currency: 'EUR' };
    expect(validate(bad)).toBe(false);
    const found = (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
    expect(found).toEqual(
      expect.arrayContaining([
        '/name must match pattern "^[a-z0-9][a-z0-9-]*$"',
        ' must NOT have additional properties',
        "/date must have required property 'format'",
        '/currency must be object',
      ]),
    );
    expect(validateProfile(bad).errors).toHaveLength(5);
  });
});

describe('validateProfile', () => {
  const minimal = {
    name: 'x',
    bank: 'X',
    country: 'DE',
    signature: ['d', 'a'],
    date: { column: 'd', format: 'YYYY-MM-DD' },
    amount: { column: 'a' },
    currency: { fixed: 'EUR' },
  };

  it('accepts "$schema" and "$comment" and leaves them out of the profile', () => {
    const { profile, errors } = validateProfile({ $schema: './profile.schema.json', $comment: 'why', ...minimal });
    expect(errors).toEqual([]);
    expect(profile).not.toHaveProperty('$schema');
    expect(profile).not.toHaveProperty('$comment');
  });

  it('names every unknown field of an object, an array where an object belongs, and one problem per field', () => {
    expect(
      validateProfile({ ...minimal, delimeter: ';', hedaer: true, date: { column: 'd', format: 'YYYY', fromat: 'x', colum: 1 }, counterparty: [], name: '' })
        .errors,
    ).toEqual([
      'delimeter: unknown field (expected one of format, name, bank, country, notes, sample, encoding, delimiter, escape, header, signature, linePattern, preambleLines, footerLines, date, timeZone, decimal, thousands, amount, fee, currency, account, holder, counterparty, reference, description, extraFields, balance, order, keep, sheet)',
      'hedaer: unknown field (expected one of format, name, bank, country, notes, sample, encoding, delimiter, escape, header, signature, linePattern, preambleLines, footerLines, date, timeZone, decimal, thousands, amount, fee, currency, account, holder, counterparty, reference, description, extraFields, balance, order, keep, sheet)',
      'name: expected a non-empty string',
      'date.fromat: unknown field (expected one of column, format)',
      'date.colum: unknown field (expected one of column, format)',
      'counterparty: expected {"account": …, "bankCode": …, "name": …}',
    ]);
  });

  it('a debit/credit amount is checked as one, a column amount as the other', () => {
    expect(validateProfile({ ...minimal, amount: { debit: 'S', sign: 'negative-out' } }).errors).toEqual([
      'amount.sign: unknown field (expected one of debit, credit)',
      'amount.credit: expected a column: its header name or its 1-based position',
    ]);
    expect(validateProfile({ ...minimal, amount: { column: 'a', direction: { column: 'd', in: [], out: ['S'] } } }).errors).toEqual([
      'amount.direction.in: expected a non-empty list of strings',
    ]);
    expect(validateProfile({ ...minimal, description: ['a', 0, ' '] }).errors).toEqual([
      'description[1]: expected a column: its header name or its 1-based position',
      'description[2]: expected a column: its header name or its 1-based position',
    ]);
  });
});
