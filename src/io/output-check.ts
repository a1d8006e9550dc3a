/**
 * Checks, before any long work starts, that its outputs can be written: a file's place is not a
 * folder, a folder's place is not a file, and the folder that will receive them accepts new files.
 * They write nothing that stays: writability is probed with a file that is removed at once, because
 * permission bits do not tell (root ignores them, a read-only mount does not show in them).
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FileError, fsReason } from './file-error.js';

type Kind = 'file' | 'dir' | 'absent';

export async function pathKind(path: string): Promise<Kind> {
  const info = await stat(path).catch(() => null);
  if (info === null) return 'absent';
  return info.isDirectory() ? 'dir' : 'file';
}

/** The deepest existing folder on the way to `path` (where its missing folders would be created). */
async function nearestExisting(path: string, shown: string, what: string): Promise<string> {
  let dir = resolve(path);
  for (;;) {
    const kind = await pathKind(dir);
    if (kind === 'dir') return dir;
    if (kind === 'file') throw new FileError('OUTPUT_IS_FILE', shown, `cannot write ${what}: ${dir} is a file, not a folder`);
    const up = dirname(dir);
    if (up === dir) return dir;
    dir = up;
  }
}

/** Whether files can be created in the existing folder `dir`; throws a FileError naming `shown` if not. */
async function probeWritable(dir: string, shown: string, what: string): Promise<void> {
  let probe: string;
  try {
    probe = await mkdtemp(join(dir, '.gblend-write-test-'));
  } catch (e) {
    throw new FileError('NOT_WRITABLE', shown, `cannot write ${what}: ${dir}: ${fsReason(e)}`);
  }
  await rm(probe, { recursive: true, force: true });
}

/** `file` will be written (replaced if it exists). */
export async function checkOutputFile(file: string, what: string): Promise<void> {
  if ((await pathKind(file)) === 'dir') throw new FileError('OUTPUT_IS_DIR', file, `cannot write ${what}: it is a folder; give a file name`);
  await probeWritable(await nearestExisting(dirname(resolve(file)), file, what), file, what);
}

/** Files will be written inside `dir`, which is created if absent. */
export async function checkOutputDir(dir: string, what: string): Promise<void> {
  if ((await pathKind(dir)) === 'file') throw new FileError('OUTPUT_IS_FILE', dir, `cannot write ${what}: it is a file, not a folder`);
  await probeWritable(await nearestExisting(dir, dir, what), dir, what);
}
