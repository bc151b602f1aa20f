export * from './bradley-terry.ts';
export * from './elo.ts';
export { logFactorial, sampleBinomial, sampleMultinomial } from './multinomial.ts';
export * from './openskill.ts';
export * from './outcome.ts';
export { DRAW, pairIndex, WIN_HIGH, WIN_LOW } from './pair-counts.ts';
export * from './rating-error.ts';
