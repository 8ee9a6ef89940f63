import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HoptraceError } from '../../src/model/errors.js';
import { validateProfile, type BankProfile } from './profile.js';

/**
 * Built-in profiles live as JSON in adapters/bank/profiles/ (package.json ships that folder).
 * This module runs from adapters/bank/ (tests, tsx) and from dist/adapters/bank/ (the built
 * CLI): walking up to the folder holding package.json finds the same JSON files from both.
 */
export function builtinProfileDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'adapters', 'bank', 'profiles');
    const parent = dirname(dir);
    if (parent === dir) throw new HoptraceError("cannot find hoptrace's adapters/bank/profiles folder (no package.json above the program)");
    dir = parent;
  }
}

/** The JSON Schema every profile file names in `"$schema"`, beside them (scripts/profileJsonSchema.ts writes it). */
export const PROFILE_SCHEMA_FILE = 'profile.schema.json';

export interface LoadedProfile {
  profile: BankProfile;
  /** SHA-256 of the profile's JSON text: part of the re-import key, so an edited profile reads the file again. */
  sha256: string;
  path: string;
}

export function parseProfileText(text: string, path: string): LoadedProfile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new HoptraceError(`bank profile is not valid JSON: ${(error as Error).message}`, { file: path });
  }
  const { profile, errors } = validateProfile(raw);
  if (!profile) {
    throw new HoptraceError(`bad bank profile (${errors.length} problem${errors.length === 1 ? '' : 's'}): ${errors.join('; ')}`, {
      file: path,
      hint: 'docs/bank-statements.md documents every field',
    });
  }
  return { profile, sha256: createHash('sha256').update(text).digest('hex'), path };
}

export function loadProfileFile(path: string): LoadedProfile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HoptraceError(code === 'ENOENT' ? 'no such bank profile file' : `cannot read: ${(error as Error).message}`, { file: path });
  }
  return parseProfileText(text, path);
}

/** Every built-in profile, by name. */
export function loadBuiltinProfiles(): LoadedProfile[] {
  const dir = builtinProfileDir();
  return readdirSync(dir)
    .filter((file) => file.endsWith('.json') && file !== PROFILE_SCHEMA_FILE)
    .sort()
    .map((file) => loadProfileFile(join(dir, file)));
}

/** `--profile NAME|FILE`: a built-in profile by name, or a profile file. */
export function findProfile(choice: string): LoadedProfile {
  const builtins = loadBuiltinProfiles();
  const byName = builtins.find((p) => p.profile.name === choice);
  if (byName) return byName;
  if (choice.endsWith('.json') || existsSync(choice)) return loadProfileFile(choice);
  throw new HoptraceError(`no bank profile named ${JSON.stringify(choice)}`, {
    hint: `built-in profiles: ${builtins.map((p) => p.profile.name).join(', ')} (hoptrace profiles lists them), or give a profile file`,
  });
}
