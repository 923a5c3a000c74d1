/**
 * npm run tensorflow:doctor [-- --json]   (also `npx lepton doctor`)
 * Which TensorFlow.js backends load on this machine, with versions and devices, and why the others do not.
 * Each backend is loaded in its own child process, exactly as a worker would load it.
 */
import { probeBackends, tensorflowCacheRoot, type BackendsReport } from '@lepton/backends';

function versionsOf(versions: Record<string, string> | undefined): string {
  return Object.entries(versions ?? {})
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
}

export function formatReport(report: BackendsReport): string {
  const lines = ['Backends, best first:'];
  const width = Math.max(...report.backends.map((entry) => entry.backend.length));
  for (const entry of report.backends) {
    const name = entry.backend.padEnd(width);
    lines.push(
      entry.available
        ? `  ✓ ${name}  ${versionsOf(entry.versions)} on ${entry.device}${entry.source?.startsWith('@tensorflow/') ? '' : ` from ${entry.source}`}`
        : `  ✗ ${name}  ${entry.reason}`,
    );
  }
  const best = report.backends.find((entry) => entry.available);
  lines.push(
    '',
    best
      ? `Training starts from ${best.backend}; a model that trains faster on wasm (a small MLP) is trained there, and the run says why.`
      : 'No backend loads.',
  );
  const { native } = report;
  lines.push('', `Native TensorFlow (cache ${tensorflowCacheRoot()}):`);
  for (const probe of native.probes) {
    lines.push(
      `  ${probe.ok ? '✓' : '✗'} ${probe.candidate.label}: ${probe.ok ? `${versionsOf(probe.versions)} on ${probe.device}` : probe.reason}`,
    );
  }
  for (const entry of native.unavailable) lines.push(`  - ${entry.label}: ${entry.reason}`);
  lines.push(
    `  NVIDIA driver: ${native.nvidia ? `${native.nvidia.version}${native.nvidia.gpus.length ? ` (${native.nvidia.gpus.join(', ')})` : ''}` : 'none'}`,
  );
  return lines.join('\n');
}

async function main(): Promise<void> {
  const report = await probeBackends();
  process.stdout.write(
    process.argv.includes('--json') ? `${JSON.stringify(report, null, 2)}\n` : `${formatReport(report)}\n`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exitCode = 1;
  });
}
