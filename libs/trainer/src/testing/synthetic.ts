import { mulberry32 } from '@lepton/util';
import type { TrainingData } from '../training/data';

/** Splits examples 3:1:1 into train/validation/test by position, so every split sees every class. */
function splits(count: number): TrainingData['splits'] {
  const pick = (keep: (i: number) => boolean) => Int32Array.from({ length: count }, (_, i) => i).filter(keep);
  return { train: pick((i) => i % 5 < 3), validation: pick((i) => i % 5 === 3), test: pick((i) => i % 5 === 4) };
}

/** Gaussian-ish tabular blobs: class k is centred at `separation` along axis k, so classes are linearly separable. */
export function tabularBlobs(options: { classes: number; perClass: number; features: number; seed?: number; separation?: number }): TrainingData {
  const { classes, perClass, features } = options;
  const random = mulberry32(options.seed ?? 1);
  const noise = () => random() + random() + random() - 1.5;
  const count = classes * perClass;
  const data = new Float32Array(count * features);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    for (let f = 0; f < features; f++) {
      data[i * features + f] = (f === label % features ? (options.separation ?? 3) : 0) + noise();
    }
  }
  return { featureShape: [features], classes: Array.from({ length: classes }, (_, k) => `class-${k}`), features: data, labels, splits: splits(count) };
}

/** Tiny single-channel images: class k lights up a 3×3 patch at its own position, plus pixel noise. */
export function imageBlobs(options: { classes: number; perClass: number; side: number; seed?: number }): TrainingData {
  const { classes, perClass, side } = options;
  const random = mulberry32(options.seed ?? 1);
  const count = classes * perClass;
  const pixels = side * side;
  const data = new Float32Array(count * pixels);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % classes;
    labels[i] = label;
    const top = (label * 3) % (side - 2);
    const left = Math.floor((label * 3) / (side - 2)) * 3;
    for (let p = 0; p < pixels; p++) data[i * pixels + p] = random() * 0.3;
    for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) data[i * pixels + (top + dy) * side + left + dx] = 1;
  }
  return { featureShape: [side, side, 1], classes: Array.from({ length: classes }, (_, k) => `shape-${k}`), features: data, labels, splits: splits(count) };
}
