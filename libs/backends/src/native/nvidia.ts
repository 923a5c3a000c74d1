import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface NvidiaDriver {
  /** e.g. `550.54.15` */
  version: string;
  /** Model names, in the driver's (PCI bus) order. */
  gpus: string[];
  /** Where it was found, for messages. */
  source: string;
}

export interface NvidiaProbeOptions {
  /** Folder standing in for /proc (tests). */
  procRoot?: string;
  /** The nvidia-smi to run; `null` to never run one. */
  nvidiaSmi?: string | null;
}

function read(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** `NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 …` → `550.54.15` */
export function parseDriverVersion(text: string): string | null {
  return /Kernel Module\s+(\d+(?:\.\d+)+)/.exec(text)?.[1] ?? /\b(\d{3,}\.\d+(?:\.\d+)?)\b/.exec(text)?.[1] ?? null;
}

/** `/proc/driver/nvidia/gpus/<bus id>/information` holds `Model: \t NVIDIA A100-SXM4-40GB`. */
export function parseGpuInformation(text: string): string | null {
  return /^Model:\s*(.+?)\s*$/m.exec(text)?.[1] ?? null;
}

/** `nvidia-smi --query-gpu=name,driver_version --format=csv,noheader` lines: `NVIDIA L4, 550.54.15`. */
export function parseNvidiaSmi(text: string): { gpus: string[]; version: string | null } {
  const rows = text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => line.split(',').map((cell) => cell.trim()));
  return { gpus: rows.map((row) => row[0]!).filter(Boolean), version: rows[0]?.[1] ?? null };
}

/**
 * An NVIDIA kernel driver on this machine, from /proc (Linux) or nvidia-smi (also inside containers that mount
 * the tools but not /proc/driver), or null. A driver is what CUDA needs; whether TensorFlow then really uses a
 * GPU is only known once it has loaded (see the probe).
 */
export function detectNvidiaDriver(options: NvidiaProbeOptions = {}): NvidiaDriver | null {
  const proc = options.procRoot ?? '/proc';
  const versionFile = path.join(proc, 'driver/nvidia/version');
  const versionText = read(versionFile);
  if (versionText) {
    const gpusDir = path.join(proc, 'driver/nvidia/gpus');
    let buses: string[] = [];
    try {
      buses = readdirSync(gpusDir).sort();
    } catch {
      // A driver without GPUs attached lists none.
    }
    const gpus = buses
      .map((bus) => parseGpuInformation(read(path.join(gpusDir, bus, 'information')) ?? ''))
      .filter((name): name is string => !!name);
    return { version: parseDriverVersion(versionText) ?? 'unknown', gpus, source: versionFile };
  }
  const smi = options.nvidiaSmi === undefined ? 'nvidia-smi' : options.nvidiaSmi;
  if (!smi) return null;
  try {
    const out = execFileSync(smi, ['--query-gpu=name,driver_version', '--format=csv,noheader'], {
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    }).toString();
    const parsed = parseNvidiaSmi(out);
    return { version: parsed.version ?? 'unknown', gpus: parsed.gpus, source: smi };
  } catch {
    return null;
  }
}

export interface TensorflowGpuDevice {
  /** `/job:localhost/replica:0/task:0/device:GPU:0` */
  device: string;
  name: string;
  memoryMb: number;
  computeCapability: string | null;
}

// TensorFlow logs one line per GPU it creates a device for (gpu_device.cc, INFO level). TF 2.x:
// `Created device /job:localhost/replica:0/task:0/device:GPU:0 with 13598 MB memory:  -> device: 0, name: Tesla T4, pci bus id: 0000:00:04.0, compute capability: 7.5`
// TF 1.x / early 2.x: `Created TensorFlow device (/job:…/device:GPU:0 with 10470 MB memory) -> physical GPU (device: 0, name: …, …)`
const CREATED_DEVICE = /Created (?:TensorFlow )?device \(?(\S*GPU:\d+) with (\d+) MB memory/;
const DEVICE_NAME = /name: ([^,)]+)/;
const COMPUTE_CAPABILITY = /compute capability: (\d+(?:\.\d+)?)/;

/** The GPUs TensorFlow said it created devices for, from its log on stderr. */
export function parseTensorflowGpuDevices(log: string): TensorflowGpuDevice[] {
  const devices: TensorflowGpuDevice[] = [];
  for (const line of log.split('\n')) {
    const created = CREATED_DEVICE.exec(line);
    if (!created) continue;
    const rest = line.slice(created.index + created[0].length);
    devices.push({
      device: created[1]!,
      memoryMb: Number(created[2]),
      name: DEVICE_NAME.exec(rest)?.[1]?.trim() ?? 'unknown GPU',
      computeCapability: COMPUTE_CAPABILITY.exec(rest)?.[1] ?? null,
    });
  }
  return devices;
}
