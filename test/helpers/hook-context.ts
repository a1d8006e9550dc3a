/** A StepHookContext for unit tests of a method's hooks, outside a run. */
import { createRng } from '../../src/core/rng.js';
import type { StepHookContext } from '../../src/train/method.js';

export function hookContext(over: Partial<StepHookContext> = {}): StepHookContext {
  return {
    epochs: 10,
    rng: createRng(0),
    report: () => {},
    trainRows: [],
    labels: new Int32Array(0),
    numClasses: 3,
    encode: () => {
      throw new Error('this test gives the hooks no data to encode');
    },
    ...over,
  };
}
