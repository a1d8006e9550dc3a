/**
 * What the model sees of a handwritten avdigits digit: MNIST's preprocessing (the ink's bounding box
 * scaled to fit 20x20 with its aspect kept, centred by centre of mass in 28x28), then the 2x2 block
 * average the dataset build applies to MNIST (scripts/avdigits/mnist.ts calls `downsample2x2`).
 * Pure and browser-safe: the page passes the canvas's ink as numbers.
 */

/** 2x2 block means of a rows x cols uint8 image, rounded half up: the avdigits image view. */
export function downsample2x2(pixels: ArrayLike<number>, rows: number, cols: number, offset = 0): Uint8Array {
  const outRows = rows >> 1;
  const outCols = cols >> 1;
  const out = new Uint8Array(outRows * outCols);
  for (let r = 0; r < outRows; r++) {
    for (let c = 0; c < outCols; c++) {
      const p = offset + 2 * r * cols + 2 * c;
      const sum = pixels[p]! + pixels[p + 1]! + pixels[p + cols]! + pixels[p + cols + 1]!;
      out[r * outCols + c] = (sum + 2) >> 2;
    }
  }
  return out;
}

/** Samples per target pixel along each axis when shrinking the drawing (area averaging). */
const SUPERSAMPLE = 4;

/**
 * A drawing as an MNIST image (28x28, 0 = background, 255 = ink). `ink` is width x height, row-major,
 * values 0..1. An empty drawing gives a blank image.
 */
export function inkToMnist(ink: ArrayLike<number>, width: number, height: number): Uint8Array {
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! > 0.01) [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
    }
  }
  const out = new Uint8Array(28 * 28);
  if (x1 < 0) return out;
  const scale = 20 / Math.max(x1 - x0 + 1, y1 - y0 + 1);
  const boxW = Math.max(1, Math.round((x1 - x0 + 1) * scale));
  const boxH = Math.max(1, Math.round((y1 - y0 + 1) * scale));
  const box = new Float64Array(boxW * boxH);
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let by = 0; by < boxH; by++) {
    for (let bx = 0; bx < boxW; bx++) {
      let sum = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy++) {
        for (let sx = 0; sx < SUPERSAMPLE; sx++) {
          const x = Math.min(x1, Math.floor(x0 + (bx + (sx + 0.5) / SUPERSAMPLE) / scale));
          const y = Math.min(y1, Math.floor(y0 + (by + (sy + 0.5) / SUPERSAMPLE) / scale));
          sum += ink[y * width + x]!;
        }
      }
      const v = sum / (SUPERSAMPLE * SUPERSAMPLE);
      box[by * boxW + bx] = v;
      mass += v;
      mx += v * (bx + 0.5);
      my += v * (by + 0.5);
    }
  }
  // Place the box so that its centre of mass lands on the image centre (14, 14).
  const left = Math.round(14 - mx / mass);
  const top = Math.round(14 - my / mass);
  for (let by = 0; by < boxH; by++) {
    for (let bx = 0; bx < boxW; bx++) {
      const x = left + bx;
      const y = top + by;
      if (x >= 0 && x < 28 && y >= 0 && y < 28) out[y * 28 + x] = Math.min(255, Math.round(255 * box[by * boxW + bx]!));
    }
  }
  return out;
}

/** A drawing as the model's image input: 14x14 uint8, like every avdigits image. */
export function inkToDigit(ink: ArrayLike<number>, width: number, height: number): Uint8Array {
  return downsample2x2(inkToMnist(ink, width, height), 28, 28);
}
