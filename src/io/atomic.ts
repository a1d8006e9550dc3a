/**
 * Writes that are never seen half-done: data goes to `<file>.partial`, is flushed to disk, and is
 * renamed over `<file>` only when complete, so a crash at any instant leaves the old file or the new
 * one. Failures become FileErrors naming the file, and the partial file is removed.
 */
import { mkdir, open, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { writing } from './file-error.js';

export const PARTIAL_SUFFIX = '.partial';

/** Replaces `file` with `data` atomically; `what` names the file's role in an error ("the predictions"). */
export async function writeFileAtomic(file: string, data: string | Uint8Array, what = 'the file'): Promise<void> {
  const partial = `${file}${PARTIAL_SUFFIX}`;
  await writing(file, what, async () => {
    await mkdir(dirname(file), { recursive: true });
    try {
      const handle = await open(partial, 'w');
      try {
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(partial, file);
    } catch (e) {
      await rm(partial, { force: true }).catch(() => undefined);
      throw e;
    }
  });
}

/**
 * Removes `dir` and its parents up to and including `top`, each only if empty: for folders gblend
 * created for an output that was then abandoned. A folder that holds anything stops the climb.
 */
export async function removeEmptyDirs(dir: string, top: string): Promise<void> {
  let current = resolve(dir);
  const last = resolve(top);
  while (!relative(last, current).startsWith('..')) {
    const removed = await rmdir(current).then(() => true, () => false);
    if (!removed || current === last) return;
    current = dirname(current);
  }
}
