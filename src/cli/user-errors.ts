/** Errors caused by the user's input: printed as one line, without a stack trace. */
import { ReportError } from '../api/report.js';
import { ConfigError } from '../config/load.js';
import { CoreError } from '../core/errors.js';
import { DataError } from '../data/index.js';
import { EngineError } from '../engine/index.js';
import { ModelError } from '../models/encoders.js';
import { SavedModelError } from '../models/saved-model.js';
import { MethodError } from '../train/methods.js';

export function isUserError(err: unknown): boolean {
  return [ConfigError, CoreError, DataError, EngineError, ModelError, SavedModelError, MethodError, ReportError].some((cls) => err instanceof cls);
}
