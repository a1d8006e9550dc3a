/**
 * One whole training run through the library, timed from its own events: the seconds of its `epoch`
 * events (every training step and the per-epoch evaluation of T' and V) plus those of its
 * `blend_estimate` events (the copies trained before a super-epoch, with their checkpoints). Not
 * timed: building the model, preparing the data, the final test evaluation.
 */
import type { TrainConfig } from '../../src/config/schema.js';
import type { Dataset } from '../../src/data/index.js';
import type { RunEvent, StartEvent } from '../../src/train/events.js';
import { createMethod } from '../../src/methods/registry.js';
import { trainOnDataset } from '../../src/train/run.js';

export interface TimedRun {
  seconds: number;
  /** The split sizes the run reported (its `start` event). */
  sizes: StartEvent['sizes'];
}

export async function timedRun(config: TrainConfig, dataset: Dataset): Promise<TimedRun> {
  let seconds = 0;
  let sizes: StartEvent['sizes'] | null = null;
  const onEvent = (e: RunEvent): void => {
    if (e.event === 'epoch' || e.event === 'blend_estimate') seconds += e.seconds;
    if (e.event === 'start') sizes = e.sizes;
  };
  const run = await trainOnDataset(config, dataset, createMethod(config.method), { onEvent });
  run.model.dispose();
  if (sizes === null) throw new Error('the run sent no start event');
  return { seconds, sizes };
}
