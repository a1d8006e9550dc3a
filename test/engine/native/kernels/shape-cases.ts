/** Op-level cases for the shape, indexing and construction kernels. */
import * as tf from '@tensorflow/tfjs-core';
import { bools, floats, ints, withGrads, type OpCase } from '../helpers.js';

const X = floats([2, 3, 4], 51);

export const shapeCases: readonly OpCase[] = [
  { kernels: [tf.Reshape], name: 'views, -1, same shape; gradients', inputs: [X],
    fn: withGrads((x) => tf.add(tf.reshape(x!, [6, -1]), tf.reshape(tf.reshape(x!, [2, 3, 4]), [6, 4]))) },
  { kernels: [tf.Reshape], name: 'int32 and bool, to and from scalars', inputs: [ints([1], [7]), bools([2, 2], [1, 0, 0, 1])],
    fn: (i, b) => [tf.reshape(i!, []), tf.reshape(tf.reshape(i!, []), [1, 1]), tf.reshape(b!, [4])] },
  { kernels: [tf.Transpose], name: 'permutations and gradients', inputs: [X], fn: withGrads((x) => tf.transpose(x!, [2, 0, 1])) },
  { kernels: [tf.Transpose], name: 'default reverse order, int32', inputs: [ints([2, 3], [1, 2, 3, 4, 5, 6])], fn: (i) => tf.transpose(i!) },
  { kernels: [tf.Slice], name: 'begin/size with -1, gradients', inputs: [X], fn: withGrads((x) => tf.slice(x!, [1, 0, 1], [-1, 2, 2])) },
  { kernels: [tf.Slice], name: '1-D and int32', inputs: [ints([5], [1, 2, 3, 4, 5])], fn: (i) => [tf.slice(i!, 1, 3), tf.slice(i!, [0], [0])] },
  { kernels: [tf.Concat, tf.SplitV], name: 'axes 0 and 1 with gradients (split)', inputs: [floats([2, 3], 52), floats([2, 5], 53), floats([1, 3], 54)],
    fn: withGrads((a, b, c) => tf.add(tf.sum(tf.concat([a!, b!], 1)), tf.sum(tf.concat([a!, c!], 0)))) },
  { kernels: [tf.Concat], name: 'int32, bool, and an empty part', inputs: [ints([2], [1, 2]), ints([1], [3]), bools([1], [1]), bools([2], [0, 1]), floats([0, 2], 55), floats([2, 2], 56)],
    fn: (a, b, c, d, e, f) => [tf.concat([a!, b!]), tf.concat([c!, d!]), tf.concat([e!, f!], 0)] },
  { kernels: [tf.SplitV], name: 'even and sized splits, negative axis', inputs: [floats([4, 6], 57)],
    fn: (x) => [...tf.split(x!, 3, 1), ...tf.split(x!, [1, -1, 1], -2)] },
  { kernels: [tf.Pack, tf.Unpack], name: 'stack and unstack, gradients', inputs: [floats([2, 3], 58), floats([2, 3], 59)],
    fn: withGrads((a, b) => tf.add(tf.stack([a!, b!], 1), tf.stack(tf.unstack(tf.stack([b!, a!], 1), 1), 1))) },
  { kernels: [tf.Pack], name: 'negative axis, int32', inputs: [ints([2], [1, 2]), ints([2], [3, 4])], fn: (a, b) => tf.stack([a!, b!], -1) },
  { kernels: [tf.Tile], name: 'values and gradients', inputs: [floats([2, 3], 60)], fn: withGrads((x) => tf.tile(x!, [2, 3])) },
  { kernels: [tf.PadV2], name: 'uneven pads, a constant, gradients', inputs: [floats([2, 3], 61)], fn: withGrads((x) => tf.pad(x!, [[1, 0], [2, 3]], 0.5)) },
  { kernels: [tf.Reverse], name: 'one and two axes, gradients', inputs: [X], fn: withGrads((x) => tf.add(tf.reverse(x!, 1), tf.reverse(x!, [0, 2]))) },
  { kernels: [tf.GatherV2, tf.UnsortedSegmentSum], name: 'rows with repeats, and the gradient', inputs: [floats([5, 3], 62), ints([4], [4, 0, 4, 2])],
    fn: (x, i) => withGrads((p) => tf.gather(p!, i!))(x!) },
  { kernels: [tf.GatherV2], name: 'axis 1, 2-D indices, int32 params', inputs: [floats([2, 5, 3], 63), ints([2, 2], [1, 4, 0, 0]), ints([2, 3], [1, 2, 3, 4, 5, 6])],
    fn: (x, i, p) => [tf.gather(x!, i!, 1), tf.gather(p!, tf.tensor1d([2, 0], 'int32'), 1)] },
  { kernels: [tf.OneHot], name: 'depths, values, dtypes, an index out of range', inputs: [ints([5], [0, 2, 1, 3, -1])],
    fn: (i) => [tf.oneHot(i!, 3), tf.oneHot(i!, 4, 5, -1, 'float32')] },
  { kernels: [tf.Fill], name: 'float32 and int32', inputs: [], fn: () => [tf.fill([2, 3], 1.5), tf.fill([4], 7, 'int32'), tf.fill([0, 2], 3)] },
  { kernels: [tf.Range], name: 'up, down, fractional and empty', inputs: [],
    fn: () => [tf.range(0, 5), tf.range(5, 0, -2), tf.range(0, 1, 0.3), tf.range(2, 9, 3, 'int32'), tf.range(3, 3)] },
  { kernels: [tf.UnsortedSegmentSum], name: 'segments with gaps and rows', inputs: [floats([6, 2], 64), ints([6], [2, 0, 2, 3, 0, 2])],
    fn: (x, s) => tf.unsortedSegmentSum(x!, s as tf.Tensor1D, 5) },
];
