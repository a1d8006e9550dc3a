/** Picking the MNIST half of the dataset: per class, distinct images drawn at random. */
import { BuildError } from './errors.js';
import { downsample2x2, type IdxImages } from './mnist.js';
import { shuffle, type Rng } from './rng.js';

/** For each digit 0..9, `perClass` distinct 14x14 images from `images`, in random order. */
export function pickImages(images: IdxImages, labels: Uint8Array, perClass: number, rng: Rng): Uint8Array[][] {
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  labels.forEach((label, i) => byClass[label]!.push(i));
  return byClass.map((indices, digit) => {
    if (indices.length < perClass) {
      throw new BuildError('NOT_ENOUGH_DIGITS', `MNIST has ${indices.length} images of ${digit}, ${perClass} asked for`);
    }
    return shuffle(rng, indices).slice(0, perClass).map((i) => downsample2x2(images, i));
  });
}
