/**
 * JSONL run log: one event per line, as training emits them. Written to `<file>.partial` and
 * renamed when the run ends, so a crashed or interrupted run never looks like a complete log.
 */
import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunEvent } from '../train/events.js';

export class RunLogWriter {
  private constructor(private readonly file: string, private readonly handle: FileHandle) {}

  static async create(file: string): Promise<RunLogWriter> {
    await mkdir(dirname(file), { recursive: true });
    return new RunLogWriter(file, await open(`${file}.partial`, 'w'));
  }

  async write(event: RunEvent): Promise<void> {
    await this.handle.write(`${JSON.stringify(event, finiteOrNull)}\n`);
  }

  /** Closes the log; only a completed run is renamed to its final name. */
  async close(completed: boolean): Promise<void> {
    await this.handle.close();
    if (completed) await rename(`${this.file}.partial`, this.file);
  }
}

/** JSON has no NaN or Infinity: write null rather than an invalid file. */
export function finiteOrNull(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}

/** File-system-safe run name: `uni:audio` seed 2 -> `uni-audio_seed2`. */
export function runName(method: string, seed: number): string {
  return `${method.replace(/[^A-Za-z0-9_.-]/g, '-')}_seed${seed}`;
}
