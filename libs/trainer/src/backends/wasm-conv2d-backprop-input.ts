import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { NO_PAD, WASM_BACKEND, wasmKernelCalls } from './wasm-kernel-calls';


/** How one spatial axis of dx is produced by the stride-1 convolution over dy (see conv2DBackpropInput). */
interface AxisPlan {
  /** Sub-filter length ⌈f / s⌉: the taps of one stride phase. */
  taps: number;
  /** Zero padding of dy before and after, as the convolution's own (explicit) padding. */
  before: number;
  after: number;
  /** Convolution outputs along the axis; each expands to `stride` positions of the padded input. */
  cells: number;
  /** Where dx starts in the expanded axis (its padded coordinate minus stride × the first cell). */
  crop: number;
}

/**
 * Padded-input position R = s·u + a (phase a < s) receives Σ_k dy[u − k] · f[a + s·k] over the taps with
 * a + s·k < f. With T = ⌈f/s⌉ taps per phase, flipped and zero-filled to a common length, that is a stride-1
 * correlation of dy, padded by T − 1 − u₀ in front, whose output t is cell u = u₀ + t. Cells cover dx's span
 * [pad, pad + size) of padded positions; dy rows past it would need a negative padding, so cells grow to use
 * them all (the surplus is cropped, as is everything before `pad` when the pad exceeds the filter).
 */
function planAxis(size: number, dySize: number, filterSize: number, stride: number, pad: number): AxisPlan {
  const taps = Math.ceil(filterSize / stride);
  const first = Math.floor(pad / stride);
  const last = Math.floor((pad + size - 1) / stride);
  const before = Math.max(0, taps - 1 - first);
  const start = taps - 1 - before; // = first, unless the pad is wider than the filter
  const cells = Math.max(last - start + 1, dySize + before - taps + 1);
  return { taps, before, after: cells + taps - 1 - before - dySize, cells, crop: pad - stride * start };
}

/** The package's own kernel: still used for NCHW, which the wasm Conv2D cannot run. Set on registration. */
let original: tf.KernelConfig | undefined;

/**
 * dx as ONE forward convolution through the wasm backend's XNNPACK Conv2D, rather than the package's scalar loop.
 * Each output stride phase (a, b) is a stride-1 correlation of the undilated dy with a flipped sub-filter (see
 * planAxis), so all sh·sw phases become the output channels of a single convolution with a [T_h, T_w, co,
 * sh·sw·ci] filter: no zeros are inserted into dy and no multiply hits a hole. The phases are then interleaved
 * by one Transpose (none for stride 1, nor for a stride along the width only) and cropped to the input shape.
 */
function conv2DBackpropInput(args: Parameters<tf.KernelFunc>[0]): tf.TensorInfo | tf.TensorInfo[] {
  const { inputs, backend: kernelBackend, attrs } = args;
  const backend = kernelBackend as BackendWasm;
  const { dy, filter } = inputs;
  if (!dy || !filter) throw new Error('Conv2DBackpropInput needs inputs dy and filter');
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
  if (dataFormat !== 'NHWC') {
    if (!original) throw new Error(`Conv2DBackpropInput on the wasm backend supports dataFormat 'NHWC' only`);
    return original.kernelFunc(args);
  }
  if (dy.dtype !== 'float32' || filter.dtype !== 'float32') {
    throw new Error(
      `Conv2DBackpropInput on the wasm backend needs float32 dy and filter, got ${dy.dtype} and ${filter.dtype}`,
    );
  }
  // No dilations attribute: tfjs only differentiates undilated convolutions (the cpu kernel too).
  const info = tf.backend_util.computeConv2DInfo(
    inputShape,
    filter.shape as [number, number, number, number],
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  tf.util.assert(
    tf.util.arraysEqual(dy.shape, info.outShape),
    () => `Conv2DBackpropInput: dy shape [${dy.shape}] does not match the convolution output [${info.outShape}]`,
  );
  const { batchSize: n, inHeight, inWidth, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, padInfo } = info;
  const rows = planAxis(inHeight, oh, fh, sh, padInfo.top);
  const cols = planAxis(inWidth, ow, fw, sw, padInfo.left);
  const phases = sh * sw;
  const outShape = [n, inHeight, inWidth, ci];
  if (tf.util.sizeFromShape(outShape) === 0 || tf.util.sizeFromShape(dy.shape) === 0) {
    // Nothing to convolve (XNNPACK rejects empty operands): an empty batch, or a dy no input position reaches.
    const fill = tf.getKernel('Fill', WASM_BACKEND) as tf.KernelConfig;
    return fill.kernelFunc({ inputs: {}, backend, attrs: { shape: outShape, value: 0, dtype: 'float32' } });
  }

  const { call, run, reshape, release } = wasmKernelCalls(backend);
  try {
    // g[k, l, o, (a, b, c)] = f[a + sh·(T_h−1−k), b + sw·(T_w−1−l), c, o], zero past the filter: pad f to whole
    // phases, split each axis into (tap, phase), flip the taps and move o in front of the phases. All on a tensor
    // of the filter's size, so a rank-6 transpose costs nothing here.
    const [tapsH, tapsW] = [rows.taps, cols.taps];
    const extraH = tapsH * sh - fh;
    const extraW = tapsW * sw - fw;
    const whole =
      extraH || extraW
        ? run('PadV2', { x: filter }, { paddings: [[0, extraH], [0, extraW], NO_PAD, NO_PAD], constantValue: 0 })
        : filter;
    const split = reshape(whole, [tapsH, sh, tapsW, sw, ci, co]);
    const flipped = run('Reverse', { x: split }, { dims: [0, 2] });
    const g = run('Transpose', { x: flipped }, { perm: [0, 2, 5, 1, 3, 4] });
    const convFilter = reshape(g, [tapsH, tapsW, co, phases * ci]);

    // Explicit padding, so XNNPACK pads dy itself (no padded copy) and 'SAME' never reaches its TF-style flag.
    const cells = run(
      'Conv2D',
      { x: dy, filter: convFilter },
      {
        strides: 1,
        pad: [NO_PAD, [rows.before, rows.after], [cols.before, cols.after], NO_PAD],
        dataFormat: 'NHWC',
        dilations: 1,
      },
    );
    // [n·cellsH, cellsW, sh, sw·ci] → [n·cellsH, sh, cellsW, sw·ci] is [n, cellsH·sh, cellsW·sw, ci]. For sh = 1
    // the width phases already sit where they belong.
    const height = rows.cells * sh;
    const width = cols.cells * sw;
    const interleaved =
      sh > 1
        ? run('Transpose', { x: reshape(cells, [n * rows.cells, cols.cells, sh, sw * ci]) }, { perm: [0, 2, 1, 3] })
        : cells;
    if (rows.crop === 0 && cols.crop === 0 && height === inHeight && width === inWidth) {
      // Not owned: the reshape holds its own reference to the data.
      return call('Reshape', { x: interleaved }, { shape: outShape });
    }
    // The crop is one contiguous run of inWidth·ci values per (batch, row). The wasm Slice kernel would first
    // copy the whole tensor out of the heap (readSync); views are taken after makeOutput, as growth detaches them.
    const dx = backend.makeOutput(outShape, 'float32');
    const src = backend.typedArrayFromHeap(interleaved);
    const dst = backend.typedArrayFromHeap(dx);
    const span = inWidth * ci;
    let to = 0;
    for (let b = 0; b < n; b++) {
      let from = ((b * height + rows.crop) * width + cols.crop) * ci;
      for (let r = 0; r < inHeight; r++, from += width * ci, to += span) {
        dst.set(src.subarray(from, from + span), to);
      }
    }
    return dx;
  } finally {
    release();
  }
}

/**
 * Replaces the 'wasm' backend's Conv2DBackpropInput (the gradient of conv2d with respect to its input) with the
 * XNNPACK-backed one above (idempotent). Call after importing @tensorflow/tfjs-backend-wasm, which registers the
 * kernel being replaced; before or after tf.setBackend('wasm') alike.
 */
export function registerWasmConv2DBackpropInput(): void {
  const current = tf.getKernel(tf.Conv2DBackpropInput, WASM_BACKEND) as tf.KernelConfig | undefined;
  if (current?.kernelFunc === conv2DBackpropInput) return;
  if (!current) {
    throw new Error('registerWasmConv2DBackpropInput: import @tensorflow/tfjs-backend-wasm first');
  }
  original = current;
  // registerKernel only warns on a duplicate, but unregistering first keeps the log clean. The package's setupFunc
  // (its cwrap) is kept: a backend initialised after this still prepares the kernel NCHW falls back to.
  tf.unregisterKernel(tf.Conv2DBackpropInput, WASM_BACKEND);
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropInput,
    backendName: WASM_BACKEND,
    setupFunc: current.setupFunc,
    disposeFunc: current.disposeFunc,
    kernelFunc: conv2DBackpropInput,
  });
}
