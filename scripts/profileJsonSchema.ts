import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { toJsonSchema } from '@valibot/to-json-schema';
import { profileSchema } from '../adapters/bank/profileSchema.js';

/**
 * adapters/bank/profiles/profile.schema.json, generated from the valibot schema
 * (adapters/bank/profileSchema.ts): run `npx tsx scripts/profileJsonSchema.ts` after changing
 * it; test/adapters/bank/profileSchema.test.ts fails while the committed file differs. Checks that need
 * code (a regular expression compiles, a time zone exists, fields that depend on each other)
 * stay with the validator; the JSON Schema gives an editor the fields, types and descriptions.
 */
export const PROFILE_JSON_SCHEMA_PATH = join(fileURLToPath(new URL('..', import.meta.url)), 'adapters', 'bank', 'profiles', 'profile.schema.json');

export function profileJsonSchemaText(): string {
  const schema = toJsonSchema(profileSchema, { target: 'draft-07', typeMode: 'input', ignoreActions: ['check', 'partial_check'] });
  const { $schema: _draft, ...body } = schema;
  const described = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'hoptrace bank profile',
    description: 'How one bank\'s CSV export is laid out, so that hoptrace ingest bank can read it (README: "Bank statements").',
    ...body,
  };
  return `${JSON.stringify(described, null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) writeFileSync(PROFILE_JSON_SCHEMA_PATH, profileJsonSchemaText());
