import { UserError } from './user-error.js';

/**
 * The one error type of the pure core. `code` is stable and machine-readable so callers (the CLI,
 * the config loader) can branch on it; `message` is for people.
 *
 * Codes used in src/core: 'bad_seed', 'bad_argument', 'empty_input', 'bad_split', 'bad_schedule',
 * 'bad_blend', 'bad_metric_input'.
 */
export class CoreError extends UserError {}
