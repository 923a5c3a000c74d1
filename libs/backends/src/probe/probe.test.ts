import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findNativeCandidates, type NativeCandidate } from '../native/load-native';
import { decideNative, describeNativeDevice, probeNative, runProbe, type NativeProbe } from './probe';

const scratch = mkdtempSync(path.join(tmpdir(), 'lepton-probe-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const lepton = (variant: 'cpu' | 'cuda'): NativeCandidate => ({
  kind: 'lepton',
  variant,
  addon: `/cache/${variant}/tfjs_binding.node`,
  label: `Lepton's ${variant} build`,
});
const packaged: NativeCandidate = {
  kind: 'package',
  packageName: '@tensorflow/tfjs-node-gpu',
  label: '@tensorflow/tfjs-node-gpu 4.22.0 with its own download',
};
const loads = (candidate: NativeCandidate, gpu: boolean): NativeProbe => ({
  candidate,
  ok: true,
  gpu,
  versions: { tensorflow: '2.21.0' },
  device: gpu ? 'GPU: NVIDIA L4' : 'CPU: test',
});
const fails = (candidate: NativeCandidate, reason: string): NativeProbe => ({
  candidate,
  ok: false,
  gpu: false,
  versions: {},
  device: '',
  reason,
});
const driver = { version: '550.54.15', gpus: ['NVIDIA L4'], source: '/proc/driver/nvidia/version' };

describe('decideNative', () => {
  it('serves tensorflow-gpu only from a build that really used a GPU, and tensorflow from the CPU build', () => {
    const decided = decideNative([loads(lepton('cuda'), true), loads(lepton('cpu'), false)], [], driver);
    expect(decided.choice['tensorflow-gpu']).toEqual({ probe: loads(lepton('cuda'), true) });
    expect(decided.choice.tensorflow).toEqual({ probe: loads(lepton('cpu'), false) });
  });

  it("prefers Lepton's CPU build, then its CUDA build without a GPU, then the tfjs-node packages", () => {
    const decided = decideNative(
      [loads(lepton('cuda'), false), loads(packaged, false), loads(lepton('cpu'), false)],
      [],
      null,
    );
    expect(decided.choice.tensorflow).toEqual({ probe: loads(lepton('cpu'), false) });
    expect(decideNative([loads(packaged, false), loads(lepton('cuda'), false)], [], null).choice.tensorflow).toEqual({
      probe: loads(lepton('cuda'), false),
    });
  });

  it('says why there is no GPU backend: no driver, or a driver but no build that sees the GPU', () => {
    expect(decideNative([loads(lepton('cpu'), false)], [], null).choice['tensorflow-gpu']).toEqual({
      reason: 'no NVIDIA driver (no /proc/driver/nvidia/version, no nvidia-smi)',
    });
    expect(decideNative([loads(lepton('cpu'), false)], [], driver).choice['tensorflow-gpu']).toEqual({
      reason:
        "NVIDIA driver 550.54.15 found, but TensorFlow sees no GPU (Lepton's cpu build): run npm run tensorflow:install -- --gpu",
    });
    const gpuFails = fails(packaged, 'libcudart.so.11.0: cannot open shared object file: No such file or directory');
    expect(decideNative([gpuFails], [], driver).choice).toEqual({
      'tensorflow-gpu': { reason: 'NVIDIA driver 550.54.15 found, but no native TensorFlow loads here' },
      tensorflow: {
        reason: `${packaged.label}: libcudart.so.11.0: cannot open shared object file: No such file or directory`,
      },
    });
  });

  it('names the uninstalled CPU build as the reason when no native build exists at all', () => {
    const unavailable = [
      { label: "Lepton's TensorFlow CUDA build", reason: 'not installed; run npm run tensorflow:install -- --gpu' },
      { label: "Lepton's TensorFlow CPU build", reason: 'not installed; run npm run tensorflow:install' },
    ];
    expect(decideNative([], unavailable, null).choice.tensorflow).toEqual({
      reason: "Lepton's TensorFlow CPU build: not installed; run npm run tensorflow:install",
    });
  });

  it('does not offer a GPU-only build as the CPU backend', () => {
    expect(decideNative([loads(lepton('cuda'), true)], [], driver).choice.tensorflow).toEqual({
      reason: "the only native TensorFlow here runs on the GPU (Lepton's cuda build)",
    });
  });
});

describe('describeNativeDevice', () => {
  it("names the GPU TensorFlow logged, else the driver's, else the CPU", () => {
    const log =
      'I0000 gpu_device.cc:2022] Created device /job:localhost/replica:0/task:0/device:GPU:0 with 22000 MB memory:  -> device: 0, name: NVIDIA L4, pci bus id: 0000:00:03.0, compute capability: 8.9';
    expect(describeNativeDevice(true, log, driver)).toBe('GPU: NVIDIA L4 (compute capability 8.9)');
    expect(describeNativeDevice(true, '', driver)).toBe('GPU: NVIDIA L4');
    expect(describeNativeDevice(false, log, driver)).toMatch(/^CPU: .+ \(\d+ cores?\)$/);
  });
});

describe('probes in child processes', () => {
  it('loads wasm and the JavaScript cpu backend and reports their versions', async () => {
    const [wasm, cpu] = await Promise.all([runProbe({ backend: 'wasm' }), runProbe({ backend: 'cpu' })]);
    expect(wasm.outcome).toMatchObject({
      ok: true,
      versions: { 'tfjs-backend-wasm': expect.stringMatching(/^\d+\.\d+\.\d+$/) },
      simd: expect.any(Boolean),
    });
    expect(cpu.outcome).toMatchObject({
      ok: true,
      versions: { 'tfjs-backend-cpu': expect.stringMatching(/^\d+\.\d+\.\d+$/) },
    });
  });

  it('reports why a native addon does not load, without harming the caller', async () => {
    const bogus = path.join(scratch, 'tfjs_binding.node');
    writeFileSync(bogus, 'this is not a shared object\n'.repeat(100));
    const probe = await probeNative({ kind: 'lepton', variant: 'cpu', addon: bogus, label: 'a bogus build' }, false);
    expect(probe).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/invalid ELF header|not a mach-o file|slice is not valid/i),
    });
  });

  it('gives up on a probe that does not answer in time', async () => {
    const { outcome } = await runProbe({ backend: 'cpu' }, { timeoutMs: 1 });
    expect(outcome).toEqual({ ok: false, error: 'gave no answer within 0 s' });
  });
});

// The real native build: present where `npm ci` could set it up (CI, development machines); elsewhere the
// test names why it is not, as the README explains.
const { candidates, unavailable } = findNativeCandidates();
const build = candidates.find((candidate) => candidate.kind === 'lepton');
const why = unavailable.find((entry) => entry.label.includes('CPU'))?.reason ?? 'no native build';

describe('the installed native build', () => {
  it.skipIf(!build)(
    `loads in a child process and passes the matmul and convolution-gradient check${build ? '' : ` (not run: ${why})`}`,
    async () => {
      const probe = await probeNative(build!, true);
      expect(probe).toMatchObject({ ok: true, versions: { tensorflow: '2.21.0', 'tfjs-node': expect.any(String) } });
      expect(probe.convGradientMaxError).toBeLessThan(1e-4);
    },
  );
});
