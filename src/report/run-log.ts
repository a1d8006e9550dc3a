/**
 * JSONL run log: one event per line, as training emits them. Written to `<file>.partial` and
 * renamed when the run ends, so a crashed or interrupted run never looks like a complete log.
 * Nothing is created before the first event: a run that fails on its input leaves no empty log.
 * A resumed run cuts the partial log back to its checkpoint's offset and appends from there.
 */
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PARTIAL_SUFFIX, removeEmptyDirs } from '../io/atomic.js';
import { FileError, writing } from '../io/file-error.js';
import { checkOutputFile } from '../io/output-check.js';
import type { RunEvent } from '../train/events.js';

export class RunLogWriter {
  private handle: FileHandle | null = null;
  /** The outermost folder this log created, if any: removed again, when empty, with a failed run's log. */
  private createdDir: string | undefined;
  /** Bytes written to the partial log: a checkpoint records it, a resumed run cuts the log back to it. */
  private bytes = 0;

  private constructor(private readonly file: string) {}

  /** Checks that the log can be written (not a folder, a writable place); creates nothing yet. */
  static async create(file: string): Promise<RunLogWriter> {
    await checkOutputFile(file, 'the run log');
    return new RunLogWriter(file);
  }

  /**
   * Takes up the partial log of an interrupted run at `offset` (from its checkpoint): what was written
   * after the checkpoint is cut, since the resumed run writes it again.
   */
  static async resume(file: string, offset: number): Promise<RunLogWriter> {
    const log = await RunLogWriter.create(file);
    const partial = `${file}${PARTIAL_SUFFIX}`;
    const size = (await stat(partial).catch(() => null))?.size ?? -1;
    if (size < offset) throw new FileError('NOT_FOUND', partial, `the run log is missing or shorter than its checkpoint says (${offset} bytes); delete the run's checkpoint to train it again`);
    await writing(file, 'the run log', async () => {
      log.handle = await open(partial, 'r+');
      await log.handle.truncate(offset);
    });
    log.bytes = offset;
    return log;
  }

  get offset(): number {
    return this.bytes;
  }

  /** Makes what was written durable, before a checkpoint that points at its end is written. */
  async flush(): Promise<void> {
    await this.handle?.datasync();
  }

  async write(event: RunEvent): Promise<void> {
    await writing(this.file, 'the run log', async () => {
      if (this.handle === null) {
        this.createdDir = await mkdir(dirname(this.file), { recursive: true });
        this.handle = await open(`${this.file}${PARTIAL_SUFFIX}`, 'w');
      }
      const line = Buffer.from(`${JSON.stringify(event, finiteOrNull)}\n`);
      // Written at the offset counted here, not the handle's position: a resumed log was opened for update.
      await this.handle.write(line, 0, line.length, this.bytes);
      this.bytes += line.length;
    });
  }

  /** Closes an interrupted run's log and keeps it partial, for the resumed run to take up. */
  async keepPartial(): Promise<void> {
    await this.handle?.close();
    this.handle = null;
  }

  /**
   * Closes the log. A completed run is renamed to its final name; a failed one (bad input found late,
   * a diverging loss) is removed, since it is neither a result nor anything to resume from.
   */
  async close(completed: boolean): Promise<void> {
    if (this.handle === null) return;
    const partial = `${this.file}${PARTIAL_SUFFIX}`;
    await this.handle.close();
    this.handle = null;
    if (completed) await writing(this.file, 'the run log', () => rename(partial, this.file));
    else {
      await rm(partial, { force: true });
      if (this.createdDir !== undefined) await removeEmptyDirs(dirname(this.file), this.createdDir);
    }
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
