import { cpus } from 'node:os';

/** How a backend's device reads in run records and the doctor, e.g. `CPU: AMD EPYC (2 cores)`. */
export function cpuDescription(): string {
  const all = cpus();
  return `CPU: ${all[0]?.model.trim() || 'unknown'} (${all.length} core${all.length === 1 ? '' : 's'})`;
}

export function wasmDevice(simd: boolean, threads: boolean): string {
  return `CPU via WebAssembly (${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'threads' : '1 thread'})`;
}

export const JS_CPU_DEVICE = 'CPU via JavaScript';
