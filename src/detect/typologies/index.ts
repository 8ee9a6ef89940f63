import type { Typology, TypologyName } from '../types.js';
import { addressPoisoningTypology } from './addressPoisoning.js';
import { cycleTypology } from './cycle.js';
import { fanInTypology, fanOutTypology } from './fan.js';
import { inducementTypology } from './inducement.js';
import { passThroughTypology } from './passThrough.js';
import { peelChainTypology } from './peelChain.js';
import { structuringTypology } from './structuring.js';
import { sweepTypology } from './sweep.js';
import { victimOffenderTypology } from './victimOffender.js';

export const typologies: Record<TypologyName, Typology> = {
  'pass-through': passThroughTypology,
  'victim-offender-overlap': victimOffenderTypology,
  'fan-in': fanInTypology,
  'fan-out': fanOutTypology,
  cycle: cycleTypology,
  'peel-chain': peelChainTypology,
  sweep: sweepTypology,
  structuring: structuringTypology,
  'address-poisoning': addressPoisoningTypology,
  inducement: inducementTypology,
};
