/** Every native kernel's fuzz generator, and the case at (seed, index). */
import { NATIVE_KERNEL_NAMES } from '../../../../src/engine/native/index.js';
import { Rng, type FuzzCase } from './case.js';
import { mathGenerators, type Generator } from './math-gen.js';
import { nnGenerators } from './nn-gen.js';
import { shapeGenerators } from './shape-gen.js';

export const GENERATORS: Record<string, Generator> = { ...mathGenerators, ...shapeGenerators, ...nnGenerators };

/** Kernels in registration order: case i exercises kernel i mod their count. */
export const FUZZED_KERNELS: readonly string[] = NATIVE_KERNEL_NAMES;

export function caseAt(seed: number, index: number): FuzzCase {
  const kernel = FUZZED_KERNELS[index % FUZZED_KERNELS.length]!;
  const generator = GENERATORS[kernel];
  if (generator === undefined) throw new Error(`no fuzz generator for kernel ${kernel}`);
  // A distinct stream per case, so any case can be rebuilt alone.
  return generator(new Rng(Math.imul(seed, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)));
}
