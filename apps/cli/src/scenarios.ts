import { MultiBar, type SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { CliError, gql, type Connection } from './api-client';
import { output, type GlobalOptions } from './command-helpers';

const KEYS: Record<string, string> = { medical: 'MEDICAL', security: 'SECURITY', finance: 'FINANCE' };

const SCENARIO = `
  key title state preparedAt
  demos {
    key title state deploymentName
    steps { kind status progress message }
    evaluation { metrics }
  }`;

const DOCUMENTS = {
  list: `query($project: String!) { scenarios(project: $project) { ${SCENARIO} } }`,
  show: `query($project: String!, $key: ScenarioKey!) { scenario(project: $project, key: $key) { ${SCENARIO} } }`,
  prepare: `mutation($project: String!, $key: ScenarioKey!) { prepareScenario(project: $project, key: $key) { ${SCENARIO} } }`,
} as const;

interface Step {
  kind: string;
  status: string;
  progress: number;
  message: string | null;
}

interface Demo {
  key: string;
  title: string;
  state: string;
  deploymentName: string;
  steps: Step[];
  evaluation: { metrics: Record<string, number> } | null;
}

interface Scenario {
  key: string;
  title: string;
  state: string;
  preparedAt: string | null;
  demos: Demo[];
}

const POLL_MS = 1000;

/** 0..100 over the four steps, the current one by its own progress. */
function percent(demo: Demo): number {
  const done = demo.steps.filter((step) => step.status === 'DONE').length;
  const current = demo.steps.find((step) => step.status === 'RUNNING');
  return Math.round(((done + (current?.progress ?? 0)) / demo.steps.length) * 100);
}

/** The step being worked on (or that failed), e.g. "TRAIN: Training scenario-phishing-mlp-… 40 %". */
function currentStep(demo: Demo): string {
  const step = demo.steps.find((candidate) => candidate.status === 'FAILED') ?? demo.steps.find((candidate) => candidate.status !== 'DONE');
  if (!step) return demo.state === 'READY' ? `deployed as ${demo.deploymentName}` : 'all steps done';
  return `${step.kind}${step.status === 'FAILED' ? ' FAILED' : ''}${step.message ? `: ${step.message}` : ''}`;
}

function metricsOf(demo: Demo): string {
  return Object.entries(demo.evaluation?.metrics ?? {})
    .filter(([name]) => ['accuracy', 'auc', 'f1'].includes(name))
    .map(([name, value]) => `${name} ${value.toFixed(3)}`)
    .join(', ');
}

function summary(scenario: Scenario): string {
  return [
    `${scenario.key} ${scenario.title}: ${scenario.state}`,
    ...scenario.demos.map((demo) => `  ${demo.key}\t${demo.state}\t${currentStep(demo)}${demo.evaluation ? `\t${metricsOf(demo)}` : ''}`),
  ].join('\n');
}

/**
 * Shows each demo's progress (a bar per demo on a terminal, a line per step change otherwise) until
 * every demo is READY or one FAILED.
 */
async function follow(api: Connection, options: GlobalOptions, key: string, first: Scenario): Promise<Scenario> {
  const terminal = !options.json && process.stderr.isTTY;
  const bars = terminal ? new MultiBar({ format: '{demo} |{bar}| {percentage}% | {step}', stream: process.stderr, hideCursor: true, clearOnComplete: false }) : null;
  const demoBars = new Map<string, SingleBar>();
  const shown = new Map<string, string>();
  const width = Math.max(...first.demos.map((demo) => demo.key.length));
  let scenario = first;
  for (;;) {
    for (const demo of scenario.demos) {
      const line = currentStep(demo);
      if (bars) {
        const existing = demoBars.get(demo.key) ?? bars.create(100, 0, { demo: demo.key.padEnd(width), step: line });
        demoBars.set(demo.key, existing);
        existing.update(percent(demo), { step: line });
      } else if (!options.json && shown.get(demo.key) !== line) {
        process.stderr.write(`${demo.key}: ${line}\n`);
      }
      shown.set(demo.key, line);
    }
    if (scenario.state === 'READY' || scenario.state === 'FAILED') break;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    scenario = (await gql<{ scenario: Scenario }>(api, DOCUMENTS.show, { project: options.project, key })).scenario;
  }
  bars?.stop();
  return scenario;
}

export function registerScenarioCommands(cli: Command, globals: () => GlobalOptions, connect: () => Connection): void {
  const scenarios = cli
    .command('scenarios')
    .description('the scenario demos (medical, security, finance) and their state')
    .action(async () => {
      const options = globals();
      const { scenarios: all } = await gql<{ scenarios: Scenario[] }>(connect(), DOCUMENTS.list, { project: options.project });
      output(options, all, () => all.map(summary).join('\n'));
    });
  scenarios
    .command('prepare <scenario>')
    .description('import, train, evaluate and deploy a scenario’s demos (medical, security or finance); waits until deployed')
    .action(async (name: string) => {
      const key = KEYS[name.toLowerCase()];
      if (!key) throw new CliError(`Unknown scenario "${name}": choose ${Object.keys(KEYS).join(', ')}`);
      const options = globals();
      const api = connect();
      const { prepareScenario } = await gql<{ prepareScenario: Scenario }>(api, DOCUMENTS.prepare, { project: options.project, key });
      const scenario = await follow(api, options, key, prepareScenario);
      output(options, scenario, () => summary(scenario));
      if (scenario.state !== 'READY') process.exitCode = 1;
    });
}
