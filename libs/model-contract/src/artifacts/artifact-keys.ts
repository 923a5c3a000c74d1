/**
 * Where everything lives in the artifact store, in one place: the trainer writes, the registry checks and the
 * inference lib reads these keys, so they agree by construction.
 */
export const artifactKeys = {
  /** An upload's folder (one file, under its own name). */
  upload: (projectId: string, uploadId: string) => `uploads/${projectId}/${uploadId}`,
  uploadFile: (projectId: string, uploadId: string, filename: string) => `uploads/${projectId}/${uploadId}/${filename}`,
  /** A dataset version's prepared data, addressed by its content hash. */
  dataset: (projectId: string, datasetName: string, contentSha256: string) =>
    `datasets/${projectId}/${datasetName}/${contentSha256}`,
  /** A training run's checkpoints while it runs (removed when it succeeds). */
  checkpoints: (projectId: string, runId: string) => `checkpoints/${projectId}/${runId}`,
  /** Every model folder of a project: a deployable version's artifactUri must resolve under it. */
  projectModels: (projectId: string) => `models/${projectId}/`,
  /** A trained model's folder (model.json + weights), per attempt: a stale attempt never replaces a registered one. */
  trainedModel: (projectId: string, modelName: string, runId: string, attempt: number) =>
    `models/${projectId}/${modelName}/${runId}/attempt-${attempt}`,
} as const;
