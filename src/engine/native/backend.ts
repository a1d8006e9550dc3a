/**
 * The 'native' tfjs backend: tensors live in libtorch memory, in the addon's table;
 * tfjs holds a Slot (native id + reference count) per data id. Kernels (./kernels) are
 * thin calls into the addon; this class is the storage they share.
 */
import { DataStorage, KernelBackend, backend, engine, getBackend, type BackendTimingInfo, type DataId, type DataType, type TensorInfo } from '@tensorflow/tfjs-core';
import type { NativeAddon } from './addon.js';
import { DTYPE_CODE, DTYPE_OF_CODE } from './codes.js';

/** A native tensor as tfjs sees it. For tensors made here the slot is its own data id. */
interface Slot {
  id: number;
  refCount: number;
}

type Values = Float32Array | Int32Array | Uint8Array;

export class NativeBackend extends KernelBackend {
  /** Tensor storage keyed by data id; a miss moves the data from its backend (DataStorage). */
  private readonly slots = new DataStorage<Slot>(this, engine());

  constructor(
    readonly addon: NativeAddon,
    /** Integer lists to and from the addon (see native/src/common.h). */
    readonly io: Float64Array,
  ) {
    super();
  }

  /** The native id behind a kernel input. */
  id(t: TensorInfo): number {
    return this.slots.get(t.dataId).id;
  }

  /** Wraps a native result: its dtype and shape are in io from `at` ([dtype, rank, dims...]). */
  output(id: number, at = 0): TensorInfo {
    const io = this.io;
    const rank = io[at + 1]!;
    const shape = new Array<number>(rank);
    for (let d = 0; d < rank; d++) shape[d] = io[at + 2 + d]!;
    const slot: Slot = { id, refCount: 1 };
    this.slots.set(slot, slot);
    return { dataId: slot, shape, dtype: DTYPE_OF_CODE[io[at]!]! };
  }

  /** Wraps a native result whose dtype and shape the caller knows. */
  adopt(id: number, shape: number[], dtype: DataType): TensorInfo {
    const slot: Slot = { id, refCount: 1 };
    this.slots.set(slot, slot);
    return { dataId: slot, shape, dtype };
  }

  /** Wraps the `n` results of a multi-output call ([n, (id, dtype, rank, dims...)...] in io). */
  outputs(n: number): TensorInfo[] {
    const out: TensorInfo[] = [];
    let at = 1;
    for (let i = 0; i < n; i++) {
      const info = this.output(this.io[at]!, at + 1);
      out.push(info);
      at += 3 + info.shape.length;
    }
    return out;
  }

  /** The same data under another tensor (identity, same-shape reshape, same-dtype cast). */
  share(t: TensorInfo): TensorInfo {
    this.incRef(t.dataId);
    return { dataId: t.dataId, shape: t.shape, dtype: t.dtype };
  }

  /** Writes `values` to io from 0; returns their count. */
  ints(values: readonly number[]): number {
    // TypedArray.set's own RangeError ("offset is out of bounds") would not say what was too long.
    if (values.length > this.io.length) throw new Error(`native backend: ${values.length} ids or sizes in one call (concat or addN of that many tensors?); at most ${this.io.length}`);
    this.io.set(values);
    return values.length;
  }

  private store(values: Values, shape: number[], dtype: DataType): number {
    if (!(dtype in DTYPE_CODE)) throw new Error(`native backend: ${dtype} tensors are not supported`);
    return this.addon.write(values, DTYPE_CODE[dtype as keyof typeof DTYPE_CODE], this.ints(shape));
  }

  override write(values: Values, shape: number[], dtype: DataType): DataId {
    const slot: Slot = { id: this.store(values, shape, dtype), refCount: 1 };
    this.slots.set(slot, slot);
    return slot;
  }

  override move(dataId: DataId, values: Values, shape: number[], dtype: DataType, refCount: number): void {
    this.slots.set(dataId, { id: this.store(values, shape, dtype), refCount });
  }

  override readSync(dataId: DataId): Values {
    return this.addon.read(this.slots.get(dataId).id);
  }

  override async read(dataId: DataId): Promise<Values> {
    return this.readSync(dataId);
  }

  /**
   * Data still on another backend has that backend's count (tfjs moves it with the data):
   * answering 0 there would let the fused optimizer write into memory another tensor shares.
   */
  override refCount(dataId: DataId): number {
    if (this.slots.has(dataId)) return this.slots.get(dataId).refCount;
    const owner = engine().state.tensorInfo.get(dataId)?.backend;
    return owner !== undefined && owner !== this ? owner.refCount(dataId) : 0;
  }

  override incRef(dataId: DataId): void {
    this.slots.get(dataId).refCount++;
  }

  override disposeData(dataId: DataId, force = false): boolean {
    if (!this.slots.has(dataId)) return true;
    const slot = this.slots.get(dataId);
    slot.refCount--;
    if (!force && slot.refCount > 0) return false;
    this.addon.free(slot.id);
    this.slots.delete(dataId);
    return true;
  }

  override numDataIds(): number {
    return this.slots.numDataIds();
  }

  override memory(): { unreliable: boolean; reasons: string[] } {
    return { unreliable: true, reasons: ['tensor memory is held by libtorch; tfjs counts the bytes of live tensors'] };
  }

  override timerAvailable(): boolean {
    return true;
  }

  override async time(f: () => void): Promise<BackendTimingInfo> {
    const start = performance.now();
    f();
    return { kernelMs: performance.now() - start };
  }

  override floatPrecision(): 32 {
    return 32;
  }

  override dispose(): void {
    this.addon.freeAll();
  }
}

/** The active backend, which `user` (named in the error) needs to be the native one. */
export function activeNativeBackend(user: string): NativeBackend {
  const b = backend();
  if (!(b instanceof NativeBackend)) throw new Error(`${user}: the active backend is '${getBackend()}', not 'native'`);
  return b;
}
