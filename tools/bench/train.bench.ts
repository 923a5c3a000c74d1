/**
 * npm run bench:train
 * Training throughput and quality on every TensorFlow.js backend that loads here, on three models:
 *  - the small CNN on MNIST from ../shared/datasets/mnist (8,000 train / 2,000 test; LEPTON_BENCH_MNIST_DIR to
 *    point elsewhere), batch 64, 3 epochs:
 *    trainer samples/s vs a bare `model.fit` on the same backend and data, test accuracy;
 *  - the seed's CIFAR-10 experiment: the same CNN on 32×32×3 images, batch 32, adam, 10 epochs. CIFAR-10 itself
 *    cannot be downloaded here, so the images are generated, in CIFAR's size (50,000 train / 10,000 test) —
 *    throughput is what is measured; accuracy on generated images says nothing about CIFAR-10;
 *  - the tabular MLP on a generated 100,000-row CSV.
 * Then the ratios native/wasm per model, the backend the trainer picks for each model (chooseTrainingBackend) and,
 * when LEPTON_BENCH_KERAS_PYTHON names a Python with TensorFlow, Keras on the same CNNs, data and split.
 * Writes tools/bench/results/train.json. Slow backends get fewer epochs (wasm: LEPTON_BENCH_WASM_CIFAR_EPOCHS,
 * default 1; the pure-JS cpu backend a short sample); samples/s are per measured epoch, so ratios stay fair.
 */
import { importDataset } from '@lepton/datasets';
import { BACKENDS, isNativeBackend } from '@lepton/backends';
import {
  buildModel,
  chooseTrainingBackend,
  evaluate,
  initBackend,
  train,
  type BackendName,
  type TrainingData,
} from '@lepton/trainer';
import type { Hyperparameters, ModelSpec } from '@lepton/model-contract';
import { mulberry32 } from '@lepton/util';
import * as tf from '@tensorflow/tfjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const RESULTS = path.resolve(__dirname, 'results/train.json');
// ../shared from the project root; LEPTON_BENCH_MNIST_DIR for checkouts that sit elsewhere (e.g. git worktrees).
const MNIST_DIR = process.env['LEPTON_BENCH_MNIST_DIR'] ?? path.resolve(__dirname, '../../../shared/datasets/mnist');
const CNN: ModelSpec = { architecture: 'cnn-small' };
const MLP: ModelSpec = { architecture: 'mlp', hiddenUnits: [64, 32] };
const MNIST_HP: Hyperparameters = { epochs: 3, batchSize: 64, learningRate: 0.001, optimizer: 'adam', seed: 42, earlyStoppingPatience: 0 };
const CIFAR_HP: Hyperparameters = { epochs: 10, batchSize: 32, learningRate: 0.001, optimizer: 'adam', seed: 42, earlyStoppingPatience: 0 };
const MLP_HP: Hyperparameters = { epochs: 3, batchSize: 256, learningRate: 0.003, optimizer: 'adam', seed: 42, earlyStoppingPatience: 0 };
const CIFAR_SIZE = { train: Number(process.env['LEPTON_BENCH_CIFAR_TRAIN'] ?? 50_000), test: 10_000 };
const WASM_CIFAR_EPOCHS = Number(process.env['LEPTON_BENCH_WASM_CIFAR_EPOCHS'] ?? 1);
const KERAS_PYTHON = process.env['LEPTON_BENCH_KERAS_PYTHON'];
const TARGETS = { nativeOverWasmOnCnns: 3, trainerOverKeras: 0.5 };

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

function subset(dataset: TrainingData, train: number, test: number): TrainingData {
  return {
    ...dataset,
    splits: {
      train: dataset.splits.train.slice(0, train),
      validation: new Int32Array(0),
      test: dataset.splits.test.slice(0, test),
    },
  };
}

function tensors(dataset: TrainingData, indices: Int32Array) {
  const size = dataset.featureShape.reduce((a, b) => a * b, 1);
  const x = new Float32Array(indices.length * size);
  indices.forEach((index, row) => x.set(dataset.features.subarray(index * size, (index + 1) * size), row * size));
  const labels = Array.from(indices, (index) => dataset.labels[index]!);
  return {
    x: tf.tensor(x, [indices.length, ...dataset.featureShape]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), dataset.classes.length),
  };
}

async function mnist(): Promise<{ dataset: TrainingData; source: string }> {
  if (existsSync(MNIST_DIR)) {
    const dataset = await importDataset({ path: MNIST_DIR }, 'MNIST_IDX', {
      testFraction: 0.2,
      validationFraction: 0,
      seed: 42,
    });
    return { dataset, source: 'shared/datasets/mnist (the real MNIST test set: 8,000 train / 2,000 test)' };
  }
  console.warn(`${MNIST_DIR} is absent (a fresh clone has no ../shared): using generated digit-like images instead.`);
  return { dataset: generatedImages(10_000, 2_000, [28, 28, 1]), source: 'generated 28×28 images (../shared absent)' };
}

/**
 * Ten classes of images: a bright square at a class-specific place and colour over noise. Learnable, so training
 * curves look like training, but not a stand-in for the accuracy of real images.
 */
function generatedImages(train: number, test: number, featureShape: [number, number, number]): TrainingData {
  const [height, width, channels] = featureShape;
  const count = train + test;
  const size = height * width * channels;
  const random = mulberry32(7);
  const features = new Float32Array(count * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 10;
    labels[i] = label;
    const top = 3 + (label % 5) * Math.floor((height - 8) / 5);
    const left = 3 + Math.floor(label / 5) * Math.floor((width - 8) / 2);
    const base = i * size;
    for (let p = 0; p < size; p++) features[base + p] = random() * 0.5;
    for (let y = top; y < top + 5; y++) {
      for (let x = left; x < left + 5; x++) {
        for (let c = 0; c < channels; c++)
          features[base + (y * width + x) * channels + c] = channels === 1 || c === label % channels ? 1 : 0.2;
      }
    }
  }
  const order = (from: number, to: number) => Int32Array.from({ length: to - from }, (_, k) => from + k);
  return {
    featureShape,
    classes: Array.from({ length: 10 }, (_, k) => `class-${k}`),
    features,
    labels,
    splits: { train: order(0, train), validation: new Int32Array(0), test: order(train, count) },
  };
}

async function tabularCsv(): Promise<TrainingData> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lepton-bench-tabular-'));
  try {
    let state = 1;
    const random = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const rows = ['a,b,c,d,e,f,g,h,segment,label'];
    for (let i = 0; i < 100_000; i += 1) {
      const values = Array.from({ length: 8 }, () => random() * 2 - 1);
      const score = values[0]! * 2 - values[1]! + values[2]! * values[3]! + (random() - 0.5) * 0.3;
      rows.push(
        `${values.map((v) => v.toFixed(4)).join(',')},${['north', 'south', 'east'][i % 3]},${score > 0 ? 'yes' : 'no'}`,
      );
    }
    writeFileSync(path.join(dir, 'tabular.csv'), rows.join('\n'));
    return await importDataset({ path: path.join(dir, 'tabular.csv') }, 'CSV', {
      label: 'label',
      testFraction: 0.2,
      validationFraction: 0.1,
      seed: 42,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

interface Measured {
  trainSamples: number;
  epochs: number;
  trainerSamplesPerSecond: number;
  /** Samples per second of this process's CPU time: steadier than wall time on a machine others share. */
  trainerSamplesPerCpuSecond: number;
  secondsPerEpoch: number[];
  testAccuracy: number | null;
  bareFitSamplesPerSecond?: number;
  trainerToBareFitRatio?: number;
}

/** The trainer (and optionally a bare model.fit first) on the same data, backend and model; then test accuracy. */
async function benchmark(
  dataset: TrainingData,
  spec: ModelSpec,
  hyperparameters: Hyperparameters,
  epochs: number,
  bareFit: boolean,
): Promise<Measured> {
  const shape = { featureShape: dataset.featureShape, numClasses: dataset.classes.length };
  const checkpointDir = mkdtempSync(path.join(os.tmpdir(), 'lepton-bench-ckpt-'));
  const samples = dataset.splits.train.length;
  const warmUp = tensors(dataset, dataset.splits.train.slice(0, hyperparameters.batchSize));
  try {
    let bare: Pick<Measured, 'bareFitSamplesPerSecond'> = {};
    if (bareFit) {
      // Both sides get the same epochs after one warm-up batch (kernel setup and first allocations).
      const model = buildModel(spec, shape, hyperparameters);
      const { x, y } = tensors(dataset, dataset.splits.train);
      await model.trainOnBatch(warmUp.x, warmUp.y);
      const started = performance.now();
      await model.fit(x, y, { epochs, batchSize: hyperparameters.batchSize, shuffle: true, verbose: 0 });
      bare = { bareFitSamplesPerSecond: (samples * epochs) / ((performance.now() - started) / 1000) };
      tf.dispose([x, y]);
      model.dispose();
    }
    const model = buildModel(spec, shape, hyperparameters);
    await model.trainOnBatch(warmUp.x, warmUp.y);
    const epochSeconds: number[] = [];
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await train({
      model,
      data: dataset,
      hyperparameters: { ...hyperparameters, epochs },
      checkpointDir,
      onEpoch: (epoch) => {
        epochSeconds.push(epoch.seconds);
        console.log(
          `  epoch ${epoch.epoch + 1}/${epochs}: loss ${epoch.loss.toFixed(4)} acc ${epoch.accuracy.toFixed(4)} (${epoch.seconds.toFixed(1)} s)`,
        );
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const trainerPerSecond = (samples * epochs) / seconds;
    const evaluation = dataset.splits.test.length > 0 ? evaluate(result.model, dataset, 'test') : null;
    result.model.dispose();
    return {
      trainSamples: samples,
      epochs,
      trainerSamplesPerSecond: round(trainerPerSecond),
      trainerSamplesPerCpuSecond: round((samples * epochs) / ((used.user + used.system) / 1e6)),
      secondsPerEpoch: epochSeconds.map((s) => round(s)),
      testAccuracy: evaluation ? round(evaluation.accuracy, 4) : null,
      ...(bare.bareFitSamplesPerSecond
        ? {
            bareFitSamplesPerSecond: round(bare.bareFitSamplesPerSecond),
            trainerToBareFitRatio: round(trainerPerSecond / bare.bareFitSamplesPerSecond, 3),
          }
        : {}),
    };
  } finally {
    tf.dispose([warmUp.x, warmUp.y]);
    rmSync(checkpointDir, { recursive: true, force: true });
  }
}

/** Keras on the same CNN, data and split (see keras_cnn.py), or why it was not measured. */
function keras(dataset: TrainingData, hyperparameters: Hyperparameters): Record<string, unknown> {
  if (!KERAS_PYTHON)
    return { measured: false, reason: 'set LEPTON_BENCH_KERAS_PYTHON to a Python with tensorflow-cpu 2.21 to compare' };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'lepton-bench-keras-'));
  try {
    const size = dataset.featureShape.reduce((a, b) => a * b, 1);
    for (const split of ['train', 'test'] as const) {
      const indices = dataset.splits[split];
      const x = new Float32Array(indices.length * size);
      indices.forEach((index, row) => x.set(dataset.features.subarray(index * size, (index + 1) * size), row * size));
      writeFileSync(path.join(dir, `x_${split}.f32`), new Uint8Array(x.buffer));
      writeFileSync(
        path.join(dir, `y_${split}.i32`),
        new Uint8Array(Int32Array.from(indices, (index) => dataset.labels[index]!).buffer),
      );
    }
    writeFileSync(
      path.join(dir, 'meta.json'),
      JSON.stringify({ featureShape: dataset.featureShape, classes: dataset.classes.length, ...hyperparameters }),
    );
    let out: string;
    try {
      out = execFileSync(KERAS_PYTHON, [path.join(__dirname, 'keras_cnn.py'), dir], {
        stdio: ['ignore', 'pipe', 'inherit'],
        maxBuffer: 1 << 24,
      }).toString();
    } catch (error) {
      return { measured: false, reason: `keras_cnn.py failed: ${(error as Error).message.split('\n')[0]}` };
    }
    const result = JSON.parse(out.trim().split('\n').at(-1)!) as {
      samplesPerSecond: number;
      samplesPerCpuSecond: number;
      secondsPerEpoch: number[];
      testAccuracy: number | null;
    };
    return {
      measured: true,
      ...result,
      samplesPerSecond: round(result.samplesPerSecond),
      samplesPerCpuSecond: round(result.samplesPerCpuSecond),
      secondsPerEpoch: result.secondsPerEpoch.map((s) => round(s)),
      testAccuracy: result.testAccuracy === null ? null : round(result.testAccuracy, 4),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type ModelKey = 'mnistCnn' | 'cifarCnn' | 'tabularMlp';

async function main() {
  const loadBefore = os.loadavg();
  const { dataset: digits, source } = await mnist();
  const cifar = generatedImages(CIFAR_SIZE.train, CIFAR_SIZE.test, [32, 32, 3]);
  const tabular = await tabularCsv();
  const backends: Partial<Record<BackendName, Record<string, unknown>>> = {};
  for (const name of BACKENDS) {
    let info;
    try {
      info = await initBackend(name);
    } catch (error) {
      info = null;
      backends[name] = { loaded: false, reason: (error as Error).message.split('\n')[0] };
    }
    // initBackend falls back to the next backend that loads; only the one asked for counts here.
    if (info && info.backend !== name) {
      backends[name] = {
        loaded: false,
        reason: info.skipped.find((entry) => entry.backend === name)?.reason ?? `fell back to ${info.backend}`,
      };
    }
    if (!info || info.backend !== name) {
      console.log(`${name}: not available (${String(backends[name]!['reason'])})`);
      continue;
    }
    const native = isNativeBackend(name);
    // The pure-JS cpu backend trains a CNN at a few samples/s: a short sample only.
    const sample = name === 'cpu';
    console.log(`${name} (${info.device}): MNIST small CNN`);
    const mnistCnn = await benchmark(
      sample ? subset(digits, 64, 0) : digits,
      CNN,
      MNIST_HP,
      sample ? 1 : MNIST_HP.epochs,
      true,
    );
    const cifarEpochs = native ? CIFAR_HP.epochs : name === 'wasm' ? WASM_CIFAR_EPOCHS : 1;
    console.log(`${name}: the seed's CIFAR-10 CNN on generated 32×32×3 images, ${cifarEpochs} epoch(s)`);
    const cifarCnn = await benchmark(sample ? subset(cifar, 64, 0) : cifar, CNN, CIFAR_HP, cifarEpochs, false);
    console.log(`${name}: tabular MLP on 100,000 rows`);
    const tabularMlp = await benchmark(tabular, MLP, MLP_HP, MLP_HP.epochs, true);
    backends[name] = {
      loaded: true,
      device: info.device,
      versions: info.versions,
      mnistCnn: { ...mnistCnn, sampleOnly: sample },
      cifarCnn: { ...cifarCnn, sampleOnly: sample },
      tabularMlp,
    };
  }

  const models: Record<ModelKey, { data: TrainingData; spec: ModelSpec; hyperparameters: Hyperparameters }> = {
    mnistCnn: { data: digits, spec: CNN, hyperparameters: MNIST_HP },
    cifarCnn: { data: cifar, spec: CNN, hyperparameters: CIFAR_HP },
    tabularMlp: { data: tabular, spec: MLP, hyperparameters: MLP_HP },
  };
  const nativeName = (['tensorflow-gpu', 'tensorflow'] as const).find((name) => backends[name]?.['loaded']);
  const rateOf = (
    backend: BackendName | undefined,
    model: ModelKey,
    key: keyof Measured = 'trainerSamplesPerSecond',
  ) => (backend ? ((backends[backend]?.[model] as Measured | undefined)?.[key] as number | undefined) : undefined);
  const ratios: Record<string, unknown> = {};
  const choices: Record<string, unknown> = {};
  for (const model of Object.keys(models) as ModelKey[]) {
    const native = rateOf(nativeName, model);
    const wasm = rateOf('wasm', model);
    if (nativeName && native && wasm) {
      ratios[model] = {
        native: nativeName,
        nativeOverWasm: round(native / wasm, 2),
        nativeOverWasmCpuTime: round(
          rateOf(nativeName, model, 'trainerSamplesPerCpuSecond')! /
            rateOf('wasm', model, 'trainerSamplesPerCpuSecond')!,
          2,
        ),
      };
    }
    const choice = await chooseTrainingBackend(models[model]);
    choices[model] = {
      backend: choice.info.backend,
      reason: choice.reason,
      trials: choice.trials.map((t) => ({ ...t, samplesPerSecond: round(t.samplesPerSecond) })),
    };
    console.log(`${model}: the trainer picks ${choice.info.backend} (${choice.reason})`);
  }

  console.log('Keras on the MNIST CNN');
  const kerasMnist = keras(digits, MNIST_HP);
  console.log('Keras on the CIFAR-size CNN');
  const kerasCifar = keras(cifar, CIFAR_HP);
  const versusKeras = (model: ModelKey, reference: Record<string, unknown>) =>
    reference['measured'] && nativeName
      ? {
          trainerOverKeras: round(rateOf(nativeName, model)! / (reference['samplesPerSecond'] as number), 2),
          trainerOverKerasCpuTime: round(
            rateOf(nativeName, model, 'trainerSamplesPerCpuSecond')! / (reference['samplesPerCpuSecond'] as number),
            2,
          ),
        }
      : null;

  const met = (actual: number | undefined, target: number) => (actual === undefined ? null : actual >= target);
  const report = {
    benchmark: 'train',
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      node: process.version,
      loadAverageBefore: loadBefore.map((l) => round(l, 2)),
      loadAverageAfter: os.loadavg().map((l) => round(l, 2)),
    },
    data: {
      mnist: source,
      cifar: `generated 32×32×3 images in CIFAR-10's size (${CIFAR_SIZE.train.toLocaleString('en-US')} train / ${CIFAR_SIZE.test.toLocaleString('en-US')} test); CIFAR-10 itself is not downloadable here`,
      tabular: 'generated 100,000-row CSV (8 numeric + 1 categorical column, binary label)',
    },
    backends,
    ratios,
    backendChoice: choices,
    keras: {
      mnistCnn: { ...kerasMnist, ...versusKeras('mnistCnn', kerasMnist) },
      cifarCnn: { ...kerasCifar, ...versusKeras('cifarCnn', kerasCifar) },
    },
    targets: {
      nativeOverWasmOnCnns: {
        target: TARGETS.nativeOverWasmOnCnns,
        mnistCnn: met(
          (ratios['mnistCnn'] as { nativeOverWasm?: number } | undefined)?.nativeOverWasm,
          TARGETS.nativeOverWasmOnCnns,
        ),
        cifarCnn: met(
          (ratios['cifarCnn'] as { nativeOverWasm?: number } | undefined)?.nativeOverWasm,
          TARGETS.nativeOverWasmOnCnns,
        ),
      },
      trainerOverKeras: {
        target: TARGETS.trainerOverKeras,
        mnistCnn: met(versusKeras('mnistCnn', kerasMnist)?.trainerOverKeras, TARGETS.trainerOverKeras),
        cifarCnn: met(versusKeras('cifarCnn', kerasCifar)?.trainerOverKeras, TARGETS.trainerOverKeras),
      },
    },
  };
  mkdirSync(path.dirname(RESULTS), { recursive: true });
  writeFileSync(RESULTS, JSON.stringify(report, null, 2) + '\n');
  console.log(JSON.stringify({ ratios, keras: report.keras, targets: report.targets }, null, 2));
  console.log(`Wrote ${path.relative(process.cwd(), RESULTS)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
