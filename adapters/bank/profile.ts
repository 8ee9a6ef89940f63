import * as v from 'valibot';
import { PROFILE_FIELDS, profileSchema, type BankProfile } from './profileSchema.js';

export type { BankProfile, ColumnRef, ProfileEncoding, SideColumn } from './profileSchema.js';

/**
 * A bank profile says how one bank's CSV export is laid out, so one reader handles every bank.
 * Profiles are JSON (adapters/bank/profiles/*.json, or a user's file given to --profile), checked
 * against adapters/bank/profileSchema.ts. `validateProfile` lists every problem it finds (not
 * just the first), because a user writing a profile fixes them all at once.
 */
export interface ProfileValidation {
  profile?: BankProfile;
  errors: string[];
}

/** `amount.direction.in`, `description[2]`: where in the profile a problem is. */
function fieldPath(issue: v.BaseIssue<unknown>): string {
  let path = '';
  for (const item of issue.path ?? []) {
    if (typeof item.key === 'number') path += `[${item.key}]`;
    else path += path === '' ? String(item.key) : `.${String(item.key)}`;
  }
  return path;
}

// Unknown top-level fields first (a typo explains the rest), then in the schema's field order,
// unknown fields first within a field too.
function rank(issue: v.BaseIssue<unknown>): number {
  const unknown = issue.expected === 'never' ? 0 : 1;
  if (issue.path?.length === 1 && unknown === 0) return -1;
  const index = PROFILE_FIELDS.indexOf(String(issue.path?.[0]?.key));
  return (index < 0 ? PROFILE_FIELDS.length : index) * 2 + unknown;
}

/** Checks a parsed JSON profile against the schema; `profile` is set only when there is no error. */
export function validateProfile(raw: unknown): ProfileValidation {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { errors: ['the profile must be a JSON object'] };
  const result = v.safeParse(profileSchema, raw);
  if (result.success) return { profile: result.output, errors: [] };
  // One problem per field, the first its checks found (a field that is not a string is not also too short).
  const byField = new Map<string, string>();
  for (const issue of [...result.issues].sort((a, b) => rank(a) - rank(b))) {
    const path = fieldPath(issue);
    if (!byField.has(path)) byField.set(path, `${path}: ${issue.message}`);
  }
  return { errors: [...byField.values()] };
}
