/**
 * A RunState on disk: one file, so that one rename replaces it whole (writeFileAtomic: a crash at any
 * instant leaves the old checkpoint or the new one). Layout: a magic line, the JSON of everything but
 * the tensors, then the tensors' float32 values, exact (JSON numbers would be larger and slower).
 */
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../io/atomic.js';
import { errno, fsReason } from '../io/file-error.js';
import { CheckpointError, type RunState } from './checkpoint.js';
import type { SavedTensor } from './optimizer.js';

const MAGIC = 'gblend-checkpoint 1\n';

type Shapes = { model: number[][]; slots: number[][] };

export function encodeRunState(state: RunState): Uint8Array {
  const { model, optimizer, ...rest } = state;
  const shapes: Shapes = { model: model.map((t) => t.shape), slots: optimizer.slots.map((t) => t.shape) };
  const header = new TextEncoder().encode(`${MAGIC}${JSON.stringify({ ...rest, scalars: optimizer.scalars, shapes })}\n`);
  const tensors = [...model, ...optimizer.slots];
  // Float32 data starts on a 4-byte boundary so that it can be read in place.
  const start = Math.ceil(header.length / 4) * 4;
  const bytes = new Uint8Array(start + 4 * tensors.reduce((n, t) => n + t.values.length, 0));
  bytes.set(header);
  bytes.fill(0x20, header.length, start);
  let at = start;
  for (const t of tensors) {
    bytes.set(new Uint8Array(t.values.buffer, t.values.byteOffset, t.values.byteLength), at);
    at += t.values.byteLength;
  }
  return bytes;
}

export function decodeRunState(bytes: Uint8Array, where: string): RunState {
  const damaged = (): CheckpointError => new CheckpointError(`${where}: not a gblend checkpoint or damaged; delete it to start the run over`);
  const end = bytes.indexOf(0x0a, MAGIC.length);
  if (new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC || end < 0) throw damaged();
  let head: Omit<RunState, 'model' | 'optimizer'> & { scalars: number[]; shapes: Shapes };
  try {
    head = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length, end)));
  } catch {
    throw damaged();
  }
  const { scalars, shapes, ...rest } = head;
  if (rest.version !== 1 || !Array.isArray(scalars) || !Array.isArray(shapes?.model) || !Array.isArray(shapes?.slots)) throw damaged();
  let at = Math.ceil((end + 1) / 4) * 4;
  // A copy, aligned at 0: a Buffer from readFile is a view into a shared pool at any offset (and
  // Buffer#slice does not copy), so Float32Array views over its buffer would read the wrong bytes.
  const data = new Uint8Array(bytes.subarray(at));
  at = 0;
  const take = (shape: number[]): SavedTensor => {
    const n = shape.reduce((a, b) => a * b, 1);
    if (!Number.isInteger(n) || at + 4 * n > data.length) throw damaged();
    const values = new Float32Array(data.buffer, at, n);
    at += 4 * n;
    return { shape, values };
  };
  const model = shapes.model.map(take);
  const slots = shapes.slots.map(take);
  if (at !== data.length) throw damaged();
  return { ...rest, model, optimizer: { scalars, slots } };
}

export async function writeCheckpoint(file: string, state: RunState): Promise<void> {
  await writeFileAtomic(file, encodeRunState(state), 'the checkpoint');
}

/** The checkpoint at `file`, or null when there is none. */
export async function readCheckpoint(file: string): Promise<RunState | null> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (e) {
    if (errno(e) === 'ENOENT') return null;
    throw new CheckpointError(`${file}: cannot read the checkpoint: ${fsReason(e)}`);
  }
  return decodeRunState(bytes, file);
}
