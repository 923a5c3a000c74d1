import * as tf from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { NO_PAD, WASM_BACKEND, wasmKernelCalls } from './wasm-kernel-calls';


/**
 * dW[i, j, c, o] = Σ_{n, y, x} xPadded[n, y·sh + i, x·sw + j, c] · dy[n, y, x, o], computed as ONE matmul
 * colsᵀ [fh·fw·ci, rows] × dy [rows, co], so the work lands in XNNPACK's SIMD GEMM. The wasm BatchMatMul only
 * reaches XNNPACK for batch 1 without transposes, hence colsᵀ is built already transposed.
 *
 * To make every patch a contiguous run, the padded input is split into sh×sw stride phases laid out
 * [sh, sw, ci, n, rowsQ, colsQ]: tap (i, j) reads phase (i % sh, j % sw) from (⌊i/sh⌋, ⌊j/sw⌋) with stride 1,
 * so its window over all output positions is one flat run of oh·colsQ values per (c, n). That run also spans
 * colsQ − ow columns past each output row; dy is zero-padded to colsQ columns so they contribute nothing.
 */
function conv2DBackpropFilter({ inputs, backend: kernelBackend, attrs }: Parameters<tf.KernelFunc>[0]): tf.TensorInfo {
  const backend = kernelBackend as BackendWasm;
  const { x, dy } = inputs;
  if (!x || !dy) throw new Error('Conv2DBackpropFilter needs inputs x and dy');
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') {
    throw new Error(
      `Conv2DBackpropFilter on the wasm backend supports dataFormat 'NHWC' only, got '${dataFormat}' ` +
        '(the wasm Conv2D forward kernel is NHWC-only too)',
    );
  }
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
    throw new Error(`Conv2DBackpropFilter on the wasm backend needs float32 x and dy, got ${x.dtype} and ${dy.dtype}`);
  }
  // The kernel has no dilations attribute: tfjs only differentiates undilated convolutions (the cpu kernel too).
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  tf.util.assert(
    tf.util.arraysEqual(dy.shape, info.outShape),
    () => `Conv2DBackpropFilter: dy shape [${dy.shape}] does not match the convolution output [${info.outShape}]`,
  );
  const { batchSize: n, inHeight, inWidth, inChannels: ci, outHeight: oh, outWidth: ow, outChannels: co } = info;
  const { strideHeight: sh, strideWidth: sw, filterHeight: fh, filterWidth: fw, padInfo } = info;

  // Phase images reach the last tap and hold the whole input, so no pad is negative. A tap starting right of
  // column 0 runs ⌊(fw−1)/sw⌋ values past its last row: one spare row keeps that inside the image.
  const colsQ = Math.max(ow + Math.floor((fw - 1) / sw), Math.ceil((padInfo.left + inWidth) / sw));
  const rowsQ = Math.max(oh + Math.floor((fh - 1) / sh) + (fw > sw ? 1 : 0), Math.ceil((padInfo.top + inHeight) / sh));
  const padBottom = rowsQ * sh - padInfo.top - inHeight;
  const padRight = colsQ * sw - padInfo.left - inWidth;

  const { call, run, reshape, own, release } = wasmKernelCalls(backend);
  const padSpatial = (t: tf.TensorInfo, rows: [number, number], cols: [number, number]) =>
    run('PadV2', { x: t }, { paddings: [NO_PAD, rows, cols, NO_PAD], constantValue: 0 });
  try {
    const padded =
      padInfo.top || padBottom || padInfo.left || padRight
        ? padSpatial(x, [padInfo.top, padBottom], [padInfo.left, padRight])
        : x;
    // Two transposes of rank ≤ 4, where the wasm Transpose has fast paths (it drops size-1 stride axes itself):
    // [n·rowsQ, sh, colsQ·sw·ci] → [sh, n·rowsQ·colsQ, sw, ci] → [sh, sw, ci, n·rowsQ·colsQ].
    const rowPhases =
      sh > 1 ? run('Transpose', { x: reshape(padded, [n * rowsQ, sh, colsQ * sw * ci]) }, { perm: [1, 0, 2] }) : padded;
    const phases = run('Transpose', { x: reshape(rowPhases, [sh, n * rowsQ * colsQ, sw, ci]) }, { perm: [0, 2, 3, 1] });

    // The im2col copy is fused by hand: the wasm Slice kernel would copy the whole input per tap (readSync) and
    // Concat would copy every patch once more. Views are taken after makeOutput, as a heap growth detaches them.
    const window = oh * colsQ;
    const colsT = backend.makeOutput([1, fh * fw * ci, n * window], 'float32');
    own(colsT);
    const src = backend.typedArrayFromHeap(phases);
    const dst = backend.typedArrayFromHeap(colsT);
    const image = rowsQ * colsQ;
    let to = 0;
    for (let i = 0; i < fh; i++) {
      for (let j = 0; j < fw; j++) {
        let from = ((i % sh) * sw + (j % sw)) * ci * n * image + Math.floor(i / sh) * colsQ + Math.floor(j / sw);
        for (let row = 0; row < ci * n; row++, from += image, to += window) {
          dst.set(src.subarray(from, from + window), to);
        }
      }
    }

    const dyWide = colsQ > ow ? padSpatial(dy, NO_PAD, [0, colsQ - ow]) : dy;
    const b = reshape(dyWide, [1, n * window, co]);
    const dW = run('BatchMatMul', { a: colsT, b }, { transposeA: false, transposeB: false });
    // Not owned: the reshape holds its own reference to dW's data.
    return call('Reshape', { x: dW }, { shape: filterShape });
  } finally {
    release();
  }
}

/** Registers Conv2DBackpropFilter for the 'wasm' backend (idempotent). Call after tf.setBackend('wasm') is ready or before; must be safe to call twice. */
export function registerWasmConv2DBackpropFilter(): void {
  // Also leaves alone a kernel that a later tfjs-backend-wasm may ship itself.
  if (tf.getKernel(tf.Conv2DBackpropFilter, WASM_BACKEND) as tf.KernelConfig | undefined) return;
  tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: WASM_BACKEND, kernelFunc: conv2DBackpropFilter });
}
