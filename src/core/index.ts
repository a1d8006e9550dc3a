/** The pure core of gblend: no tensor library, no I/O. */
export * from './errors.js';
export * from './user-error.js';
export * from './rng.js';
export * from './stats.js';
export * from './splits.js';
export * from './split-warnings.js';
export * from './blend.js';
export * from './schedule.js';
export * from './metrics.js';
export * from './normalize.js';
