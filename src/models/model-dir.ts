/**
 * Where a model is saved. gblend never deletes what it did not write: `--out` must be absent, an
 * empty folder, or a folder holding a gblend model and nothing else. A model is replaced atomically
 * enough that the old one is only removed once the new one is complete: the new model is written to a
 * hidden sibling folder, the old folder is renamed aside, the new one renamed into place, and only then
 * are the old model's files removed.
 */
import { mkdir, mkdtemp, readdir, readFile, rename, rm, rmdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FileError, writing } from '../io/file-error.js';
import { checkOutputDir, pathKind } from '../io/output-check.js';

/** Every file a saved model consists of. */
export const MODEL_FILES = ['model.json', 'weights.bin', 'gblend.json'] as const;

async function isGblendModel(dir: string): Promise<boolean> {
  try {
    const meta = JSON.parse(await readFile(join(dir, 'gblend.json'), 'utf8')) as { format?: unknown };
    return meta.format === 'gblend-model';
  } catch {
    return false;
  }
}

/** A few file names for a message. */
function names(files: string[]): string {
  const shown = files.sort().slice(0, 5).map((f) => JSON.stringify(f)).join(', ');
  return files.length > 5 ? `${shown}, ... (${files.length} in all)` : shown;
}

/** Throws a FileError when a model cannot be saved at `dir`; writes nothing. Run it before training. */
export async function checkModelDestination(dir: string): Promise<void> {
  if (dir.trim() === '') throw new FileError('NOT_WRITABLE', "''", 'an empty name is not a folder for the model');
  const target = resolve(dir);
  const kind = await pathKind(target);
  if (kind === 'file') throw new FileError('OUTPUT_IS_FILE', dir, 'is a file; a model is saved as a folder, so give a new folder name');
  if (kind === 'dir') {
    const entries = await readdir(target).catch(() => null);
    if (entries === null) throw new FileError('NOT_READABLE', dir, 'cannot list the folder to check that it may be replaced');
    if (entries.length > 0) {
      const others = entries.filter((e) => !(MODEL_FILES as readonly string[]).includes(e));
      if (!(await isGblendModel(target))) {
        throw new FileError('OUTPUT_NOT_EMPTY', dir, `the folder is not empty and holds no gblend model (it has ${names(entries)}); gblend saves only into a new or empty folder, or over a model it saved`);
      }
      if (others.length > 0) {
        throw new FileError('OUTPUT_NOT_EMPTY', dir, `the folder holds a gblend model and other files (${names(others)}); gblend replaces a model only when the folder holds nothing else`);
      }
    }
  }
  // The new model is written beside `dir` and renamed into place: the parent must accept new files.
  await checkOutputDir(dirname(target), 'the model');
}

/** Saves a model at `dir` by calling `write` on an empty temporary folder, then moving it into place. */
export async function replaceModelDir(dir: string, write: (tmp: string) => Promise<void>): Promise<void> {
  await checkModelDestination(dir);
  const target = resolve(dir);
  const parent = dirname(target);
  await writing(dir, 'the model', () => mkdir(parent, { recursive: true }));
  const tmp = await writing(dir, 'the model', () => mkdtemp(join(parent, `.${basename(target)}.saving-`)));
  try {
    await write(tmp);
    await writing(dir, 'the model', async () => {
      if ((await pathKind(target)) === 'absent') return rename(tmp, target);
      // An empty folder of our own to rename the old model onto (Linux renames a folder over an empty one).
      const old = await mkdtemp(join(parent, `.${basename(target)}.old-`));
      await rename(target, old);
      await rename(tmp, target);
      await removeModelFiles(old);
    });
  } catch (err) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw err;
  }
}

/** Removes a replaced model: its files by name, then the folder only if nothing else appeared in it. */
async function removeModelFiles(dir: string): Promise<void> {
  for (const f of MODEL_FILES) await rm(join(dir, f), { force: true });
  await rmdir(dir).catch(() => undefined);
}
