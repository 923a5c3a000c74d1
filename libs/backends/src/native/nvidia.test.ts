import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detectNvidiaDriver, parseDriverVersion, parseTensorflowGpuDevices } from './nvidia';

const folders: string[] = [];
function folder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'lepton-nvidia-'));
  folders.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const DRIVER_VERSION =
  'NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024\nGCC version:  gcc version 12.2.0 (Debian 12.2.0-14)\n';

/** An executable nvidia-smi running `script` (real processes, as detection runs them). */
function fakeNvidiaSmi(script: string): string {
  const smi = path.join(folder(), 'nvidia-smi');
  writeFileSync(smi, `#!/bin/sh\n${script}\n`);
  chmodSync(smi, 0o755);
  return smi;
}

/** A /proc tree as the NVIDIA kernel driver lays it out. */
function fakeProc(gpus: Record<string, string>): string {
  const proc = folder();
  mkdirSync(path.join(proc, 'driver/nvidia/gpus'), { recursive: true });
  writeFileSync(path.join(proc, 'driver/nvidia/version'), DRIVER_VERSION);
  for (const [bus, model] of Object.entries(gpus)) {
    mkdirSync(path.join(proc, 'driver/nvidia/gpus', bus));
    writeFileSync(
      path.join(proc, 'driver/nvidia/gpus', bus, 'information'),
      `Model: \t\t ${model}\nIRQ:   \t\t 35\nGPU UUID: \t GPU-1234\n`,
    );
  }
  return proc;
}

describe('detectNvidiaDriver', () => {
  it('reads the driver version and the GPUs in bus order from /proc', () => {
    const proc = fakeProc({ '0000:3b:00.0': 'NVIDIA L4', '0000:1a:00.0': 'NVIDIA A100-SXM4-40GB' });
    expect(detectNvidiaDriver({ procRoot: proc, nvidiaSmi: null })).toEqual({
      version: '550.54.15',
      gpus: ['NVIDIA A100-SXM4-40GB', 'NVIDIA L4'],
      source: path.join(proc, 'driver/nvidia/version'),
    });
  });

  it('asks nvidia-smi when /proc has no driver (containers that mount only the tools)', () => {
    const smi = fakeNvidiaSmi(
      '[ "$1" = "--query-gpu=name,driver_version" ] || exit 2\necho "NVIDIA H100 80GB HBM3, 560.35.03"\necho "NVIDIA H100 80GB HBM3, 560.35.03"',
    );
    expect(detectNvidiaDriver({ procRoot: folder(), nvidiaSmi: smi })).toEqual({
      version: '560.35.03',
      gpus: ['NVIDIA H100 80GB HBM3', 'NVIDIA H100 80GB HBM3'],
      source: smi,
    });
  });

  it('finds none without /proc/driver/nvidia and without a working nvidia-smi', () => {
    const failing = fakeNvidiaSmi(
      'echo "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver" >&2\nexit 9',
    );
    expect(detectNvidiaDriver({ procRoot: folder(), nvidiaSmi: failing })).toBeNull();
    expect(detectNvidiaDriver({ procRoot: folder(), nvidiaSmi: path.join(folder(), 'absent') })).toBeNull();
    expect(detectNvidiaDriver({ procRoot: folder(), nvidiaSmi: null })).toBeNull();
  });

  it('parses the version line of older and newer drivers', () => {
    expect(parseDriverVersion(DRIVER_VERSION)).toBe('550.54.15');
    expect(
      parseDriverVersion('NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  570.86.15  Release Build'),
    ).toBe('570.86.15');
  });
});

describe('parseTensorflowGpuDevices', () => {
  it('reads the devices TensorFlow 2.x says it created, ignoring everything else', () => {
    const log = [
      'I0000 00:00:1733100000.123456   4242 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use available CPU instructions',
      'I0000 00:00:1733100001.000000   4242 gpu_device.cc:2022] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 13598 MB memory:  -> device: 0, name: Tesla T4, pci bus id: 0000:00:04.0, compute capability: 7.5',
      '2024-12-02 01:00:00.000000: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1928] Created device /job:localhost/replica:0/task:0/device:GPU:1 with 78000 MB memory:  -> device: 1, name: NVIDIA H100 80GB HBM3, pci bus id: 0000:1b:00.0, compute capability: 9.0',
    ].join('\n');
    expect(parseTensorflowGpuDevices(log)).toEqual([
      {
        device: '/job:localhost/replica:0/task:0/device:GPU:0',
        memoryMb: 13598,
        name: 'Tesla T4',
        computeCapability: '7.5',
      },
      {
        device: '/job:localhost/replica:0/task:0/device:GPU:1',
        memoryMb: 78000,
        name: 'NVIDIA H100 80GB HBM3',
        computeCapability: '9.0',
      },
    ]);
  });

  it('reads the older "Created TensorFlow device" form (libtensorflow 1.x and early 2.x)', () => {
    const log =
      '2019-01-01 00:00:00.000000: I tensorflow/core/common_runtime/gpu/gpu_device.cc:1115] Created TensorFlow device (/job:localhost/replica:0/task:0/device:GPU:0 with 10470 MB memory) -> physical GPU (device: 0, name: GeForce GTX 1080 Ti, pci bus id: 0000:01:00.0, compute capability: 6.1)';
    expect(parseTensorflowGpuDevices(log)).toEqual([
      {
        device: '/job:localhost/replica:0/task:0/device:GPU:0',
        memoryMb: 10470,
        name: 'GeForce GTX 1080 Ti',
        computeCapability: '6.1',
      },
    ]);
  });

  it('finds no GPU in a CPU-only log, including the one a CUDA build writes without a GPU', () => {
    const log = [
      'E0000 00:00:1733100000.000000   4242 cuda_executor.cc:1228] failed call to cuInit: INTERNAL: CUDA error: Failed call to cuInit: UNKNOWN ERROR (303)',
      'I0000 00:00:1733100000.000000   4242 port.cc:153] oneDNN custom operations are on.',
    ].join('\n');
    expect(parseTensorflowGpuDevices(log)).toEqual([]);
  });
});
