/**
 * Geometry of an NHWC 2-D convolution (dilation 1) and the two data movements that
 * turn its gradients into matrix products:
 *   dFilter [K, O] = colsT [K, P] · dy [P, O]
 *   dCols   [P, K] = dy [P, O] · filterT [O, K], then scattered back into dx
 * with P = batch·outH·outW positions and K = filterH·filterW·inC taps, ordered like
 * the filter's [filterH, filterW, inC, outC] layout.
 *
 * The functions here are pure (they only write their output arrays), so they are
 * tested directly against naive loops.
 */
import { backend_util } from '@tensorflow/tfjs-core';

export type ConvPad = 'valid' | 'same' | number | backend_util.ExplicitPadding;

export interface ConvGeometry {
  batch: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  filterH: number;
  filterW: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padLeft: number;
}

/** Shapes and offsets of a conv2d with dilation 1, using tfjs' own padding rules. */
export function convGeometry(
  inShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: ConvPad,
  dimRoundingMode?: 'floor' | 'round' | 'ceil',
): ConvGeometry {
  const info = backend_util.computeConv2DInfo(inShape, filterShape, strides, 1, pad, dimRoundingMode, false, 'channelsLast');
  return {
    batch: info.batchSize,
    inH: info.inHeight,
    inW: info.inWidth,
    inC: info.inChannels,
    outH: info.outHeight,
    outW: info.outWidth,
    outC: info.outChannels,
    filterH: info.filterHeight,
    filterW: info.filterWidth,
    strideH: info.strideHeight,
    strideW: info.strideWidth,
    padTop: info.padInfo.top,
    padLeft: info.padInfo.left,
  };
}

/** Number of filter taps K = filterH·filterW·inC. */
export function tapCount(g: ConvGeometry): number {
  return g.filterH * g.filterW * g.inC;
}

/** Positions handled together by im2colTransposed: a [block, inC] tile of x stays in L1. */
const IM2COL_BLOCK = 64;

/**
 * Fills `out` ([K, P] row-major, P = (n1−n0)·outH·outW) with the input patches of
 * images n0..n1−1 of `x` (NHWC), zero where a tap falls in the padding.
 *
 * Works in blocks of positions: it reads each position's contiguous run of inC
 * channels once and writes inC short row segments, a small transpose per block
 * (reading x one channel at a time over all positions was 2x slower).
 */
export function im2colTransposed(x: Float32Array, g: ConvGeometry, n0: number, n1: number, out: Float32Array): void {
  const { inH, inW, inC, outH, outW, filterH, filterW, strideH, strideW, padTop, padLeft } = g;
  const positions = (n1 - n0) * outH * outW;
  const offsets = new Int32Array(IM2COL_BLOCK);
  for (let kh = 0; kh < filterH; kh++) {
    for (let kw = 0; kw < filterW; kw++) {
      const tapRow = (kh * filterW + kw) * inC;
      // (n, oh, ow) of the block's first position, advanced as positions are visited.
      let n = n0;
      let oh = 0;
      let ow = 0;
      for (let p0 = 0; p0 < positions; p0 += IM2COL_BLOCK) {
        const count = Math.min(IM2COL_BLOCK, positions - p0);
        for (let j = 0; j < count; j++) {
          const ih = oh * strideH + kh - padTop;
          const iw = ow * strideW + kw - padLeft;
          offsets[j] = ih >= 0 && ih < inH && iw >= 0 && iw < inW ? ((n * inH + ih) * inW + iw) * inC : -1;
          if (++ow === outW) {
            ow = 0;
            if (++oh === outH) {
              oh = 0;
              n++;
            }
          }
        }
        for (let c = 0; c < inC; c++) {
          const at = (tapRow + c) * positions + p0;
          for (let j = 0; j < count; j++) {
            const off = offsets[j] as number;
            out[at + j] = off < 0 ? 0 : (x[off + c] as number);
          }
        }
      }
    }
  }
}

/**
 * Adds the patch gradients `cols` ([P, K] row-major for images n0..n1−1) into `dx`
 * (NHWC, the whole batch): the adjoint of im2col.
 */
export function col2imAdd(cols: Float32Array, g: ConvGeometry, n0: number, n1: number, dx: Float32Array): void {
  const { inH, inW, inC, outH, outW, filterH, filterW, strideH, strideW, padTop, padLeft } = g;
  const taps = tapCount(g);
  let p = 0;
  for (let n = n0; n < n1; n++) {
    for (let oh = 0; oh < outH; oh++) {
      for (let ow = 0; ow < outW; ow++, p++) {
        const colBase = p * taps;
        for (let kh = 0; kh < filterH; kh++) {
          const ih = oh * strideH + kh - padTop;
          if (ih < 0 || ih >= inH) continue;
          for (let kw = 0; kw < filterW; kw++) {
            const iw = ow * strideW + kw - padLeft;
            if (iw < 0 || iw >= inW) continue;
            const d = ((n * inH + ih) * inW + iw) * inC;
            const s = colBase + (kh * filterW + kw) * inC;
            for (let c = 0; c < inC; c++) dx[d + c] += cols[s + c] as number;
          }
        }
      }
    }
  }
}

/**
 * Largest patch matrix built at once, in floats (16 MiB): bounds memory for big
 * batches. Smaller chunks measured slower (more calls, more repacking by XNNPACK).
 */
export const MAX_PATCH_FLOATS = 1 << 22;

/** Images per chunk so that one chunk's patch matrix stays under `maxFloats` (at least one image). */
export function imagesPerChunk(g: ConvGeometry, maxFloats: number): number {
  const perImage = g.outH * g.outW * tapCount(g);
  return Math.max(1, Math.min(g.batch, Math.floor(maxFloats / Math.max(1, perImage))));
}
