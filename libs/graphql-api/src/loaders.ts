import DataLoader from 'dataloader';
import type {
  DatasetRecord,
  DeploymentKeyRecord,
  DeploymentRecord,
  DeploymentRevisionRecord,
  ServingInstanceRecord,
  DatasetVersionRecord,
  EvaluationRecord,
  ModelAliasRecord,
  ModelRecord,
  ModelVersionRecord,
  BinaryOutcomes,
  Page,
  Registry,
  RunRecord,
} from '@lepton/registry';
import type { ProjectSource, UserSource } from './mappers';

/**
 * Per-request batching: nested fields of a list resolve in one statement per field, however many
 * parents there are. Loaders serve children of objects whose access was already checked.
 */
export interface Loaders {
  project: DataLoader<string, ProjectSource | null>;
  model: DataLoader<string, ModelRecord | null>;
  version: DataLoader<string, ModelVersionRecord | null>;
  dataset: DataLoader<string, DatasetRecord | null>;
  datasetVersion: DataLoader<string, DatasetVersionRecord | null>;
  run: DataLoader<string, RunRecord | null>;
  latestVersion: DataLoader<string, ModelVersionRecord | null>;
  aliasesOfModel: DataLoader<string, ModelAliasRecord[]>;
  aliasesOfVersion: DataLoader<string, string[]>;
  evaluationsOfVersion: DataLoader<string, EvaluationRecord[]>;
  evaluation: DataLoader<string, EvaluationRecord | null>;
  deployment: DataLoader<string, DeploymentRecord | null>;
  /** Binary per-example outcomes of an evaluation (null unless binary with scores). */
  evaluationOutcomes: DataLoader<string, BinaryOutcomes | null>;
  versionsOfRun: DataLoader<string, ModelVersionRecord[]>;
  /** One loader per (first, after) pair, since each page shape is its own batched query. */
  versionPage(first: number | null | undefined, after: string | null | undefined): DataLoader<string, Page<ModelVersionRecord>>;
  user: DataLoader<string, UserSource | null>;
  deploymentRevision: DataLoader<string, DeploymentRevisionRecord | null>;
  deploymentKeys: DataLoader<string, DeploymentKeyRecord[]>;
  revisionPage(first: number | null | undefined, after: string | null | undefined): DataLoader<string, Page<DeploymentRevisionRecord>>;
  /** The live serving processes, read once per request (revision states, status, endpoints). */
  liveInstances(): Promise<ServingInstanceRecord[]>;
}

function byId<T extends { id: string }>(load: (ids: readonly string[]) => Promise<T[]>) {
  return new DataLoader<string, T | null>(async (ids) => {
    const rows = new Map((await load(ids)).map((row) => [row.id, row]));
    return ids.map((id) => rows.get(id) ?? null);
  });
}

function groupedBy<T>(load: (ids: readonly string[]) => Promise<T[]>, keyOf: (row: T) => string) {
  return new DataLoader<string, T[]>(async (ids) => {
    const groups = new Map<string, T[]>(ids.map((id) => [id, []]));
    for (const row of await load(ids)) groups.get(keyOf(row))?.push(row);
    return ids.map((id) => groups.get(id) ?? []);
  });
}

/** A DataLoader per page shape, each batching its parents' pages into one query. */
function pagesByShape<T>(load: (ids: readonly string[], page: { first: number | null | undefined; after: string | null | undefined }) => Promise<Map<string, Page<T>>>) {
  const loaders = new Map<string, DataLoader<string, Page<T>>>();
  return (first: number | null | undefined, after: string | null | undefined) => {
    const shape = `${first ?? ''}|${after ?? ''}`;
    let loader = loaders.get(shape);
    if (!loader) {
      loader = new DataLoader(async (ids) => {
        const pages = await load(ids, { first, after });
        return ids.map((id) => pages.get(id)!);
      });
      loaders.set(shape, loader);
    }
    return loader;
  };
}

export function createLoaders(registry: Registry): Loaders {
  let liveInstances: Promise<ServingInstanceRecord[]> | undefined;
  const aliasesOfVersion = groupedBy((ids) => registry.versions.aliasesOfVersions(ids), (alias) => alias.versionId);
  return {
    project: byId((ids) => registry.projects.byIds(ids)),
    model: byId((ids) => registry.models.byIds(ids)),
    version: byId((ids) => registry.versions.byIds(ids)),
    dataset: byId((ids) => registry.datasets.datasetsByIds(ids)),
    datasetVersion: byId((ids) => registry.datasets.versionsByIds(ids)),
    run: byId((ids) => registry.runs.byIds(ids)),
    latestVersion: new DataLoader(async (modelIds) => {
      const latest = new Map((await registry.versions.latestReadyOfModels(modelIds)).map((v) => [v.modelId, v]));
      return modelIds.map((id) => latest.get(id) ?? null);
    }),
    aliasesOfModel: groupedBy((ids) => registry.versions.aliasesOfModels(ids), (alias) => alias.modelId),
    aliasesOfVersion: new DataLoader(async (ids) =>
      (await aliasesOfVersion.loadMany(ids)).map((aliases) => (aliases instanceof Error ? [] : aliases.map((a) => a.alias))),
    ),
    evaluationsOfVersion: groupedBy((ids) => registry.evaluations.forVersions(ids), (evaluation) => evaluation.modelVersionId),
    evaluation: byId((ids) => registry.evaluations.byIds(ids)),
    deployment: byId((ids) => registry.deployments.byIds(ids)),
    evaluationOutcomes: new DataLoader(async (ids) => {
      const outcomes = await registry.evaluations.binaryOutcomesOf(ids);
      return ids.map((id) => outcomes.get(id) ?? null);
    }),
    versionsOfRun: groupedBy((ids) => registry.versions.bySourceRuns(ids), (version) => version.sourceRunId ?? ''),
    versionPage: pagesByShape((ids, page) => registry.versions.versionsOfModels(ids, page)),
    user: byId((ids) => registry.auth.usersByIds(ids)),
    deploymentRevision: byId((ids) => registry.deployments.revisionsByIds(ids)),
    deploymentKeys: groupedBy((ids) => registry.deployments.keysOfDeployments(ids), (key) => key.deploymentId),
    revisionPage: pagesByShape((ids, page) => registry.deployments.revisionsOfDeployments(ids, page)),
    liveInstances: () => (liveInstances ??= registry.servingInstances.live()),
  };
}
