import type { FreezeEvent } from '../../src/model/freeze.js';

export type BlacklistItem =
  | { kind: 'event'; record: FreezeEvent; line: number }
  | { kind: 'reject'; line: number; reason: string }
  | { kind: 'skipped'; line: number; reason: string };
