/**
 * A dataset's content hash, so that a worker can tell that its copy is the coordinator's: SHA-256 over
 * each file of the dataset (datasetFiles: dataset.json and the files it names), with its name and
 * length. A worker keeps the hash while the files' sizes and modification times stay the same, and
 * reads them again when they change.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { datasetFiles } from '../data/index.js';

const known = new Map<string, { signature: string; hash: string }>();

async function signature(files: string[]): Promise<string> {
  const stats = await Promise.all(files.map((f) => stat(f).then((s) => `${f}:${s.size}:${s.mtimeMs}`, () => `${f}:missing`)));
  return stats.join('\n');
}

export async function datasetContentHash(dir: string): Promise<string> {
  const files = await datasetFiles(dir);
  const now = await signature(files);
  const cached = known.get(dir);
  if (cached?.signature === now) return cached.hash;
  const hash = createHash('sha256');
  const root = dirname(files[0]!);
  for (const file of files) {
    // Names relative to the folder: two copies at different paths hash alike.
    const bytes = await readFile(file);
    hash.update(`${relative(root, file)}\0${bytes.length}\0`);
    hash.update(bytes);
  }
  const digest = hash.digest('hex');
  known.set(dir, { signature: now, hash: digest });
  return digest;
}
