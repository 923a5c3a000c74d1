import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { CliError, gql, postJson, type Connection } from './api-client';
import { bar, integer, number, output, type GlobalOptions } from './command-helpers';
import { csvInstances } from './csv-rows';

/** The serving endpoint's limit per request; larger files go in chunks of this many rows. */
const INSTANCES_PER_REQUEST = 1024;

const DEPLOYMENT = `
  name status endpoint
  currentRevision { number modelVersion { number } }
  traffic { revision { number state } modelVersion { number } weight }
  canary { weight analysis { minRequests } lastAnalysis { verdict reason } }
  followAlias { alias rollout }
  model { name }`;

const DOCUMENTS = {
  create: `mutation($input: CreateDeploymentInput!) { createDeployment(input: $input) { ${DEPLOYMENT} } }`,
  list: `query($project: String!, $after: String) {
    deployments(project: $project, first: 100, after: $after) { edges { node { ${DEPLOYMENT} } } pageInfo { hasNextPage endCursor } }
  }`,
  show: `query($name: String!) { deployment(name: $name) { ${DEPLOYMENT} events(first: 10) { edges { node { kind message createdAt } } } } }`,
  canary: `mutation($name: String!, $version: Int!, $weight: Int!, $analysis: CanaryAnalysisInput) {
    setDeploymentCanary(name: $name, version: $version, weight: $weight, analysis: $analysis) { ${DEPLOYMENT} }
  }`,
  promote: `mutation($name: String!) { promoteCanary(name: $name) { ${DEPLOYMENT} } }`,
  rollback: `mutation($name: String!, $to: Int) { rollbackDeployment(name: $name, toRevision: $to) { ${DEPLOYMENT} } }`,
  delete: `mutation($name: String!) { deleteDeployment(name: $name) }`,
  predict: `mutation($name: String!, $instances: JSON!) {
    predict(deployment: $name, instances: $instances) { deployment revision modelVersion predictions { label probabilities } }
  }`,
  endpoint: `query($name: String!) { deployment(name: $name) { endpoint } }`,
  createKey: `mutation($deployment: String!, $name: String!) { createDeploymentKey(deployment: $deployment, name: $name) { key deploymentKey { id name prefix createdAt } } }`,
  revokeKey: `mutation($id: ID!) { revokeDeploymentKey(id: $id) { id name revokedAt } }`,
} as const;

interface Deployment {
  name: string;
  status: string;
  endpoint: string;
  currentRevision: { number: number; modelVersion: { number: number } };
  traffic: { revision: { number: number; state: string }; modelVersion: { number: number }; weight: number }[];
  canary: {
    weight: number;
    analysis: { minRequests: number } | null;
    lastAnalysis: { verdict: string; reason: string } | null;
  } | null;
  followAlias: { alias: string; rollout: string } | null;
  model: { name: string };
}

interface Prediction {
  deployment: string;
  revision: number;
  modelVersion: number;
  predictions: { label: string; probabilities: Record<string, number> }[];
}

function summary(deployment: Deployment): string {
  const split = deployment.traffic
    .map((part) => `r${part.revision.number} (v${part.modelVersion.number}, ${part.revision.state}) ${part.weight}%`)
    .join(' + ');
  const follows = deployment.followAlias
    ? `  follows ${deployment.followAlias.alias} (${deployment.followAlias.rollout})`
    : '';
  return `${deployment.name}\t${deployment.status}\t${deployment.model.name}\t${split}${follows}`;
}

/** `--analysis` with the thresholds given (the server fills in the rest), or none. */
function analysisOf(flags: Record<string, unknown>): Record<string, number> | undefined {
  const thresholds = {
    minRequests: flags['minRequests'],
    maxErrorRateDelta: flags['maxErrorRateDelta'],
    maxLatencyP99Ratio: flags['maxLatencyRatio'],
    intervalSeconds: flags['interval'],
    windowSeconds: flags['window'],
  };
  const given = Object.fromEntries(Object.entries(thresholds).filter(([, value]) => value !== undefined)) as Record<
    string,
    number
  >;
  if (!flags['analysis'] && Object.keys(given).length === 0) return undefined;
  return given;
}

function withAnalysisOptions(command: Command): Command {
  return command
    .option('--analysis', 'let the server promote or roll back the canary by itself (automatic canary analysis)')
    .option('--min-requests <n>', 'analysis: canary requests needed before deciding (default 100)', integer)
    .option(
      '--max-error-rate-delta <d>',
      'analysis: roll back when the canary errors this much more often (0..1, default 0.01)',
      number,
    )
    .option(
      '--max-latency-ratio <r>',
      "analysis: roll back when the canary's p99 exceeds the stable's times this (default 1.5)",
      number,
    )
    .option('--interval <seconds>', 'analysis: how often to look (default 30)', integer)
    .option('--window <seconds>', 'analysis: how far back to look (default 300)', integer);
}

function parseInstances(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${source} is not valid JSON: give a list of instances, e.g. '[{"age": 41}]'`);
  }
}

function instancesOf(flags: { file?: string; inline?: string; delimiter?: string }): unknown[] {
  if ((flags.file === undefined) === (flags.inline === undefined))
    throw new CliError("Give the instances with exactly one of --file rows.csv and --instances '[...]'");
  let instances: unknown;
  if (flags.inline !== undefined) instances = parseInstances(flags.inline, '--instances');
  else {
    let text: string;
    try {
      text = readFileSync(flags.file!, 'utf8');
    } catch {
      throw new CliError(`No such file: ${flags.file}`);
    }
    instances = flags.file!.toLowerCase().endsWith('.json')
      ? parseInstances(text, flags.file!)
      : csvInstances(text, flags.delimiter);
  }
  if (!Array.isArray(instances) || instances.length === 0)
    throw new CliError('Give at least one instance (a JSON list, or CSV rows under a header)');
  return instances;
}

/** Through the API's GraphQL predict, or (--direct) straight to the deployment's serving endpoint with the same token. */
async function predictChunk(
  api: Connection,
  name: string,
  instances: unknown[],
  endpoint: string | null,
): Promise<Prediction> {
  if (endpoint === null)
    return (await gql<{ predict: Prediction }>(api, DOCUMENTS.predict, { name, instances })).predict;
  return postJson<Prediction>(api, endpoint, { instances });
}

export function registerDeploymentCommands(
  cli: Command,
  globals: () => GlobalOptions,
  connect: () => Connection,
): void {
  withAnalysisOptions(
    cli
      .command('deploy <name>')
      .description('deploy a model version (or follow an alias) under a name unique across projects')
      .requiredOption('--model <name>', 'registered model')
      .option('--version <n>', 'the version to deploy', integer)
      .option('--alias <alias>', 'follow this alias: roll to its new version whenever it moves')
      .option(
        '--canary-weight <percent>',
        'with --alias: roll new versions out as a canary with this share of requests',
        integer,
      )
      .option('--max-batch-size <n>', 'dynamic batching: largest batch (default 32)', integer)
      .option('--max-queue-delay-ms <ms>', 'dynamic batching: longest wait to fill a batch (default 5)', integer)
      .option('--max-queue-size <n>', 'requests waiting beyond this are answered 503 (default 1024)', integer)
      .option('--log-payloads', 'keep the payload of sampled requests in the request log')
      .option('--retention-hours <h>', 'how long the request log is kept (default 168)', integer),
  ).action(async (name: string, flags) => {
    const options = globals();
    if ((flags.version === undefined) === (flags.alias === undefined))
      throw new CliError('Give exactly one of --version N and --alias NAME');
    const analysis = analysisOf(flags);
    if ((flags.canaryWeight !== undefined || analysis) && flags.alias === undefined) {
      throw new CliError(
        '--canary-weight and --analysis apply to deployments that follow an alias (--alias); use `lepton canary` otherwise',
      );
    }
    const { createDeployment } = await gql<{ createDeployment: Deployment }>(connect(), DOCUMENTS.create, {
      input: {
        project: options.project,
        name,
        model: flags.model,
        version: flags.version,
        alias: flags.alias,
        batching: {
          maxBatchSize: flags.maxBatchSize,
          maxQueueDelayMs: flags.maxQueueDelayMs,
          maxQueueSize: flags.maxQueueSize,
        },
        canary:
          flags.canaryWeight !== undefined || analysis ? { weight: flags.canaryWeight ?? 10, analysis } : undefined,
        logPayloads: flags.logPayloads ?? false,
        requestLogRetentionHours: flags.retentionHours,
      },
    });
    output(
      options,
      createDeployment,
      () => `Deployed ${summary(createDeployment)}\nPredict: POST ${createDeployment.endpoint}`,
    );
  });

  cli
    .command('deployments')
    .description("list the project's deployments with their traffic")
    .action(async () => {
      const options = globals();
      const rows: Deployment[] = [];
      let after: string | null = null;
      do {
        const page: {
          deployments: { edges: { node: Deployment }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
        } = await gql(connect(), DOCUMENTS.list, { project: options.project, after });
        rows.push(...page.deployments.edges.map((edge) => edge.node));
        after = page.deployments.pageInfo.hasNextPage ? page.deployments.pageInfo.endCursor : null;
      } while (after);
      output(options, rows, () => rows.map(summary).join('\n') || '(no deployments)');
    });

  cli
    .command('deployment <name>')
    .description('a deployment: traffic, canary analysis and recent events')
    .action(async (name: string) => {
      const options = globals();
      const { deployment } = await gql<{
        deployment:
          (Deployment & { events: { edges: { node: { kind: string; message: string; createdAt: string } }[] } }) | null;
      }>(connect(), DOCUMENTS.show, { name });
      if (!deployment) throw new CliError(`No deployment ${name}`);
      output(options, deployment, () =>
        [
          summary(deployment),
          `endpoint: ${deployment.endpoint}`,
          ...(deployment.canary?.lastAnalysis ? [`last analysis: ${deployment.canary.lastAnalysis.reason}`] : []),
          ...deployment.events.edges.map(({ node }) => `  ${node.createdAt}  ${node.kind}  ${node.message}`),
        ].join('\n'),
      );
    });

  withAnalysisOptions(
    cli
      .command('canary <name>')
      .description('send a share of requests to another version of the model')
      .requiredOption('--version <n>', 'the canary version', integer)
      .requiredOption('--weight <percent>', 'share of requests, 0..100', integer),
  ).action(async (name: string, flags) => {
    const options = globals();
    const { setDeploymentCanary } = await gql<{ setDeploymentCanary: Deployment }>(connect(), DOCUMENTS.canary, {
      name,
      version: flags.version,
      weight: flags.weight,
      analysis: analysisOf(flags),
    });
    output(options, setDeploymentCanary, () => summary(setDeploymentCanary));
  });

  cli
    .command('promote <name>')
    .description('make the canary the stable revision')
    .action(async (name: string) => {
      const options = globals();
      const { promoteCanary } = await gql<{ promoteCanary: Deployment }>(connect(), DOCUMENTS.promote, { name });
      output(options, promoteCanary, () => summary(promoteCanary));
    });

  cli
    .command('rollback <name>')
    .description('drop the canary, or go back to the previous stable revision (or --to N)')
    .option('--to <revision>', 'the revision to serve', integer)
    .action(async (name: string, flags) => {
      const options = globals();
      const { rollbackDeployment } = await gql<{ rollbackDeployment: Deployment }>(connect(), DOCUMENTS.rollback, {
        name,
        to: flags.to,
      });
      output(options, rollbackDeployment, () => summary(rollbackDeployment));
    });

  cli
    .command('undeploy <name>')
    .description('delete a deployment (its revisions, keys, events and request log)')
    .action(async (name: string) => {
      const options = globals();
      await gql(connect(), DOCUMENTS.delete, { name });
      output(options, { deleted: name }, () => `Deleted ${name}`);
    });

  cli
    .command('predict <name>')
    .description('predictions for rows of a CSV file (with a header) or a JSON list of instances')
    .option('--file <path>', 'rows.csv (header = feature names) or instances.json')
    // Not --json: that is every command's "print JSON" flag.
    .addOption(new Option('--instances <json>', 'instances as JSON, e.g. \'[{"age": 41}]\'').conflicts('file'))
    .option('--delimiter <d>', 'CSV delimiter', ',')
    .option('--direct', "call the deployment's serving endpoint instead of the API's predict")
    .action(async (name: string, flags) => {
      const options = globals();
      const api = connect();
      const instances = instancesOf({ file: flags.file, inline: flags.instances, delimiter: flags.delimiter });
      const endpoint = flags.direct
        ? ((await gql<{ deployment: { endpoint: string } | null }>(api, DOCUMENTS.endpoint, { name })).deployment
            ?.endpoint ?? null)
        : null;
      if (flags.direct && endpoint === null) throw new CliError(`No deployment ${name}`);
      const progress =
        instances.length > INSTANCES_PER_REQUEST
          ? bar(options, 'predict |{bar}| {value}/{total} rows | ETA {eta}s')
          : null;
      progress?.start(instances.length, 0);
      const answers: Prediction[] = [];
      for (let start = 0; start < instances.length; start += INSTANCES_PER_REQUEST) {
        answers.push(await predictChunk(api, name, instances.slice(start, start + INSTANCES_PER_REQUEST), endpoint));
        progress?.update(Math.min(instances.length, start + INSTANCES_PER_REQUEST));
      }
      progress?.stop();
      const predictions = answers.flatMap((answer) => answer.predictions);
      const revisions = [...new Set(answers.map((answer) => answer.revision))];
      const result = { deployment: name, revisions, predictions };
      output(options, result, () =>
        predictions
          .map((prediction, index) => {
            const top = prediction.probabilities[prediction.label];
            return `${index + 1}\t${prediction.label}${top === undefined ? '' : `\t${top.toFixed(4)}`}`;
          })
          .join('\n'),
      );
    });

  const keys = cli.command('deployment-keys').description("a deployment's invoke keys (Authorization: Bearer lepd_…)");
  keys
    .command('create <deployment>')
    .description('make an invoke key for one deployment; it is shown once')
    .option('--name <name>', 'what the key is for', 'default')
    .action(async (deployment: string, flags) => {
      const options = globals();
      const { createDeploymentKey } = await gql<{
        createDeploymentKey: { key: string; deploymentKey: { id: string; name: string } };
      }>(connect(), DOCUMENTS.createKey, { deployment, name: flags.name });
      output(
        options,
        createDeploymentKey,
        () =>
          `${createDeploymentKey.key}\n(key ${createDeploymentKey.deploymentKey.id}; shown once: store it now. Revoke with lepton deployment-keys revoke ${createDeploymentKey.deploymentKey.id})`,
      );
    });
  keys
    .command('revoke <id>')
    .description('revoke an invoke key')
    .action(async (id: string) => {
      const options = globals();
      const { revokeDeploymentKey } = await gql<{
        revokeDeploymentKey: { id: string; name: string; revokedAt: string };
      }>(connect(), DOCUMENTS.revokeKey, { id });
      output(options, revokeDeploymentKey, () => `Revoked key ${revokeDeploymentKey.name} (${revokeDeploymentKey.id})`);
    });
}
