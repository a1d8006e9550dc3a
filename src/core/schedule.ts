/** Super-epochs for online Gradient-Blending (method.md section 5). */
import { CoreError } from './errors.js';

/** Epochs [start, start + length) of the run, trained with one set of blend weights. */
export interface SuperEpoch {
  start: number;
  length: number;
}

function checkPositiveInteger(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new CoreError('bad_schedule', `${name} must be a positive integer, got ${value}`);
  }
}

/**
 * A warm-up super-epoch of `warmup` epochs (or all of them, if fewer), then `every` epochs each;
 * the last one is shorter when `every` does not divide what is left, so no epoch is dropped.
 */
export function onlineSchedule(totalEpochs: number, warmup: number, every: number): SuperEpoch[] {
  checkPositiveInteger(totalEpochs, 'totalEpochs');
  checkPositiveInteger(warmup, 'warmup');
  checkPositiveInteger(every, 'every');
  const schedule: SuperEpoch[] = [{ start: 0, length: Math.min(warmup, totalEpochs) }];
  for (let start = schedule[0]!.length; start < totalEpochs; start += every) {
    schedule.push({ start, length: Math.min(every, totalEpochs - start) });
  }
  return schedule;
}
