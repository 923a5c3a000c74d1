/**
 * npm run soak [-- --minutes 10] (or LEPTON_SOAK_MINUTES): the platform as `npm start` runs it,
 * under minutes of mixed load on loopback; see soak.ts for what it does and what passing means.
 * Writes tools/bench/results/soak.json, prints a summary, exits 1 when a criterion fails.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_LOAD, runSoak, type SoakReport } from './soak';

const RESULTS_FILE = path.resolve(__dirname, '../bench/results/soak.json');

function positive(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw.trim() === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    console.error(`${name} must be a positive number (got ${JSON.stringify(raw)})`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string' },
      'points-per-second': { type: 'string' },
      'api-processes': { type: 'string' },
      output: { type: 'string' },
    },
  });
  const minutes = positive('--minutes', values.minutes ?? process.env['LEPTON_SOAK_MINUTES'], 10);
  const apiProcesses = values['api-processes'] ?? process.env['LEPTON_API_PROCESSES'];
  const output = values.output ? path.resolve(values.output) : RESULTS_FILE;
  const report = await runSoak({
    ...DEFAULT_LOAD,
    metricPointsPerSecond: positive(
      '--points-per-second',
      values['points-per-second'],
      DEFAULT_LOAD.metricPointsPerSecond,
    ),
    durationSeconds: Math.round(minutes * 60),
    memorySampleIntervalMs: 3_000,
    ...(apiProcesses ? { apiProcesses: positive('--api-processes', apiProcesses, 1) } : {}),
    log: (line) => console.log(`[soak] ${line}`),
  });
  mkdirSync(path.dirname(output), { recursive: true });
  // Written aside then renamed, so an interrupted run never leaves a truncated file.
  writeFileSync(`${output}.tmp`, JSON.stringify(report, null, 2) + '\n');
  renameSync(`${output}.tmp`, output);
  printSummary(report);
  console.log(`Report written to ${path.relative(process.cwd(), output)}`);
  process.exit(report.passed ? 0 : 1);
}

function printSummary(report: SoakReport): void {
  console.log('');
  console.log(
    `Soak: ${report.loadSeconds} s of mixed load after ${report.setupSeconds} s of setup; load average ${report.machine.loadAverageAtStart.join(' ')} at start, ${report.machine.loadAverageAtEnd.join(' ')} at end`,
  );
  console.log(
    `  ${report.load.requests} requests, ${report.load.metricPoints} metric points (${report.load.metricPointsPerSecond}/s), ${report.load.imports} imports, ${report.load.trainings} trainings, ${report.load.predictions} predictions`,
  );
  for (const process of report.memory?.processes ?? []) {
    console.log(
      `  ${process.name.padEnd(22)} ${process.measure.padEnd(7)} ${String(process.secondThirdMedianMb).padStart(7)} -> ${String(process.lastThirdMedianMb).padStart(7)} MB (x${process.ratio}, ${process.slopeMbPerMinute} MB/min)${process.flat ? '' : '  NOT FLAT'}`,
    );
  }
  for (const [name, criterion] of Object.entries(report.criteria)) {
    console.log(`  ${criterion.passed ? 'pass' : 'FAIL'}  ${name}: ${criterion.detail}`);
  }
  for (const failure of report.failureSamples.slice(0, 10)) {
    console.log(
      `  at ${failure.at} s ${failure.operation} ${failure.kind}${failure.status ? ` ${failure.status}` : ''}: ${failure.message}`,
    );
  }
  console.log(report.passed ? 'PASSED' : 'FAILED');
}

main().catch((error) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
