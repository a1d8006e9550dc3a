/**
 * A method as the registry holds it: its name, what it does in one line (for --help, errors and the
 * README), what it costs, its own options with the defaults of its paper, and how to make it.
 * Adding a method is one file exporting a MethodDefinition plus its line in registry.ts.
 */
import type { z } from 'zod';
import type { Method } from '../train/method.js';

export interface MethodDefinition {
  /** The name users type. A family (`uni`) is typed with a parameter: `uni:<modality>`. */
  name: string;
  /** For a family: how its names are written, e.g. 'uni:<modality>'. */
  pattern?: string;
  summary: string;
  /** Extra cost over naive fusion, in words (per step, per estimate). */
  cost: string;
  /** Whether `compare` runs it by default ('per-modality': once for each modality). */
  inDefaults: boolean | 'per-modality';
  /** Its own options (config `methodOptions.<name>`), each with its paper's default. */
  options?: z.ZodObject;
  /** `parameter`: what follows the colon of a family's name; `options`: validated by `options`. */
  create(parameter: string | null, options: Record<string, unknown>): Method;
}
