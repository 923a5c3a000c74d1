import * as tf from '@tensorflow/tfjs';

/** Shared by the tests of the convolution gradient kernels (wasm vs cpu, wasm vs native TensorFlow). */
export type Shape4D = [number, number, number, number];

export interface ConvGradientCase {
  name: string;
  /** The forward convolution's input. */
  x: Shape4D;
  filter: Shape4D;
  strides: tf.Conv2DBackpropFilterAttrs['strides'];
  pad: tf.Conv2DBackpropFilterAttrs['pad'];
  dimRoundingMode?: tf.Conv2DBackpropFilterAttrs['dimRoundingMode'];
}

/** The shape of dy: the forward convolution's output. */
export const dyShapeOf = (c: ConvGradientCase) =>
  tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad, c.dimRoundingMode).outShape;

/** Conv2DBackpropFilter: paddings, strides, rectangular filters and inputs, channel counts. */
export const BACKPROP_FILTER_CASES: ConvGradientCase[] = [
  { name: '1×1 valid', x: [2, 5, 5, 3], filter: [1, 1, 3, 4], strides: 1, pad: 'valid' },
  { name: '1×1 stride 2 (kernel < stride)', x: [2, 7, 6, 2], filter: [1, 1, 2, 3], strides: 2, pad: 'valid' },
  { name: '3×3 valid, odd input, batch 1', x: [1, 7, 7, 1], filter: [3, 3, 1, 1], strides: 1, pad: 'valid' },
  { name: '3×3 valid, odd input', x: [2, 7, 7, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'valid' },
  { name: '3×3 same, even input', x: [3, 8, 8, 4], filter: [3, 3, 4, 8], strides: 1, pad: 'same' },
  { name: '3×3 same, stride 2, odd input', x: [2, 9, 9, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { name: '3×3 same, stride 2, even input', x: [2, 10, 10, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { name: '3×3 valid, stride 2, leftover rows', x: [2, 10, 11, 2], filter: [3, 3, 2, 2], strides: 2, pad: 'valid' },
  { name: '5×5 valid', x: [1, 12, 12, 1], filter: [5, 5, 1, 8], strides: 1, pad: 'valid' },
  { name: '5×5 same, stride 2, rectangular', x: [2, 11, 13, 2], filter: [5, 5, 2, 3], strides: 2, pad: 'same' },
  { name: 'strides [2, 1], same', x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: [2, 1], pad: 'same' },
  { name: 'strides [1, 3], valid, 3×2 filter', x: [2, 10, 11, 2], filter: [3, 2, 2, 3], strides: [1, 3], pad: 'valid' },
  { name: '2×4 filter, same (asymmetric pads)', x: [2, 6, 9, 5], filter: [2, 4, 5, 6], strides: 1, pad: 'same' },
  { name: '4×4 stride 3, valid, rectangular', x: [2, 17, 12, 3], filter: [4, 4, 3, 5], strides: 3, pad: 'valid' },
  { name: '2×2 stride 3 (taps never overlap)', x: [1, 8, 8, 1], filter: [2, 2, 1, 2], strides: 3, pad: 'valid' },
  { name: '2×2 stride 3, unread input tail', x: [1, 10, 10, 2], filter: [2, 2, 2, 3], strides: 3, pad: 'valid' },
  { name: 'pad 1, 3×3', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: 1 },
  { name: 'pad 2, 5×5, stride 2', x: [1, 9, 9, 2], filter: [5, 5, 2, 3], strides: 2, pad: 2 },
  {
    name: 'explicit pads, stride 2',
    x: [2, 8, 7, 3],
    filter: [3, 3, 3, 2],
    strides: 2,
    pad: [
      [0, 0],
      [1, 2],
      [0, 3],
      [0, 0],
    ],
  },
  { name: 'filter covers the input', x: [2, 5, 4, 3], filter: [5, 4, 3, 2], strides: 1, pad: 'valid' },
  { name: '9 → 16 channels, same', x: [4, 14, 14, 9], filter: [3, 3, 9, 16], strides: 1, pad: 'same' },
  { name: 'MNIST first layer (1 → 8)', x: [8, 28, 28, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'valid' },
  { name: '16 → 16 channels, 5×5 same', x: [4, 13, 13, 16], filter: [5, 5, 16, 16], strides: 1, pad: 'same' },
];

const explicit = (
  top: number,
  bottom: number,
  left: number,
  right: number,
): Exclude<ConvGradientCase['pad'], string | number> => [
  [0, 0],
  [top, bottom],
  [left, right],
  [0, 0],
];

/** Conv2DBackpropInput: as above, plus pads wider than the filter and unread input tails. */
export const BACKPROP_INPUT_CASES: ConvGradientCase[] = [
  { name: '1×1 valid', x: [2, 5, 5, 3], filter: [1, 1, 3, 4], strides: 1, pad: 'valid' },
  { name: '1×1 stride 2, odd input (unread rows)', x: [2, 7, 6, 2], filter: [1, 1, 2, 3], strides: 2, pad: 'valid' },
  { name: '1×1 stride 3, same', x: [1, 8, 7, 2], filter: [1, 1, 2, 2], strides: 3, pad: 'same' },
  { name: '3×3 valid, one channel, batch 1', x: [1, 7, 7, 1], filter: [3, 3, 1, 1], strides: 1, pad: 'valid' },
  { name: '3×3 valid, odd input', x: [2, 7, 7, 2], filter: [3, 3, 2, 3], strides: 1, pad: 'valid' },
  { name: '3×3 same, even input', x: [3, 8, 8, 4], filter: [3, 3, 4, 8], strides: 1, pad: 'same' },
  { name: '3×3 same, stride 2, odd input', x: [2, 9, 9, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { name: '3×3 same, stride 2, even input', x: [2, 10, 10, 3], filter: [3, 3, 3, 5], strides: 2, pad: 'same' },
  { name: '3×3 valid, stride 2, leftover row/col', x: [2, 10, 11, 2], filter: [3, 3, 2, 2], strides: 2, pad: 'valid' },
  { name: '3×3 valid, stride 3, leftovers', x: [2, 11, 13, 3], filter: [3, 3, 3, 4], strides: 3, pad: 'valid' },
  { name: '3×3 same, stride 3', x: [1, 10, 8, 2], filter: [3, 3, 2, 3], strides: 3, pad: 'same' },
  { name: '4×4 same (even filter), stride 2', x: [2, 9, 10, 2], filter: [4, 4, 2, 3], strides: 2, pad: 'same' },
  { name: '4×4 valid, stride 3, rectangular', x: [2, 17, 12, 3], filter: [4, 4, 3, 5], strides: 3, pad: 'valid' },
  { name: '5×5 valid', x: [1, 12, 12, 1], filter: [5, 5, 1, 8], strides: 1, pad: 'valid' },
  { name: '5×5 same, stride 2, rectangular', x: [2, 11, 13, 2], filter: [5, 5, 2, 3], strides: 2, pad: 'same' },
  { name: '2×2 stride 3 (taps never overlap)', x: [1, 8, 8, 1], filter: [2, 2, 1, 2], strides: 3, pad: 'valid' },
  { name: '2×2 stride 3, unread input tail', x: [1, 10, 10, 2], filter: [2, 2, 2, 3], strides: 3, pad: 'valid' },
  { name: 'strides [2, 1], same', x: [2, 9, 8, 3], filter: [3, 3, 3, 4], strides: [2, 1], pad: 'same' },
  { name: 'strides [1, 2], valid, 2×3 filter', x: [2, 9, 10, 3], filter: [2, 3, 3, 2], strides: [1, 2], pad: 'valid' },
  { name: 'strides [1, 3], valid, 3×2 filter', x: [2, 10, 11, 2], filter: [3, 2, 2, 3], strides: [1, 3], pad: 'valid' },
  { name: 'strides [3, 2], same, 5×2 filter', x: [3, 13, 9, 2], filter: [5, 2, 2, 4], strides: [3, 2], pad: 'same' },
  { name: '2×4 filter, same (asymmetric pads)', x: [2, 6, 9, 5], filter: [2, 4, 5, 6], strides: 1, pad: 'same' },
  { name: '1×5 filter, same, stride [1, 2]', x: [2, 7, 12, 3], filter: [1, 5, 3, 2], strides: [1, 2], pad: 'same' },
  { name: 'pad 1, 3×3', x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: 1 },
  { name: 'pad 2, 5×5, stride 2', x: [1, 9, 9, 2], filter: [5, 5, 2, 3], strides: 2, pad: 2 },
  { name: 'pad 4 wider than the 3×3 filter', x: [2, 6, 7, 2], filter: [3, 3, 2, 3], strides: 1, pad: 4 },
  { name: 'pad 5 wider than the filter, stride 2', x: [1, 7, 8, 2], filter: [3, 2, 2, 3], strides: 2, pad: 5 },
  { name: 'explicit pads, stride 2', x: [2, 8, 7, 3], filter: [3, 3, 3, 2], strides: 2, pad: explicit(1, 2, 0, 3) },
  {
    name: 'explicit pads, stride [3, 1]',
    x: [1, 11, 6, 2],
    filter: [4, 3, 2, 3],
    strides: [3, 1],
    pad: explicit(2, 0, 0, 1),
  },
  {
    name: 'explicit pads wider than the filter',
    x: [2, 5, 6, 2],
    filter: [2, 3, 2, 2],
    strides: 1,
    pad: explicit(3, 4, 4, 0),
  },
  { name: 'filter covers the input', x: [2, 5, 4, 3], filter: [5, 4, 3, 2], strides: 1, pad: 'valid' },
  { name: '9 → 16 channels, same', x: [4, 14, 14, 9], filter: [3, 3, 9, 16], strides: 1, pad: 'same' },
  { name: '16 → 1 channel, stride 2, same', x: [3, 12, 12, 16], filter: [3, 3, 16, 1], strides: 2, pad: 'same' },
  { name: '16 → 16 channels, 5×5 same', x: [4, 13, 13, 16], filter: [5, 5, 16, 16], strides: 1, pad: 'same' },
  { name: 'batch 8, MNIST-shaped 1 → 8 channels', x: [8, 28, 28, 1], filter: [3, 3, 1, 8], strides: 1, pad: 'valid' },
  { name: 'batch 5, 14×14, 8 → 16, stride 2', x: [5, 14, 14, 8], filter: [3, 3, 8, 16], strides: 2, pad: 'valid' },
];
