/**
 * npm run tensorflow:install [-- --gpu | --cpu] [--force] [--verbose]
 * Sets up native TensorFlow 2.21 for the `tensorflow` / `tensorflow-gpu` backends (see provision.ts and the
 * README). Run by `npm ci` too (postinstall.mjs passes --postinstall): then any failure is one line and the
 * install still succeeds, since training falls back to wasm. Asked for explicitly, a failure exits with 1.
 */
import { Command } from 'commander';
import { megabytes } from './progress';
import { provision } from './provision';

interface Flags {
  gpu?: boolean;
  cpu?: boolean;
  force?: boolean;
  verbose?: boolean;
  postinstall?: boolean;
}

async function main(): Promise<void> {
  const flags = new Command('tensorflow:install')
    .option('--gpu', 'install the CUDA 12 build (default when an NVIDIA driver is present)')
    .option('--cpu', 'install the CPU build even where an NVIDIA driver is present')
    .option('--force', 'download, build and verify again')
    .option('--verbose', 'list every extracted file')
    .option('--postinstall', 'best effort, as part of npm ci')
    .parse()
    .opts<Flags>();
  if (flags.gpu && flags.cpu) throw new Error('--gpu and --cpu exclude each other');
  const result = await provision({
    variant: flags.gpu ? 'cuda' : flags.cpu ? 'cpu' : 'auto',
    force: !!flags.force,
    verbose: !!flags.verbose,
    log: (line) => process.stderr.write(`${line}\n`),
  });
  if (result.ok) {
    const state = result.reused ? 'already installed and loads' : 'installed and verified';
    console.log(
      `Lepton: native TensorFlow ready (${state}): TensorFlow ${result.tensorflow} ${result.variant} build on ${result.device}; ${megabytes(result.diskBytes)} in ${result.dir}`,
    );
    return;
  }
  console.log(
    `Lepton: native TensorFlow is not set up (${result.reason}); to fix: ${result.fix}. Training uses wasm until then.`,
  );
  if (!flags.postinstall) process.exitCode = 1;
}

main().catch((error: unknown) => {
  const postinstall = process.argv.includes('--postinstall');
  console.log(
    `Lepton: native TensorFlow is not set up (${(error instanceof Error ? error.message : String(error)).split('\n')[0]}). Training uses wasm until then.`,
  );
  process.exitCode = postinstall ? 0 : 1;
});
