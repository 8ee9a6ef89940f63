import type { Typology, TypologyName } from '../types.js';
import { cycleTypology } from './cycle.js';
import { fanInTypology, fanOutTypology } from './fan.js';
import { passThroughTypology } from './passThrough.js';
import { peelChainTypology } from './peelChain.js';
import { structuringTypology } from './structuring.js';
import { sweepTypology } from './sweep.js';

export const typologies: Record<TypologyName, Typology> = {
  'pass-through': passThroughTypology,
  'fan-in': fanInTypology,
  'fan-out': fanOutTypology,
  cycle: cycleTypology,
  'peel-chain': peelChainTypology,
  sweep: sweepTypology,
  structuring: structuringTypology,
};
