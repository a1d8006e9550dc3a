/** What a workload is: a name, and a measurement on whatever backend the engine runs. */
import type { Measurement, TimingOptions } from '../timing.js';

export interface Workload {
  name: string;
  /** One line for the README and `--help`. */
  describe: string;
  /** Each repeat is a whole training run: the runner gives these fewer repeats (--run-repeats). */
  wholeRuns?: boolean;
  measure(opts: TimingOptions): Promise<Measurement>;
}
