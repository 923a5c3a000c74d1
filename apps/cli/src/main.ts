/**
 * lepton — the command line for a Lepton API. Every command takes --json (one JSON document on
 * stdout), reads the API URL and token from flags, LEPTON_API_URL / LEPTON_TOKEN, or `lepton login`.
 */
import { Command, Option } from 'commander';
import { CliError, gql, upload, type Connection } from './api-client';
import { apiUrl, connection, save } from './config';
import { runDoctor } from './doctor';
import { timeLeft } from './eta';
import { bar, enumValue, integer, list, number, output, type GlobalOptions } from './command-helpers';
import { registerDeploymentCommands } from './deployments';
import { labelNotice } from './label-notice';
import { QUERIES } from './queries';
import { readToken } from './read-token';
import { registerScenarioCommands } from './scenarios';

const FORMATS: Record<string, string> = {
  csv: 'CSV',
  'mnist-idx': 'MNIST_IDX',
  cifar10: 'CIFAR10_BINARY',
  'image-folder': 'IMAGE_FOLDER',
};

interface WatchedRun {
  id: string;
  name: string;
  status: string;
  attempt: number;
  lease: { state: 'ACTIVE' | 'LOST' | 'RELEASED' } | null;
  progress: number;
  etaSeconds: number | null;
  backend: string | null;
  error: string | null;
  latestMetrics: { key: string; step: number; value: number }[];
  modelVersion: { number: number; model: { name: string } } | null;
}

/** What a running training run waits for when no worker holds it. */
const WAITING = { LOST: 'worker lost, waiting to resume', RELEASED: 'handed back, waiting for a worker' } as const;

function waitingNote(run: WatchedRun): string | null {
  return run.lease && run.lease.state !== 'ACTIVE' ? WAITING[run.lease.state] : null;
}

/**
 * Polls the run until it ends, drawing a progress bar with loss, accuracy and ETA. A run whose
 * worker was lost or handed it back says so (in the bar, or as a line when there is no bar).
 */
async function watchRun(api: Connection, options: GlobalOptions, id: string): Promise<WatchedRun> {
  // Not `{eta}`: cli-progress fills that from its own estimate (unitless, "INF" at 0%).
  const progress = bar(options, 'run |{bar}| {percentage}% | {status} | loss {loss} | acc {accuracy} | {left}');
  progress?.start(100, 0, { status: '-', loss: '-', accuracy: '-', left: '-' });
  let shownNote: string | null = null;
  for (;;) {
    const { run } = await gql<{ run: WatchedRun | null }>(api, QUERIES.watchRun, { id });
    if (!run) throw new CliError(`No run ${id}`);
    const note = waitingNote(run);
    if (!progress && note && note !== shownNote) process.stderr.write(`run ${run.id}: ${note} (attempt ${run.attempt})\n`);
    shownNote = note;
    const metric = (key: string) => run.latestMetrics.find((m) => m.key === key)?.value.toFixed(4) ?? '-';
    progress?.update(Math.round(run.progress * 100), {
      status: note ? `${run.status} (${note})` : run.status,
      loss: metric('loss'),
      accuracy: metric('accuracy'),
      left: timeLeft(run.status, run.etaSeconds),
    });
    if (['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(run.status)) {
      progress?.stop();
      return run;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

function runSummary(run: WatchedRun): string {
  const version = run.modelVersion ? ` → ${run.modelVersion.model.name} v${run.modelVersion.number}` : '';
  return `run ${run.id} ${run.status}${version}${run.error ? `: ${run.error}` : ''}`;
}

export function program(): Command {
  const cli = new Command('lepton')
    .description('Lepton: datasets, training, runs and models from the command line')
    .option('--url <url>', 'GraphQL endpoint (or LEPTON_API_URL, else the URL `lepton login` saved, else http://localhost:4000/graphql)')
    .option('--token <token>', 'API token (LEPTON_TOKEN)')
    .option('--project <name>', 'project', 'default')
    .option('--json', 'print one JSON document on stdout')
    .showHelpAfterError();
  const globals = () => cli.opts<GlobalOptions>();
  const api = () => connection(globals());

  cli
    .command('login')
    .description('read an API token from stdin, check it against the API and save it with the URL for later commands')
    .addHelpText(
      'after',
      `
The token is read from stdin: paste it when asked (it is not echoed), or pipe it in:
  lepton login < .data/admin-token
  lepton --url https://lepton.example.com/graphql login < token.txt
--token <token> is used instead of stdin when given. The token and URL are saved to
~/.config/lepton/config.json (mode 0600); --url, LEPTON_API_URL and LEPTON_TOKEN still win over them.`,
    )
    .action(async () => {
      const options = globals();
      const credentials = { ...apiUrl(options), token: options.token ?? (await readToken()) };
      const { viewer } = await gql<{ viewer: { user: { name: string } } }>(credentials, QUERIES.viewer);
      const file = save(credentials);
      output(options, { user: viewer.user.name, url: credentials.url, saved: file }, () => `Logged in as ${viewer.user.name}; saved to ${file}`);
    });

  const datasets = cli.command('datasets').description('datasets');
  datasets
    .command('import <file>')
    .description('upload a file and import it as a new dataset version')
    .requiredOption('--name <name>', 'dataset name')
    .addOption(new Option('--format <format>', 'file format').choices(Object.keys(FORMATS)).makeOptionMandatory())
    .option('--label <column>', 'label column (csv)')
    .option('--ignore <columns>', 'comma-separated columns to ignore (csv)', list)
    .option('--delimiter <d>', 'field delimiter (csv; detected when omitted)')
    .option('--positive-labels <values>', 'comma-separated label values that make the positive class; the rest is negative (csv, mnist)', list)
    .option('--categorical <columns>', 'comma-separated numeric-coded columns to one-hot encode (csv)', list)
    .option('--test-fraction <f>', 'test split fraction', number)
    .option('--validation-fraction <f>', 'validation split fraction', number)
    .option('--seed <n>', 'split seed', integer)
    .action(async (file: string, flags) => {
      const options = globals();
      const credentials = api();
      const progress = bar(options, 'upload |{bar}| {percentage}% | {value}/{total} bytes');
      progress?.start(1, 0);
      const uploaded = await upload(credentials, file, options.project, (sent, total) => {
        progress?.setTotal(total);
        progress?.update(sent);
      });
      progress?.stop();
      const { importDataset } = await gql<{ importDataset: { id: string; number: number; exampleCount: number; contentSha256: string; splits: unknown; schema: unknown } }>(
        credentials,
        QUERIES.importDataset,
        {
          input: {
            project: options.project,
            name: flags.name,
            format: FORMATS[flags.format],
            uploadId: uploaded.uploadId,
            options: {
              label: flags.label,
              ignore: flags.ignore,
              delimiter: flags.delimiter,
              positiveLabels: flags.positiveLabels,
              categorical: flags.categorical,
              testFraction: flags.testFraction,
              validationFraction: flags.validationFraction,
              seed: flags.seed,
            },
          },
        },
      );
      const notice = flags.format === 'csv' ? labelNotice(flags.label, importDataset.schema) : null;
      if (notice) process.stderr.write(notice + '\n');
      output(options, importDataset, () => `Imported ${flags.name} v${importDataset.number}: ${importDataset.exampleCount} examples (id ${importDataset.id})`);
    });
  datasets
    .command('list')
    .description('list datasets')
    .action(async () => {
      const options = globals();
      const { datasets: page } = await gql<{ datasets: { edges: { node: { name: string; versionCount: number } }[] } }>(api(), QUERIES.datasets, {
        project: options.project,
      });
      const rows = page.edges.map((edge) => edge.node);
      output(options, rows, () => rows.map((row) => `${row.name}\t${row.versionCount} version(s)`).join('\n') || '(no datasets)');
    });

  cli
    .command('train')
    .description('start a training run (and watch it with --watch)')
    .requiredOption('--model <name>', 'model to register the result under')
    .requiredOption('--dataset <name[:version]>', 'dataset, latest version unless given')
    .requiredOption('--arch <architecture>', 'mlp, cnn-small or cnn-tiny (or MLP, CNN_SMALL, CNN_TINY)', enumValue)
    .option('--epochs <n>', 'epochs', integer, 5)
    .option('--batch-size <n>', 'batch size', integer)
    .option('--lr <rate>', 'learning rate', number)
    .option('--optimizer <name>', 'adam (default) or sgd', enumValue)
    .option('--seed <n>', 'seed', integer)
    .option('--hidden-units <list>', 'MLP hidden layer sizes, e.g. 64,32', (value: string) => list(value).map(integer))
    .option('--dropout <rate>', 'dropout rate', number)
    .option('--activation <name>', 'MLP hidden activation: relu (default), tanh or gelu', enumValue)
    .option(
      '--patience <n>',
      'early-stopping patience in epochs (default 5 with a validation split; 0 turns it off)',
      integer,
    )
    .option('--watch', 'follow the run until it ends')
    .action(async (flags) => {
      const options = globals();
      const credentials = api();
      const [datasetName, versionText] = String(flags.dataset).split(':');
      const { dataset } = await gql<{ dataset: { latestVersion: { id: string } | null; version: { id: string } | null } | null }>(
        credentials,
        QUERIES.datasetVersion,
        { project: options.project, name: datasetName, number: versionText ? integer(versionText) : 1, pinned: Boolean(versionText) },
      );
      const version = versionText ? dataset?.version : dataset?.latestVersion;
      if (!version) throw new CliError(`No dataset ${flags.dataset} in project ${options.project}`);
      const { startTraining } = await gql<{ startTraining: { id: string; status: string } }>(credentials, QUERIES.startTraining, {
        input: {
          project: options.project,
          model: flags.model,
          datasetVersionId: version.id,
          spec: {
            architecture: flags.arch,
            hiddenUnits: flags.hiddenUnits,
            dropout: flags.dropout,
            activation: flags.activation,
          },
          hyperparameters: {
            epochs: flags.epochs,
            batchSize: flags.batchSize,
            learningRate: flags.lr,
            optimizer: flags.optimizer,
            seed: flags.seed,
            earlyStoppingPatience: flags.patience,
          },
        },
      });
      if (!flags.watch) {
        output(options, startTraining, () => `Queued run ${startTraining.id}; follow it with: lepton runs watch ${startTraining.id}`);
        return;
      }
      const run = await watchRun(credentials, options, startTraining.id);
      output(options, run, () => runSummary(run));
      if (run.status !== 'SUCCEEDED') process.exitCode = 1;
    });

  const runs = cli.command('runs').description('runs');
  runs
    .command('watch <id>')
    .description('live progress, loss, accuracy and ETA until the run ends')
    .action(async (id: string) => {
      const options = globals();
      const run = await watchRun(api(), options, id);
      output(options, run, () => runSummary(run));
      if (run.status !== 'SUCCEEDED') process.exitCode = 1;
    });

  cli
    .command('doctor')
    .description('which TensorFlow backends load on this machine (versions, devices), and why the others do not')
    .action(async () => {
      process.exitCode = await runDoctor(globals().json === true);
    });

  const models = cli.command('models').description('registered models');
  models
    .command('list')
    .description('list models')
    .action(async () => {
      const options = globals();
      const { models: page } = await gql<{ models: { edges: { node: { name: string; task: string; versionCount: number; latestVersion: { number: number } | null } }[] } }>(
        api(),
        QUERIES.models,
        { project: options.project },
      );
      const rows = page.edges.map((edge) => edge.node);
      output(options, rows, () => rows.map((row) => `${row.name}\t${row.task || '-'}\t${row.versionCount} version(s)\tlatest ${row.latestVersion?.number ?? '-'}`).join('\n') || '(no models)');
    });
  models
    .command('show <name>')
    .description('a model with its versions, aliases and evaluations')
    .action(async (name: string) => {
      const options = globals();
      const { model } = await gql<{ model: { name: string; aliases: { alias: string; version: { number: number } }[]; versions: { edges: { node: { number: number; status: string; evaluations: { split: string; metrics: Record<string, number> }[] } }[] } } | null }>(
        api(),
        QUERIES.model,
        { project: options.project, name },
      );
      if (!model) throw new CliError(`No model ${name} in project ${options.project}`);
      output(options, model, () =>
        [
          `${model.name}  aliases: ${model.aliases.map((a) => `${a.alias}→v${a.version.number}`).join(', ') || '-'}`,
          ...model.versions.edges.map(({ node }) => {
            const metrics = node.evaluations.map((e) => `${e.split}: ${Object.entries(e.metrics).map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', ')}`);
            return `  v${node.number}  ${node.status}  ${metrics.join(' | ') || 'no evaluation'}`;
          }),
        ].join('\n'),
      );
    });

  registerDeploymentCommands(cli, globals, api);
  registerScenarioCommands(cli, globals, api);
  return cli;
}

program()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    const message = error instanceof CliError ? error.message : error instanceof Error ? error.message : String(error);
    process.stderr.write(`lepton: ${message}\n`);
    process.exit(1);
  });
