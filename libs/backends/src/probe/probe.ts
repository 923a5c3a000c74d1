import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BACKENDS, type BackendName } from '../backend-name';
import { JS_CPU_DEVICE, cpuDescription, wasmDevice } from '../device';
import { findNativeCandidates, type NativeCandidate } from '../native/load-native';
import { detectNvidiaDriver, parseTensorflowGpuDevices, type NvidiaDriver } from '../native/nvidia';
import { RESULT_PREFIX, type ProbeOutcome, type ProbeRequest } from './probe-protocol';

const CHILD = path.join(__dirname, 'probe-child.ts');
const requireHere = createRequire(__filename);
// A first CUDA initialisation can compile kernels for a new GPU for minutes; a CPU load takes about a second.
const DEFAULT_TIMEOUT_MS = 180_000;

export interface ProbeOptions {
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface ChildProbe {
  outcome: ProbeOutcome;
  /** Everything the child wrote to stderr (TensorFlow's log). */
  log: string;
}

/** The last meaningful stderr line: what a loader or TensorFlow said before giving up. */
function lastLogLine(log: string): string {
  const lines = log
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return lines.at(-1)?.slice(0, 300) ?? 'no output';
}

/** Runs one probe child (see probe-child.ts) and returns its answer; never throws. */
export function runProbe(request: ProbeRequest, options: ProbeOptions = {}): Promise<ChildProbe> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', pathToFileURL(requireHere.resolve('tsx')).href, CHILD, JSON.stringify(request)],
      {
        // INFO level so TensorFlow names the GPU devices it creates.
        env: { ...(options.env ?? process.env), TF_CPP_MIN_LOG_LEVEL: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let log = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    const finish = (outcome: ProbeOutcome) => {
      clearTimeout(timer);
      resolve({ outcome, log });
    };
    child.on('error', (error) => finish({ ok: false, error: `could not start a probe process: ${error.message}` }));
    child.on('close', (code, signal) => {
      const line = stdout.split('\n').find((text) => text.startsWith(RESULT_PREFIX));
      if (line) return finish(JSON.parse(line.slice(RESULT_PREFIX.length)) as ProbeOutcome);
      if (timedOut) return finish({ ok: false, error: `gave no answer within ${Math.round(timeoutMs / 1000)} s` });
      finish({
        ok: false,
        error: `the probe process ${signal ? `was killed by ${signal}` : `exited with code ${code}`}: ${lastLogLine(log)}`,
      });
    });
  });
}

export interface NativeProbe {
  candidate: NativeCandidate;
  ok: boolean;
  gpu: boolean;
  versions: Record<string, string>;
  device: string;
  reason?: string;
  convGradientMaxError?: number;
}

/** What a native build runs on: the GPU TensorFlow named in its log, else the driver's first GPU, else the CPU. */
export function describeNativeDevice(gpu: boolean, log: string, driver: NvidiaDriver | null): string {
  if (!gpu) return cpuDescription();
  const named = parseTensorflowGpuDevices(log)[0];
  if (named)
    return `GPU: ${named.name}${named.computeCapability ? ` (compute capability ${named.computeCapability})` : ''}`;
  return `GPU: ${driver?.gpus[0] ?? 'unknown'}`;
}

/** Loads `candidate` in a child process; `verify` adds the convolution-gradient check (used after a build). */
export async function probeNative(
  candidate: NativeCandidate,
  verify: boolean,
  options: ProbeOptions = {},
): Promise<NativeProbe> {
  const { outcome, log } = await runProbe({ backend: 'native', candidate, verify }, options);
  if (!outcome.ok) return { candidate, ok: false, gpu: false, versions: {}, device: '', reason: outcome.error };
  const gpu = outcome.gpu === true;
  return {
    candidate,
    ok: true,
    gpu,
    versions: outcome.versions,
    device: describeNativeDevice(gpu, log, gpu ? detectNvidiaDriver() : null),
    ...(outcome.convGradientMaxError === undefined ? {} : { convGradientMaxError: outcome.convGradientMaxError }),
  };
}

/** The candidate order for a CPU backend: Lepton's builds (newer TensorFlow) first, its CPU build before CUDA. */
function cpuPreference(probe: NativeProbe): number {
  const { candidate } = probe;
  return candidate.kind === 'lepton' ? (candidate.variant === 'cpu' ? 0 : 1) : 2;
}

export interface NativeChoice {
  /** All native builds found, each probed in a child process. */
  probes: NativeProbe[];
  /** Builds that exist in principle but are not usable, with why. */
  unavailable: { label: string; reason: string }[];
  nvidia: NvidiaDriver | null;
  /** The build that serves each native backend name, or why none does. */
  choice: Record<'tensorflow-gpu' | 'tensorflow', { probe: NativeProbe } | { reason: string }>;
}

function explainNoGpu(probes: NativeProbe[], nvidia: NvidiaDriver | null): string {
  if (!nvidia) return 'no NVIDIA driver (no /proc/driver/nvidia/version, no nvidia-smi)';
  const loaded = probes.filter((probe) => probe.ok);
  if (loaded.length === 0) return `NVIDIA driver ${nvidia.version} found, but no native TensorFlow loads here`;
  return `NVIDIA driver ${nvidia.version} found, but TensorFlow sees no GPU (${loaded.map((probe) => probe.candidate.label).join('; ')}): run npm run tensorflow:install -- --gpu`;
}

function explainNoNative(probes: NativeProbe[], unavailable: NativeChoice['unavailable']): string {
  const failed = probes.filter((probe) => !probe.ok).map((probe) => `${probe.candidate.label}: ${probe.reason}`);
  const first =
    failed[0] ??
    unavailable
      .map((entry) => `${entry.label}: ${entry.reason}`)
      .find((text) => text.startsWith("Lepton's TensorFlow CPU"));
  return first ?? 'no native TensorFlow is installed';
}

/** Which probed build serves which backend name: the GPU one for tensorflow-gpu, the preferred CPU one for tensorflow. */
export function decideNative(
  probes: NativeProbe[],
  unavailable: NativeChoice['unavailable'],
  nvidia: NvidiaDriver | null,
): NativeChoice {
  const gpu = probes.find((probe) => probe.ok && probe.gpu);
  const cpu = probes.filter((probe) => probe.ok && !probe.gpu).sort((a, b) => cpuPreference(a) - cpuPreference(b))[0];
  return {
    probes,
    unavailable,
    nvidia,
    choice: {
      'tensorflow-gpu': gpu ? { probe: gpu } : { reason: explainNoGpu(probes, nvidia) },
      tensorflow: cpu
        ? { probe: cpu }
        : gpu
          ? { reason: `the only native TensorFlow here runs on the GPU (${gpu.candidate.label})` }
          : { reason: explainNoNative(probes, unavailable) },
    },
  };
}

/** Probes every native build here (one child process each) and decides which one serves which backend name. */
export async function chooseNative(options: ProbeOptions = {}): Promise<NativeChoice> {
  const { candidates, unavailable } = findNativeCandidates();
  const probes: NativeProbe[] = [];
  for (const candidate of candidates) probes.push(await probeNative(candidate, false, options));
  return decideNative(probes, unavailable, detectNvidiaDriver());
}

export interface BackendReport {
  backend: BackendName;
  available: boolean;
  /** Which build or package provides it. */
  source?: string;
  versions?: Record<string, string>;
  device?: string;
  reason?: string;
}

export interface BackendsReport {
  backends: BackendReport[];
  native: NativeChoice;
}

/**
 * Which backends load on this machine, with versions and devices, and why the others do not. Every backend is
 * loaded in its own child process, so the caller's process is left as it was.
 */
export async function probeBackends(options: ProbeOptions = {}): Promise<BackendsReport> {
  const native = await chooseNative(options);
  const reports: BackendReport[] = [];
  for (const backend of BACKENDS) {
    if (backend === 'tensorflow-gpu' || backend === 'tensorflow') {
      const choice = native.choice[backend];
      reports.push(
        'probe' in choice
          ? {
              backend,
              available: true,
              source: choice.probe.candidate.label,
              versions: choice.probe.versions,
              device: choice.probe.device,
            }
          : { backend, available: false, reason: choice.reason },
      );
      continue;
    }
    const { outcome } = await runProbe({ backend }, options);
    reports.push(
      outcome.ok
        ? {
            backend,
            available: true,
            source: backend === 'wasm' ? '@tensorflow/tfjs-backend-wasm' : '@tensorflow/tfjs-backend-cpu',
            versions: outcome.versions,
            device: backend === 'wasm' ? wasmDevice(!!outcome.simd, !!outcome.threads) : JS_CPU_DEVICE,
          }
        : { backend, available: false, reason: outcome.error },
    );
  }
  return { backends: reports, native };
}
