export * from './address.js';
export * from './amount.js';
export * from './errors.js';
export * from './types.js';
