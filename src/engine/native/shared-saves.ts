/**
 * Tensors saved for the backward pass, as shares instead of Identity ops (issue 13). While a gradient
 * is recorded, tfjs' engine keeps a copy of every tensor a gradient function will need, through
 * `engine.clone`: a full Identity op (kernel lookup, the kernel-run bookkeeping) and a tape node.
 * On the native backend Identity only shares the memory, so a step of a small model paid about 63
 * engine ops (about 11% of its instructions, docs/small-models.md) for nothing but reference counts.
 * This makes the same share directly: the backend's reference count, and a tensor the engine tracks.
 *
 * The tape node of tfjs' clone matters only to a gradient of a gradient (it links the copy to the
 * original for the outer pass), so while gradients are nested (gradientDepth > 1) tfjs' clone runs,
 * as it does on every other backend.
 */
import { engine, type Tensor } from '@tensorflow/tfjs-core';

/** What this needs of the engine: members tfjs' declarations keep private. */
interface EngineSaves {
  backendName: string;
  backend: { incRef(dataId: object): void };
  state: { gradientDepth: number };
  clone(x: Tensor): Tensor;
  makeTensorFromTensorInfo(info: { dataId: object; shape: number[]; dtype: Tensor['dtype'] }): Tensor;
}

let installed = false;

/** Replaces the engine's clone for saved tensors while `backendName` is active (once; other backends keep tfjs' clone). */
export function shareSavedTensors(backendName: string): void {
  if (installed) return;
  installed = true;
  const e = engine() as unknown as EngineSaves;
  const tfjsClone = e.clone.bind(e);
  e.clone = (x: Tensor): Tensor => {
    if (e.backendName !== backendName || e.state.gradientDepth > 1) return tfjsClone(x);
    e.backend.incRef(x.dataId);
    return e.makeTensorFromTensorInfo({ dataId: x.dataId, shape: x.shape, dtype: x.dtype });
  };
}
