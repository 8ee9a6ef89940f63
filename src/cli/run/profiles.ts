import { STANDARD_FORMATS } from '../../../adapters/bank/index.js';
import { loadBuiltinProfiles } from '../../../adapters/bank/profiles.js';
import { printJson } from '../context.js';
import type { ProfilesCliOptions } from '../commands/profiles.js';

export interface ProfileListing {
  name: string;
  bank: string;
  country: string;
  /** Header cells auto-detection looks for (CSV), or what identifies the format. */
  signature: string;
  sample?: string;
}

/** `hoptrace profiles`: the built-in bank profiles and standard formats `--profile` accepts. */
export function listProfiles(): ProfileListing[] {
  const csv = loadBuiltinProfiles().map(({ profile }) => ({
    name: profile.name,
    bank: profile.bank,
    country: profile.country,
    signature: profile.header ? profile.signature.join(profile.delimiters[0] ?? ',') : `no header; first line matches /${profile.linePattern ?? ''}/`,
    ...(profile.sample ? { sample: profile.sample } : {}),
  }));
  const standard = STANDARD_FORMATS.map((format) => ({
    name: format.name,
    bank: format.bank,
    country: 'ZZ',
    signature: format.name === 'camt' ? 'XML in a camt.052/053/054 namespace' : `SWIFT :20: … :61: tags (encoding ${format.encoding})`,
  }));
  return [...csv, ...standard];
}

export function runProfiles(options: ProfilesCliOptions): void {
  const profiles = listProfiles();
  if (options.json) {
    printJson(profiles);
    return;
  }
  const width = Math.max(...profiles.map((p) => p.name.length));
  for (const p of profiles) {
    process.stdout.write(`${p.name.padEnd(width)}  ${p.country}  ${p.bank}\n${' '.repeat(width + 6)}${p.signature}\n`);
  }
}
