/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = T | null | undefined;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time, always UTC on output. */
  DateTime: { input: string; output: string; }
  /** Any JSON value. */
  JSON: { input: unknown; output: unknown; }
};

/** The hidden layers' activation (MLP). */
export type Activation =
  | 'GELU'
  | 'RELU'
  | 'TANH';

/** How a deployment that follows an alias rolls out the alias's new versions. */
export type AliasCanaryInput = {
  /** Without it the canary waits for promoteCanary or rollbackDeployment. */
  analysis?: InputMaybe<CanaryAnalysisInput>;
  /** Percent of requests the new version gets, 1..100. */
  weight: Scalars['Int']['input'];
};

export type AliasFollowing = {
  alias: Scalars['String']['output'];
  analysis?: Maybe<CanaryAnalysis>;
  /** For rollout CANARY. */
  canaryWeight?: Maybe<Scalars['Int']['output']>;
  rollout: AliasRollout;
};

/** What a deployment that follows an alias does when the alias moves. */
export type AliasRollout =
  /** The new version starts as a canary, with the deployment's canary weight and analysis. */
  | 'CANARY'
  /** The new version becomes the stable revision at once. */
  | 'DIRECT';

export type ApiToken = {
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** First characters of the token, to tell tokens apart; the token itself is never stored. */
  prefix: Scalars['String']['output'];
  /** The only project this token can reach; null for a personal token. */
  project?: Maybe<Project>;
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Caps the owner's role; null means the owner's membership role applies. */
  role?: Maybe<Role>;
  user: User;
};

/** What the model is; the contract (libs/model-contract) names it mlp, cnn-small, cnn-tiny. */
export type Architecture =
  /** Conv2D(32)→MaxPool→Conv2D(64)→MaxPool→Conv2D(64)→Flatten→Dense(64)→Dense(n), the tfjs-examples MNIST network: images of at least 18×18. */
  | 'CNN_SMALL'
  /** Conv2D(8)→MaxPool→Flatten→Dense(n): images of at least 4×4; small enough for tests and smoke runs. */
  | 'CNN_TINY'
  /** Dense hidden layers (hiddenUnits, activation, dropout): tabular data. */
  | 'MLP';

export type AuditEvent = {
  action: Scalars['String']['output'];
  actor?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  details: Scalars['JSON']['output'];
  id: Scalars['ID']['output'];
  targetId: Scalars['String']['output'];
  targetType: Scalars['String']['output'];
};

export type AuditEventConnection = {
  edges: Array<AuditEventEdge>;
  pageInfo: PageInfo;
};

export type AuditEventEdge = {
  cursor: Scalars['String']['output'];
  node: AuditEvent;
};

/** The dynamic batcher of a revision. */
export type Batching = {
  maxBatchSize: Scalars['Int']['output'];
  maxQueueDelayMs: Scalars['Int']['output'];
  /** Requests waiting beyond this are answered 503 with Retry-After. */
  maxQueueSize: Scalars['Int']['output'];
};

/** Left-out fields take these defaults. */
export type BatchingInput = {
  maxBatchSize?: InputMaybe<Scalars['Int']['input']>;
  maxQueueDelayMs?: InputMaybe<Scalars['Int']['input']>;
  maxQueueSize?: InputMaybe<Scalars['Int']['input']>;
};

export type Canary = {
  /** null: promote or roll back by hand. */
  analysis?: Maybe<CanaryAnalysis>;
  /** The latest automatic analysis of this canary. */
  lastAnalysis?: Maybe<CanaryAnalysisResult>;
  revision: DeploymentRevision;
  startedAt: Scalars['DateTime']['output'];
  weight: Scalars['Int']['output'];
};

export type CanaryAnalysis = {
  intervalSeconds: Scalars['Int']['output'];
  maxErrorRateDelta: Scalars['Float']['output'];
  maxLatencyP99Ratio: Scalars['Float']['output'];
  minRequests: Scalars['Int']['output'];
  windowSeconds: Scalars['Int']['output'];
};

/**
 * Compare canary and stable every intervalSeconds over the last windowSeconds: with at least
 * minRequests canary requests, roll back when the canary's error rate exceeds the stable's by more
 * than maxErrorRateDelta or its p99 latency exceeds the stable's times maxLatencyP99Ratio, else promote.
 */
export type CanaryAnalysisInput = {
  intervalSeconds?: InputMaybe<Scalars['Int']['input']>;
  maxErrorRateDelta?: InputMaybe<Scalars['Float']['input']>;
  maxLatencyP99Ratio?: InputMaybe<Scalars['Float']['input']>;
  minRequests?: InputMaybe<Scalars['Int']['input']>;
  windowSeconds?: InputMaybe<Scalars['Int']['input']>;
};

export type CanaryAnalysisResult = {
  at: Scalars['DateTime']['output'];
  figures: CanaryFigures;
  reason: Scalars['String']['output'];
  verdict: CanaryVerdict;
};

/** The numbers an analysis decision was made on (error rates 0..1, latencies in ms). */
export type CanaryFigures = {
  canaryErrorRate?: Maybe<Scalars['Float']['output']>;
  canaryP99Ms?: Maybe<Scalars['Float']['output']>;
  canaryRequests: Scalars['Int']['output'];
  errorRateDelta?: Maybe<Scalars['Float']['output']>;
  p99Ratio?: Maybe<Scalars['Float']['output']>;
  stableErrorRate?: Maybe<Scalars['Float']['output']>;
  stableP99Ms?: Maybe<Scalars['Float']['output']>;
  stableRequests: Scalars['Int']['output'];
};

export type CanaryVerdict =
  | 'PROMOTE'
  | 'ROLL_BACK'
  /** Fewer canary requests than minRequests in the window: nothing decided yet. */
  | 'WAIT';

export type CreateApiTokenInput = {
  name: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
  role: Role;
  /** Owner of the token (a member of the project); defaults to the caller. */
  user?: InputMaybe<Scalars['String']['input']>;
};

export type CreateDatasetInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type CreateDatasetVersionInput = {
  contentSha256: Scalars['String']['input'];
  dataset: Scalars['String']['input'];
  description?: InputMaybe<Scalars['String']['input']>;
  exampleCount: Scalars['Int']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
  schema?: InputMaybe<Scalars['JSON']['input']>;
  sizeBytes: Scalars['Float']['input'];
  source?: InputMaybe<Scalars['String']['input']>;
  splits?: InputMaybe<Scalars['JSON']['input']>;
  storageUri: Scalars['String']['input'];
};

export type CreateDeploymentInput = {
  /** Follow the alias: roll to its new version whenever it moves (setModelAlias, promoteModelVersion). */
  alias?: InputMaybe<Scalars['String']['input']>;
  batching?: InputMaybe<BatchingInput>;
  /** With alias: roll new versions out as a canary instead of directly. */
  canary?: InputMaybe<AliasCanaryInput>;
  logPayloads?: InputMaybe<Scalars['Boolean']['input']>;
  model: Scalars['String']['input'];
  /** 1-63 lowercase letters, digits and '-', unique across projects. */
  name: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
  requestLogRetentionHours?: InputMaybe<Scalars['Int']['input']>;
  /** Exactly one of version and alias. */
  version?: InputMaybe<Scalars['Int']['input']>;
};

export type CreateDeploymentKeyResult = {
  deploymentKey: DeploymentKey;
  /** Shown once: only its SHA-256 is stored. Send it as Authorization: Bearer <key>. */
  key: Scalars['String']['output'];
};

export type CreateModelVersionInput = {
  artifactUri: Scalars['String']['input'];
  datasetVersionId?: InputMaybe<Scalars['ID']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  framework?: InputMaybe<Scalars['String']['input']>;
  inputSignature?: InputMaybe<Scalars['JSON']['input']>;
  model: Scalars['String']['input'];
  outputSignature?: InputMaybe<Scalars['JSON']['input']>;
  project?: InputMaybe<Scalars['String']['input']>;
  runId?: InputMaybe<Scalars['ID']['input']>;
  status?: InputMaybe<ModelVersionStatus>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
};

export type CreateProjectInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};

export type CreateRunInput = {
  /** EXPERIMENT (default) or EVALUATION; TRAINING runs come from startTraining. */
  kind?: InputMaybe<RunKind>;
  name: Scalars['String']['input'];
  params?: InputMaybe<Scalars['JSON']['input']>;
  project?: InputMaybe<Scalars['String']['input']>;
};

export type CreatedApiToken = {
  apiToken: ApiToken;
  /** Shown once: store it now. */
  token: Scalars['String']['output'];
};

export type Dataset = {
  createdAt: Scalars['DateTime']['output'];
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The newest READY version (IMPORTING and FAILED ones are skipped). */
  latestVersion?: Maybe<DatasetVersion>;
  name: Scalars['String']['output'];
  tags: Array<Scalars['String']['output']>;
  updatedAt: Scalars['DateTime']['output'];
  version?: Maybe<DatasetVersion>;
  /** Versions numbered so far, whatever their status. */
  versionCount: Scalars['Int']['output'];
  /** Every version, newest first, with its status. */
  versions: DatasetVersionConnection;
};


export type DatasetVersionArgs = {
  number: Scalars['Int']['input'];
};


export type DatasetVersionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type DatasetConnection = {
  edges: Array<DatasetEdge>;
  pageInfo: PageInfo;
};

export type DatasetEdge = {
  cursor: Scalars['String']['output'];
  node: Dataset;
};

export type DatasetFilter = {
  nameContains?: InputMaybe<Scalars['String']['input']>;
  tag?: InputMaybe<Scalars['String']['input']>;
};

export type DatasetFormat =
  | 'CIFAR10_BINARY'
  | 'CSV'
  | 'IMAGE_FOLDER'
  | 'MNIST_IDX';

/** Why an import failed, and where in the upload when that is known. */
export type DatasetImportError = {
  /** A column name, or a 1-based field number when the file has no header. */
  column?: Maybe<Scalars['String']['output']>;
  /** The file inside the upload. */
  file?: Maybe<Scalars['String']['output']>;
  /** 1-based line. */
  line?: Maybe<Scalars['Int']['output']>;
  message: Scalars['String']['output'];
};

export type DatasetImportOptions = {
  /** Numeric-coded columns to one-hot encode as categories (CSV), e.g. SEX, EDUCATION, MARRIAGE. */
  categorical?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Field delimiter (CSV); detected when omitted. */
  delimiter?: InputMaybe<Scalars['String']['input']>;
  /** Whether the first CSV row names the columns (default true). */
  header?: InputMaybe<Scalars['Boolean']['input']>;
  /** Columns to leave out (CSV). */
  ignore?: InputMaybe<Array<Scalars['String']['input']>>;
  /** Label column (CSV); default: a column named label, else the last column. */
  label?: InputMaybe<Scalars['String']['input']>;
  /**
   * Label values that make the positive class; every other value is negative (CSV, MNIST_IDX). The
   * classes are then "negative" and "positive", e.g. heart disease num 1–4, phishing Result -1.
   */
  positiveLabels?: InputMaybe<Array<Scalars['String']['input']>>;
  seed?: InputMaybe<Scalars['Int']['input']>;
  /** Share of each class held out for test (default 0.2). CIFAR-10 and MNIST uploads that carry their own test files (test_batch.bin, t10k-*) keep them as the test split unless this is given; an MNIST upload that also carries val-* files keeps them as the validation split. */
  testFraction?: InputMaybe<Scalars['Float']['input']>;
  /** Share of each class held out for validation (default 0.1), of the training files when the upload has its own test split. */
  validationFraction?: InputMaybe<Scalars['Float']['input']>;
};

export type DatasetVersion = {
  /** Empty until READY. */
  contentSha256: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  dataset: Dataset;
  description: Scalars['String']['output'];
  /** 0 until READY. */
  exampleCount: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  /** Set when FAILED. */
  importError?: Maybe<DatasetImportError>;
  /** 0..1: the share of the upload read so far while IMPORTING; 1 once READY. */
  importProgress: Scalars['Float']['output'];
  /** Lineage: the model versions trained on this version, newest first. */
  modelVersions: ModelVersionConnection;
  number: Scalars['Int']['output'];
  /** Lineage: the runs that trained on this version, newest first. */
  runs: RunConnection;
  /** Feature and label schema ({} until READY). */
  schema: Scalars['JSON']['output'];
  /** 0 until READY. */
  sizeBytes: Scalars['Float']['output'];
  source: Scalars['String']['output'];
  /** Split name to example count ({} until READY). */
  splits: Scalars['JSON']['output'];
  status: DatasetVersionStatus;
  /** Empty until READY. */
  storageUri: Scalars['String']['output'];
};


export type DatasetVersionModelVersionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type DatasetVersionRunsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type DatasetVersionConnection = {
  edges: Array<DatasetVersionEdge>;
  pageInfo: PageInfo;
};

export type DatasetVersionEdge = {
  cursor: Scalars['String']['output'];
  node: DatasetVersion;
};

/**
 * IMPORTING while a worker parses the upload (importDataset returns at once), then READY, or FAILED
 * with importError. Only READY versions can be trained on or evaluated.
 */
export type DatasetVersionStatus =
  | 'FAILED'
  | 'IMPORTING'
  | 'READY';

export type Deployment = {
  canary?: Maybe<Canary>;
  createdAt: Scalars['DateTime']['output'];
  createdBy?: Maybe<User>;
  /** The stable revision. */
  currentRevision: DeploymentRevision;
  /** The friendly endpoint: POST {"instances": [{feature: value, ...}]} with a bearer token or an invoke key. */
  endpoint: Scalars['String']['output'];
  /** Newest first. */
  events: DeploymentEventConnection;
  /** Set when the deployment follows a model alias. */
  followAlias?: Maybe<AliasFollowing>;
  id: Scalars['ID']['output'];
  /** The Open Inference Protocol v2 model URL (…/v2/models/{name}; append /infer to predict). */
  inferenceEndpoint: Scalars['String']['output'];
  /** Invoke keys (never the keys themselves). */
  keys: Array<DeploymentKey>;
  /** Whether sampled requests keep their payload. */
  logPayloads: Scalars['Boolean']['output'];
  /**
   * Requests per second, error rate and p50/p95/p99 latency per revision over the last `window`
   * seconds (at most 7 days), in steps of `step` seconds (a multiple of 10; at most 1,000 steps).
   */
  metrics: DeploymentMetrics;
  model: RegisteredModel;
  /** Unique across projects; the serving URLs carry it. */
  name: Scalars['String']['output'];
  project: Project;
  /** Sampled requests, newest first. */
  requestLog: RequestLogConnection;
  requestLogRetentionHours: Scalars['Int']['output'];
  revision?: Maybe<DeploymentRevision>;
  /** Newest first. */
  revisions: DeploymentRevisionConnection;
  status: DeploymentStatus;
  /** The stable revision and, with a canary, the canary; weights add up to 100. */
  traffic: Array<TrafficSplit>;
  updatedAt: Scalars['DateTime']['output'];
};


export type DeploymentEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type DeploymentMetricsArgs = {
  step?: InputMaybe<Scalars['Int']['input']>;
  window?: InputMaybe<Scalars['Int']['input']>;
};


export type DeploymentRequestLogArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type DeploymentRevisionArgs = {
  number: Scalars['Int']['input'];
};


export type DeploymentRevisionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type DeploymentConnection = {
  edges: Array<DeploymentEdge>;
  pageInfo: PageInfo;
};

export type DeploymentEdge = {
  cursor: Scalars['String']['output'];
  node: Deployment;
};

export type DeploymentEvent = {
  /** The user who made the change; null when the platform did (analysis, serving reports). */
  actor?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTime']['output'];
  /** The figures of analysis decisions, revision numbers, versions, ... */
  details: Scalars['JSON']['output'];
  id: Scalars['ID']['output'];
  kind: DeploymentEventKind;
  message: Scalars['String']['output'];
  revision?: Maybe<DeploymentRevision>;
};

export type DeploymentEventConnection = {
  edges: Array<DeploymentEventEdge>;
  pageInfo: PageInfo;
};

export type DeploymentEventEdge = {
  cursor: Scalars['String']['output'];
  node: DeploymentEvent;
};

export type DeploymentEventKind =
  | 'ALIAS_FOLLOWED'
  | 'ALIAS_NOT_FOLLOWED'
  | 'ANALYSIS_PROMOTED'
  | 'ANALYSIS_ROLLED_BACK'
  | 'CANARY_PROMOTED'
  | 'CANARY_SET'
  | 'CREATED'
  | 'KEY_CREATED'
  | 'KEY_REVOKED'
  | 'REVISION_FAILED'
  | 'REVISION_READY'
  | 'ROLLED_BACK';

export type DeploymentKey = {
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  name: Scalars['String']['output'];
  /** The first characters, to tell keys apart. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
};

export type DeploymentMetrics = {
  from: Scalars['DateTime']['output'];
  /** Revisions with traffic in the window. */
  revisions: Array<RevisionMetrics>;
  step: Scalars['Int']['output'];
  to: Scalars['DateTime']['output'];
};

export type DeploymentMetricsPoint = {
  /** 4xx over all requests. */
  clientErrorRate?: Maybe<Scalars['Float']['output']>;
  /** 5xx and model errors over requests that reached a model. */
  errorRate?: Maybe<Scalars['Float']['output']>;
  meanBatchSize?: Maybe<Scalars['Float']['output']>;
  p50Ms?: Maybe<Scalars['Float']['output']>;
  p95Ms?: Maybe<Scalars['Float']['output']>;
  p99Ms?: Maybe<Scalars['Float']['output']>;
  requests: Scalars['Int']['output'];
  rps: Scalars['Float']['output'];
  time: Scalars['DateTime']['output'];
};

/** An immutable serving configuration: a model version with its batching. */
export type DeploymentRevision = {
  batching: Batching;
  createdAt: Scalars['DateTime']['output'];
  createdBy?: Maybe<User>;
  /** Why a serving process could not load it (state FAILED). */
  failure?: Maybe<Scalars['String']['output']>;
  /** When a serving process first reported it ready. */
  firstReadyAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  modelVersion: ModelVersion;
  /** 1..n per deployment. */
  number: Scalars['Int']['output'];
  /** Live serving processes that have it ready. */
  readyInstances: Scalars['Int']['output'];
  /** READY when at least one live serving process has it loaded and warmed. */
  state: RevisionState;
};

export type DeploymentRevisionConnection = {
  edges: Array<DeploymentRevisionEdge>;
  pageInfo: PageInfo;
};

export type DeploymentRevisionEdge = {
  cursor: Scalars['String']['output'];
  node: DeploymentRevision;
};

/** Where a deployment stands in the live serving processes (those that heartbeat within 15 s). */
export type DeploymentStatus =
  /** A live serving process reported it could not load the stable revision, and none has it ready. */
  | 'FAILED'
  /** No live serving process has the stable revision ready yet (or none is running). */
  | 'LOADING'
  /** The stable revision is loaded and warmed in at least one live serving process. */
  | 'READY';

export type Evaluation = {
  /** Area under the ROC curve, from the stored per-example scores (binary evaluations with scores). */
  auc?: Maybe<Scalars['Float']['output']>;
  /** Rows are true classes, columns predicted classes, in the order of labels. */
  confusionMatrix?: Maybe<Array<Array<Scalars['Int']['output']>>>;
  createdAt: Scalars['DateTime']['output'];
  datasetVersion: DatasetVersion;
  id: Scalars['ID']['output'];
  labels: Array<Scalars['String']['output']>;
  /** Metric name to value, e.g. {accuracy: 0.97, f1: 0.96}. */
  metrics: Scalars['JSON']['output'];
  modelVersion: ModelVersion;
  /** Binary evaluations with per-example scores: the class the scores are the probability of (labels[1]). */
  positiveLabel?: Maybe<Scalars['String']['output']>;
  split: Scalars['String']['output'];
  /**
   * The stored per-example outcomes at `points` evenly spaced thresholds from 0 to 1 (2..1001),
   * predicting positive when score >= threshold. null unless binary with per-example scores.
   */
  thresholdCurve?: Maybe<Array<ThresholdPoint>>;
};


export type EvaluationThresholdCurveArgs = {
  points?: InputMaybe<Scalars['Int']['input']>;
};

export type HyperparametersInput = {
  /** Default 32. */
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  /**
   * Epochs without a better validation loss before training stops; the best epoch's weights are the ones
   * registered and evaluated. Default 5 when the dataset version has a validation split, else 0; 0 turns
   * early stopping off.
   */
  earlyStoppingPatience?: InputMaybe<Scalars['Int']['input']>;
  epochs: Scalars['Int']['input'];
  /** Default 0.001. */
  learningRate?: InputMaybe<Scalars['Float']['input']>;
  /** Default ADAM. */
  optimizer?: InputMaybe<Optimizer>;
  /** Default 42. */
  seed?: InputMaybe<Scalars['Int']['input']>;
};

export type ImportDatasetInput = {
  format: DatasetFormat;
  /** Dataset name; created on the first import, a new version after. */
  name: Scalars['String']['input'];
  options?: InputMaybe<DatasetImportOptions>;
  project?: InputMaybe<Scalars['String']['input']>;
  /** From POST /v1/uploads. */
  uploadId: Scalars['ID']['input'];
};

export type LogMetricsResult = {
  /** Points stored by this call. */
  accepted: Scalars['Int']['output'];
  /** Points whose (key, step) was already stored and were ignored. */
  duplicates: Scalars['Int']['output'];
};

export type Member = {
  createdAt: Scalars['DateTime']['output'];
  role: Role;
  user: User;
};

export type Membership = {
  project: Project;
  role: Role;
};

export type MetricPoint = {
  key: Scalars['String']['output'];
  step: Scalars['Int']['output'];
  timestamp: Scalars['DateTime']['output'];
  value: Scalars['Float']['output'];
};

export type MetricPointInput = {
  key: Scalars['String']['input'];
  step: Scalars['Int']['input'];
  /** Defaults to the time the server received the batch. */
  timestamp?: InputMaybe<Scalars['DateTime']['input']>;
  value: Scalars['Float']['input'];
};

export type MetricSeries = {
  key: Scalars['String']['output'];
  points: Array<MetricSeriesPoint>;
  totalPoints: Scalars['Int']['output'];
};

/**
 * The points of one metric as parallel columns: point i is (key, steps[i], values[i], timestamps[i]).
 * Lists of scalars are several times cheaper for the server to read than one input object per point,
 * so this is the form for large batches.
 */
export type MetricSeriesInput = {
  key: Scalars['String']['input'];
  steps: Array<Scalars['Int']['input']>;
  /** As many as steps when given; otherwise every point gets the time the server received the batch. */
  timestamps?: InputMaybe<Array<Scalars['DateTime']['input']>>;
  /** As many as steps. */
  values: Array<Scalars['Float']['input']>;
};

/**
 * One bucket of a series. Buckets partition the steps in order; `step`/`value` is a real point of
 * the bucket (its first point for the first bucket, its last point otherwise), so the series' first
 * and last steps are always present; `min`/`max` cover every point in [fromStep, toStep].
 */
export type MetricSeriesPoint = {
  count: Scalars['Int']['output'];
  fromStep: Scalars['Int']['output'];
  max: Scalars['Float']['output'];
  min: Scalars['Float']['output'];
  step: Scalars['Int']['output'];
  timestamp: Scalars['DateTime']['output'];
  toStep: Scalars['Int']['output'];
  value: Scalars['Float']['output'];
};

export type MetricsLoggedEvent = {
  /** Points stored by the batch. */
  count: Scalars['Int']['output'];
  /** The newest point per key in the batch. */
  latest: Array<MetricPoint>;
  runId: Scalars['ID']['output'];
};

export type ModelAlias = {
  alias: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  version: ModelVersion;
};

export type ModelFilter = {
  nameContains?: InputMaybe<Scalars['String']['input']>;
  tag?: InputMaybe<Scalars['String']['input']>;
  task?: InputMaybe<Scalars['String']['input']>;
};

export type ModelSpecInput = {
  /** MLP only. Default RELU. */
  activation?: InputMaybe<Activation>;
  architecture: Architecture;
  /** Dropout rate in [0, 1). */
  dropout?: InputMaybe<Scalars['Float']['input']>;
  /** MLP only: the hidden layers' widths. Default [64, 32]. */
  hiddenUnits?: InputMaybe<Array<Scalars['Int']['input']>>;
};

export type ModelVersion = {
  /** Aliases pointing at this version. */
  aliases: Array<Scalars['String']['output']>;
  artifactUri: Scalars['String']['output'];
  createdAt: Scalars['DateTime']['output'];
  description: Scalars['String']['output'];
  evaluations: Array<Evaluation>;
  framework: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  inputSignature?: Maybe<Scalars['JSON']['output']>;
  model: RegisteredModel;
  number: Scalars['Int']['output'];
  outputSignature?: Maybe<Scalars['JSON']['output']>;
  sourceRun?: Maybe<Run>;
  status: ModelVersionStatus;
  tags: Array<Scalars['String']['output']>;
  trainingDatasetVersion?: Maybe<DatasetVersion>;
  updatedAt: Scalars['DateTime']['output'];
};

export type ModelVersionConnection = {
  edges: Array<ModelVersionEdge>;
  pageInfo: PageInfo;
};

export type ModelVersionEdge = {
  cursor: Scalars['String']['output'];
  node: ModelVersion;
};

export type ModelVersionStatus =
  | 'ARCHIVED'
  | 'FAILED'
  | 'PENDING'
  | 'READY';

export type Mutation = {
  /** @deprecated placeholder so each domain can extend Mutation */
  _noop?: Maybe<Scalars['Boolean']['output']>;
  addProjectMember: Member;
  cancelRun: Run;
  createApiToken: CreatedApiToken;
  createDataset: Dataset;
  createDatasetVersion: DatasetVersion;
  /** Deploys a READY version whose artifacts lie in this project's models in the artifact store. Returns at once; status is LOADING until a serving process is ready. */
  createDeployment: Deployment;
  createDeploymentKey: CreateDeploymentKeyResult;
  /** Versions are numbered 1..n per model, without gaps or duplicates, however many calls race. */
  createModelVersion: ModelVersion;
  createProject: Project;
  createRun: Run;
  deleteDeployment: Scalars['Boolean']['output'];
  deleteModelAlias: Scalars['Boolean']['output'];
  /**
   * Deletes an upload (EDITOR). Versions imported from it keep their data. CONFLICT while a version
   * is still IMPORTING it. Unused and rejected uploads are deleted anyway after
   * LEPTON_UPLOAD_RETENTION_HOURS.
   */
  deleteUpload: Scalars['Boolean']['output'];
  /** Ends a run made with createRun. A training run is written only by its worker: stop it with cancelRun. */
  finishRun: Run;
  /**
   * Checks the upload, format and options, then queues the import on the worker queue and answers
   * at once with the version IMPORTING; follow it with datasetVersionUpdated (or poll the version)
   * until READY or FAILED.
   */
  importDataset: DatasetVersion;
  /**
   * Up to 10,000 points a call, given either as `points` or as `series` (columns per key; faster to
   * read), never both; the limit counts the points of all series together. Re-sending a (key, step)
   * never duplicates it: the first write wins, within a call in the order given. Only for runs made
   * with createRun: a training run's metrics come from its worker (FORBIDDEN, reason RUN_OWNED_BY_WORKER).
   */
  logMetrics: LogMetricsResult;
  /**
   * Predictions for the dashboard (VIEWER or more): forwarded with the caller's token to a serving
   * process; the API never loads models. SERVICE_UNAVAILABLE when no serving process answers or the
   * revision is not loaded yet.
   */
  predict: PredictResult;
  /**
   * Imports, trains, evaluates and deploys every demo of the scenario (EDITOR). Returns at once; the
   * API's maintenance loop advances the steps (follow scenarioUpdated). Idempotent: what exists is
   * reused, and a FAILED step starts again.
   */
  prepareScenario: Scenario;
  /** The canary becomes the stable revision. */
  promoteCanary: Deployment;
  /**
   * Moves the alias to the version only if it beats the alias's current version on the same dataset
   * version and split, judged by a paired-bootstrap confidence interval of the metric difference.
   */
  promoteModelVersion: PromotionDecision;
  recordEvaluation: Evaluation;
  registerModel: RegisteredModel;
  removeProjectMember: Scalars['Boolean']['output'];
  /**
   * Trains a new version of a READY demo's model with these hyperparameters (and spec, default the
   * demo's), evaluates it, then rolls it out on the demo's deployment as a canary (weight, default 50)
   * with automatic analysis. CONFLICT while a retraining of the demo is running.
   */
  retrainScenarioDemo: ScenarioDemo;
  /** Queues a FAILED or CANCELLED training run again; it resumes from its last checkpoint. */
  retryRun: Run;
  revokeApiToken: ApiToken;
  revokeDeploymentKey: DeploymentKey;
  /**
   * Without toRevision: drops the canary if there is one, else returns to the previous stable revision.
   * With it: that revision becomes stable and any canary is dropped. No new revision is created.
   */
  rollbackDeployment: Deployment;
  /**
   * Sends `weight` percent of requests to `version` (a new revision, or the current canary's when it
   * is the same version and batching). Without `batching` the stable revision's is kept.
   */
  setDeploymentCanary: Deployment;
  /** Points the alias at the version atomically (creating or moving it). */
  setModelAlias: ModelAlias;
  /** Queues a training run (status QUEUED); registers the model on first use. */
  startTraining: Run;
  updateModel: RegisteredModel;
  updateModelVersion: ModelVersion;
};


export type MutationAddProjectMemberArgs = {
  input: ProjectMemberInput;
};


export type MutationCancelRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateApiTokenArgs = {
  input: CreateApiTokenInput;
};


export type MutationCreateDatasetArgs = {
  input: CreateDatasetInput;
};


export type MutationCreateDatasetVersionArgs = {
  input: CreateDatasetVersionInput;
};


export type MutationCreateDeploymentArgs = {
  input: CreateDeploymentInput;
};


export type MutationCreateDeploymentKeyArgs = {
  deployment: Scalars['String']['input'];
  name: Scalars['String']['input'];
};


export type MutationCreateModelVersionArgs = {
  input: CreateModelVersionInput;
};


export type MutationCreateProjectArgs = {
  input: CreateProjectInput;
};


export type MutationCreateRunArgs = {
  input: CreateRunInput;
};


export type MutationDeleteDeploymentArgs = {
  name: Scalars['String']['input'];
};


export type MutationDeleteModelAliasArgs = {
  alias: Scalars['String']['input'];
  model: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
};


export type MutationDeleteUploadArgs = {
  id: Scalars['ID']['input'];
};


export type MutationFinishRunArgs = {
  error?: InputMaybe<Scalars['String']['input']>;
  id: Scalars['ID']['input'];
  status: RunStatus;
};


export type MutationImportDatasetArgs = {
  input: ImportDatasetInput;
};


export type MutationLogMetricsArgs = {
  points?: InputMaybe<Array<MetricPointInput>>;
  runId: Scalars['ID']['input'];
  series?: InputMaybe<Array<MetricSeriesInput>>;
};


export type MutationPredictArgs = {
  deployment: Scalars['String']['input'];
  instances: Scalars['JSON']['input'];
};


export type MutationPrepareScenarioArgs = {
  key: ScenarioKey;
  project?: InputMaybe<Scalars['String']['input']>;
};


export type MutationPromoteCanaryArgs = {
  name: Scalars['String']['input'];
};


export type MutationPromoteModelVersionArgs = {
  alias: Scalars['String']['input'];
  model: Scalars['String']['input'];
  policy: PromotionPolicyInput;
  project?: InputMaybe<Scalars['String']['input']>;
  version: Scalars['Int']['input'];
};


export type MutationRecordEvaluationArgs = {
  input: RecordEvaluationInput;
};


export type MutationRegisterModelArgs = {
  input: RegisterModelInput;
};


export type MutationRemoveProjectMemberArgs = {
  project?: InputMaybe<Scalars['String']['input']>;
  user: Scalars['String']['input'];
};


export type MutationRetrainScenarioDemoArgs = {
  canaryWeight?: InputMaybe<Scalars['Int']['input']>;
  demo: Scalars['String']['input'];
  hyperparameters: HyperparametersInput;
  key: ScenarioKey;
  project?: InputMaybe<Scalars['String']['input']>;
  spec?: InputMaybe<ModelSpecInput>;
};


export type MutationRetryRunArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeApiTokenArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeDeploymentKeyArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRollbackDeploymentArgs = {
  name: Scalars['String']['input'];
  toRevision?: InputMaybe<Scalars['Int']['input']>;
};


export type MutationSetDeploymentCanaryArgs = {
  analysis?: InputMaybe<CanaryAnalysisInput>;
  batching?: InputMaybe<BatchingInput>;
  name: Scalars['String']['input'];
  version: Scalars['Int']['input'];
  weight: Scalars['Int']['input'];
};


export type MutationSetModelAliasArgs = {
  alias: Scalars['String']['input'];
  model: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
  version: Scalars['Int']['input'];
};


export type MutationStartTrainingArgs = {
  input: StartTrainingInput;
};


export type MutationUpdateModelArgs = {
  input: UpdateModelInput;
};


export type MutationUpdateModelVersionArgs = {
  input: UpdateModelVersionInput;
};

export type Optimizer =
  | 'ADAM'
  | 'SGD';

export type PageInfo = {
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type PredictResult = {
  deployment: Scalars['String']['output'];
  modelVersion: Scalars['Int']['output'];
  predictions: Array<Prediction>;
  /** The number of the revision that answered. */
  revision: Scalars['Int']['output'];
};

export type Prediction = {
  label: Scalars['String']['output'];
  probabilities: Scalars['JSON']['output'];
};

export type Project = {
  createdAt: Scalars['DateTime']['output'];
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type ProjectMemberInput = {
  project?: InputMaybe<Scalars['String']['input']>;
  role: Role;
  user: Scalars['String']['input'];
};

/** The outcome of a promotion gate, with the numbers it was decided on. */
export type PromotionDecision = {
  alias: Scalars['String']['output'];
  candidateValue?: Maybe<Scalars['Float']['output']>;
  ciHigh?: Maybe<Scalars['Float']['output']>;
  ciLow?: Maybe<Scalars['Float']['output']>;
  confidence: Scalars['Float']['output'];
  datasetVersion?: Maybe<DatasetVersion>;
  difference?: Maybe<Scalars['Float']['output']>;
  holderValue?: Maybe<Scalars['Float']['output']>;
  metric: Scalars['String']['output'];
  minDelta: Scalars['Float']['output'];
  /** The version the alias pointed at before. */
  previousVersion?: Maybe<Scalars['Int']['output']>;
  promoted: Scalars['Boolean']['output'];
  reason: Scalars['String']['output'];
  split?: Maybe<Scalars['String']['output']>;
  version: Scalars['Int']['output'];
};

export type PromotionPolicyInput = {
  /** Confidence of the paired-bootstrap interval (default 0.95). */
  confidence?: InputMaybe<Scalars['Float']['input']>;
  /** accuracy, precision, recall, f1 or auc. */
  metric: Scalars['String']['input'];
  /** The candidate must beat the holder by more than this (default 0). */
  minDelta?: InputMaybe<Scalars['Float']['input']>;
};

export type Query = {
  apiTokens: Array<ApiToken>;
  auditEvents: AuditEventConnection;
  dataset?: Maybe<Dataset>;
  datasets: DatasetConnection;
  /** null when none has this name or it lies in a project the token cannot reach (the same answer). */
  deployment?: Maybe<Deployment>;
  deployments: DeploymentConnection;
  /** Evaluations of a model, or of one of its versions. */
  evaluations: Array<Evaluation>;
  members: Array<Member>;
  model?: Maybe<RegisteredModel>;
  models: RegisteredModelConnection;
  projects: Array<Project>;
  /** null when no such run exists or it lies in a project the token cannot reach (the same answer). */
  run?: Maybe<Run>;
  runs: RunConnection;
  scenario: Scenario;
  /**
   * A PNG or JPEG (base64 or a data URL, any size) as an image demo's model takes it: centre-cropped,
   * averaged down to the training images' size (28×28) and made grayscale. Returns a PNG data URL to send
   * to predict (the deployment then scales it exactly as at import). BAD_USER_INPUT for a tabular demo
   * or an unreadable image.
   */
  scenarioImage: Scalars['String']['output'];
  scenarios: Array<Scenario>;
  /** The caller: its user, token and memberships. */
  viewer: Viewer;
};


export type QueryApiTokensArgs = {
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryAuditEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryDatasetArgs = {
  name: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryDatasetsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DatasetFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryDeploymentArgs = {
  name: Scalars['String']['input'];
};


export type QueryDeploymentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryEvaluationsArgs = {
  model: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
  version?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryMembersArgs = {
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryModelArgs = {
  name: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryModelsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ModelFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryRunArgs = {
  id: Scalars['ID']['input'];
};


export type QueryRunsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<RunFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryScenarioArgs = {
  key: ScenarioKey;
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryScenarioImageArgs = {
  demo: Scalars['String']['input'];
  image: Scalars['String']['input'];
  key: ScenarioKey;
  project?: InputMaybe<Scalars['String']['input']>;
};


export type QueryScenariosArgs = {
  project?: InputMaybe<Scalars['String']['input']>;
};

export type RecordEvaluationInput = {
  confusionMatrix?: InputMaybe<Array<Array<Scalars['Int']['input']>>>;
  datasetVersionId: Scalars['ID']['input'];
  labels?: InputMaybe<Array<Scalars['String']['input']>>;
  metrics: Scalars['JSON']['input'];
  model: Scalars['String']['input'];
  /** Per example: predicted class indices. */
  predictions?: InputMaybe<Array<Scalars['Int']['input']>>;
  project?: InputMaybe<Scalars['String']['input']>;
  /** Per example: positive-class scores (binary tasks; needed for auc). */
  scores?: InputMaybe<Array<Scalars['Float']['input']>>;
  split: Scalars['String']['input'];
  /** Per example of the split, in order: true class indices (needed by promoteModelVersion). */
  targets?: InputMaybe<Array<Scalars['Int']['input']>>;
  version: Scalars['Int']['input'];
};

export type RegisterModelInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  task?: InputMaybe<Scalars['String']['input']>;
};

export type RegisteredModel = {
  aliases: Array<ModelAlias>;
  createdAt: Scalars['DateTime']['output'];
  description: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The highest-numbered READY version. */
  latestVersion?: Maybe<ModelVersion>;
  name: Scalars['String']['output'];
  tags: Array<Scalars['String']['output']>;
  task: Scalars['String']['output'];
  updatedAt: Scalars['DateTime']['output'];
  /** By number or by alias (exactly one). */
  version?: Maybe<ModelVersion>;
  versionCount: Scalars['Int']['output'];
  /** Newest first. */
  versions: ModelVersionConnection;
};


export type RegisteredModelVersionArgs = {
  alias?: InputMaybe<Scalars['String']['input']>;
  number?: InputMaybe<Scalars['Int']['input']>;
};


export type RegisteredModelVersionsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type RegisteredModelConnection = {
  edges: Array<RegisteredModelEdge>;
  pageInfo: PageInfo;
};

export type RegisteredModelEdge = {
  cursor: Scalars['String']['output'];
  node: RegisteredModel;
};

export type RequestLogConnection = {
  edges: Array<RequestLogEdge>;
  pageInfo: PageInfo;
};

export type RequestLogEdge = {
  cursor: Scalars['String']['output'];
  node: RequestLogEntry;
};

export type RequestLogEntry = {
  at: Scalars['DateTime']['output'];
  error?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** sha256 of the request's instances. */
  inputSha256: Scalars['String']['output'];
  instances: Scalars['Int']['output'];
  latencyMs: Scalars['Float']['output'];
  /** Only when the deployment logs payloads. */
  payload?: Maybe<Scalars['JSON']['output']>;
  revision?: Maybe<DeploymentRevision>;
  /** HTTP status of the answer. */
  status: Scalars['Int']['output'];
};

export type RevisionMetrics = {
  /** One per step of the window, oldest first; steps without traffic have 0 requests and null rates. */
  points: Array<DeploymentMetricsPoint>;
  revision: DeploymentRevision;
};

export type RevisionState =
  | 'FAILED'
  | 'LOADING'
  | 'READY';

export type Role =
  | 'ADMIN'
  | 'EDITOR'
  | 'VIEWER';

export type Run = {
  /** Claims so far: 1 for the first worker, +1 each time a worker resumes the run. The worker's log shows the same number. */
  attempt: Scalars['Int']['output'];
  /** TensorFlow.js backend used: tensorflow-gpu (native TensorFlow that reported a GPU), tensorflow, wasm or cpu. */
  backend?: Maybe<Scalars['String']['output']>;
  cancelRequested: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  datasetVersion?: Maybe<DatasetVersion>;
  /** What the backend computed on, e.g. `GPU: NVIDIA L4 (compute capability 8.9)` or `CPU: AMD EPYC (2 cores)`. */
  device?: Maybe<Scalars['String']['output']>;
  endedAt?: Maybe<Scalars['DateTime']['output']>;
  error?: Maybe<Scalars['String']['output']>;
  /** Estimated end of a training run while a worker trains it (null while it waits for one). */
  eta?: Maybe<Scalars['DateTime']['output']>;
  etaSeconds?: Maybe<Scalars['Int']['output']>;
  heartbeatAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  kind: RunKind;
  /** The newest point of every metric. */
  latestMetrics: Array<MetricPoint>;
  /** The worker's lease on a RUNNING training run; null for other runs. */
  lease?: Maybe<RunLease>;
  /** Every metric key logged on this run, sorted. */
  metricKeys: Array<Scalars['String']['output']>;
  /**
   * A chart-ready series: at most maxPoints points (10..10000), downsampled in SQL. With fromStep
   * and/or toStep (both included), only that window, bucketed finer (a zoomed chart re-queries it);
   * the window is widened to whole buckets, so an edge bucket may reach up to one bucket beyond it.
   * totalPoints always counts the whole series.
   */
  metrics: MetricSeries;
  /** The model a training run registers a version of. */
  model?: Maybe<RegisteredModel>;
  /** The version a successful training run registered. */
  modelVersion?: Maybe<ModelVersion>;
  modelVersions: Array<ModelVersion>;
  name: Scalars['String']['output'];
  params: Scalars['JSON']['output'];
  /** 0..1 for training runs. */
  progress: Scalars['Float']['output'];
  project: Project;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: RunStatus;
  updatedAt: Scalars['DateTime']['output'];
  /** The worker holding the run (null while it waits for one). */
  workerId?: Maybe<Scalars['String']['output']>;
};


export type RunMetricsArgs = {
  fromStep?: InputMaybe<Scalars['Int']['input']>;
  key: Scalars['String']['input'];
  maxPoints?: InputMaybe<Scalars['Int']['input']>;
  toStep?: InputMaybe<Scalars['Int']['input']>;
};

export type RunConnection = {
  edges: Array<RunEdge>;
  pageInfo: PageInfo;
};

export type RunEdge = {
  cursor: Scalars['String']['output'];
  node: Run;
};

export type RunFilter = {
  kind?: InputMaybe<RunKind>;
  /** Runs of this registered model (training runs and the runs that registered its versions). */
  model?: InputMaybe<Scalars['String']['input']>;
  nameContains?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<RunStatus>;
};

export type RunKind =
  | 'EVALUATION'
  | 'EXPERIMENT'
  | 'TRAINING';

/** A worker's hold on a running training run. Only the holder writes the run (fenced by workerId and attempt). */
export type RunLease = {
  /** When the lease ends unless renewed; in the past once lost, null once handed back. */
  expiresAt?: Maybe<Scalars['DateTime']['output']>;
  state: RunLeaseState;
};

export type RunLeaseState =
  /** A worker holds the run and renews its lease. */
  | 'ACTIVE'
  /**
   * Worker lost, waiting to resume: its worker stopped renewing the lease (killed, crashed or
   * stalled); another worker resumes the run from its last checkpoint.
   */
  | 'LOST'
  /** Handed back, waiting to resume: its worker shut down; another worker resumes the run from its last checkpoint. */
  | 'RELEASED';

export type RunStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

export type Scenario = {
  /** What the models are and are not: demos on public data, not a medical device or a credit decision. */
  caveats: Scalars['String']['output'];
  demos: Array<ScenarioDemo>;
  /** The field, e.g. Medical image analysis. */
  field: Scalars['String']['output'];
  key: ScenarioKey;
  /** When Prepare last finished (all demos READY). */
  preparedAt?: Maybe<Scalars['DateTime']['output']>;
  /** NOT_PREPARED until prepared; PREPARING while any demo is; FAILED if any failed; READY when all are. */
  state: ScenarioDemoState;
  summary: Scalars['String']['output'];
  title: Scalars['String']['output'];
};

export type ScenarioDemo = {
  /** The dataset, model and deployment names Prepare creates in the project. */
  datasetName: Scalars['String']['output'];
  datasetVersion?: Maybe<DatasetVersion>;
  deployment?: Maybe<Deployment>;
  deploymentName: Scalars['String']['output'];
  /** What the model predicts, in one sentence. */
  description: Scalars['String']['output'];
  /** Of modelVersion on the test split. */
  evaluation?: Maybe<Evaluation>;
  /** Tabular demos: the deployment's inputs. Empty for images. */
  features: Array<ScenarioFeature>;
  hyperparameters: Scalars['JSON']['output'];
  /** Unique within its scenario, e.g. pneumonia, heart-disease, phishing, credit-default. */
  key: Scalars['String']['output'];
  modelName: Scalars['String']['output'];
  /** The version Prepare trained (the deployment's first stable version). */
  modelVersion?: Maybe<ModelVersion>;
  /** The model's other class. */
  negativeLabel: Scalars['String']['output'];
  /** What the negative class means, e.g. normal, legitimate, no default. */
  negativeName: Scalars['String']['output'];
  /** The model's class the scores are the probability of (its name in predictions and evaluation labels). */
  positiveLabel: Scalars['String']['output'];
  /** What the positive class means, e.g. pneumonia, phishing, default. */
  positiveName: Scalars['String']['output'];
  /** The platform's own evaluation on the test split must reach this, e.g. {accuracy: 0.8} or {auc: 0.75}. */
  qualityBar: Scalars['JSON']['output'];
  /** The latest retraining, if any. */
  retraining?: Maybe<ScenarioRetraining>;
  run?: Maybe<Run>;
  /** Held-out test examples (balanced between the classes where possible), in a fixed order. */
  samples: Array<ScenarioSample>;
  /** The default spec and hyperparameters Prepare trains with. */
  spec: Scalars['JSON']['output'];
  state: ScenarioDemoState;
  /** IMPORT, TRAIN, EVALUATE, DEPLOY in order. */
  steps: Array<ScenarioStep>;
  task: ScenarioTask;
  title: Scalars['String']['output'];
};


export type ScenarioDemoSamplesArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ScenarioDemoState =
  /** A step failed (see its message); prepareScenario starts again from that step. */
  | 'FAILED'
  | 'NOT_PREPARED'
  /** Some step is pending or running. */
  | 'PREPARING'
  /** Imported, trained, evaluated and deployed. */
  | 'READY';

/** An input of a tabular demo, for forms: its range or choices as found in the committed data. */
export type ScenarioFeature = {
  /** Coded values (one-hot in training). */
  categorical: Scalars['Boolean']['output'];
  /** The distinct values found in the data, when there are at most 12 (coded features). */
  choices?: Maybe<Array<Scalars['Float']['output']>>;
  /** The median in the data: a sensible form default. */
  defaultValue: Scalars['Float']['output'];
  description: Scalars['String']['output'];
  max?: Maybe<Scalars['Float']['output']>;
  min?: Maybe<Scalars['Float']['output']>;
  /** The CSV column, as the deployment expects it. */
  name: Scalars['String']['output'];
};

/** The three fields the scenario demos cover. */
export type ScenarioKey =
  /** Financial risk control: credit-card default. */
  | 'FINANCE'
  /** Medical image analysis and triage: chest X-rays (PneumoniaMNIST) and heart disease (Cleveland). */
  | 'MEDICAL'
  /** Security: phishing web sites. */
  | 'SECURITY';

/** A retraining with other hyperparameters, rolled out as a canary with automatic analysis. */
export type ScenarioRetraining = {
  evaluation?: Maybe<Evaluation>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  hyperparameters: Scalars['JSON']['output'];
  message?: Maybe<Scalars['String']['output']>;
  modelVersion?: Maybe<ModelVersion>;
  run?: Maybe<Run>;
  spec: Scalars['JSON']['output'];
  startedAt: Scalars['DateTime']['output'];
  state: ScenarioDemoState;
};

/** A held-out example of the demo's test split (never trained on). */
export type ScenarioSample = {
  /** Tabular: {column: value}, the deployment's instance format. null for images. */
  features?: Maybe<Scalars['JSON']['output']>;
  /** Stable within the demo, e.g. test-17 (the 18th example of the test split). */
  id: Scalars['String']['output'];
  /** Image: the 28×28 grayscale image as a PNG data URL, the deployment's instance format. null for tabular. */
  image?: Maybe<Scalars['String']['output']>;
  /** The true label, as the model names its classes. */
  label: Scalars['String']['output'];
  /** Whether label is the demo's positiveLabel. */
  positive: Scalars['Boolean']['output'];
};

export type ScenarioStep = {
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  kind: ScenarioStepKind;
  /** What it is doing, or why it failed. */
  message?: Maybe<Scalars['String']['output']>;
  /** 0..1. */
  progress: Scalars['Float']['output'];
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: ScenarioStepStatus;
};

export type ScenarioStepKind =
  | 'DEPLOY'
  | 'EVALUATE'
  | 'IMPORT'
  | 'TRAIN';

export type ScenarioStepStatus =
  | 'DONE'
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING';

export type ScenarioTask =
  /** 28×28 grayscale images; the deployment takes PNG/JPEG as base64 or a data URL. */
  | 'IMAGE'
  /** CSV rows; the deployment takes {column: value} objects. */
  | 'TABULAR';

export type StartTrainingInput = {
  datasetVersionId: Scalars['ID']['input'];
  hyperparameters: HyperparametersInput;
  /** Registered on first use. */
  model: Scalars['String']['input'];
  /** Run name; defaults to model-dataset-vN. */
  name?: InputMaybe<Scalars['String']['input']>;
  project?: InputMaybe<Scalars['String']['input']>;
  spec: ModelSpecInput;
};

export type Subscription = {
  /** @deprecated placeholder so each domain can extend Subscription */
  _noop?: Maybe<Scalars['Boolean']['output']>;
  /** Status and progress of a dataset version, until it is READY or FAILED. */
  datasetVersionUpdated: DatasetVersion;
  /** The deployment after every change (traffic, revisions ready or failed, analysis); null once it is deleted, then the subscription ends. */
  deploymentUpdated?: Maybe<Deployment>;
  metricsLogged: MetricsLoggedEvent;
  runUpdated: Run;
  /** The scenario after every change of one of its demos' steps. */
  scenarioUpdated: Scenario;
};


export type SubscriptionDatasetVersionUpdatedArgs = {
  id: Scalars['ID']['input'];
};


export type SubscriptionDeploymentUpdatedArgs = {
  name: Scalars['String']['input'];
};


export type SubscriptionMetricsLoggedArgs = {
  runId: Scalars['ID']['input'];
};


export type SubscriptionRunUpdatedArgs = {
  id: Scalars['ID']['input'];
};


export type SubscriptionScenarioUpdatedArgs = {
  key: ScenarioKey;
  project?: InputMaybe<Scalars['String']['input']>;
};

/** Counts and rates of a binary evaluation when positive means score >= threshold. */
export type ThresholdPoint = {
  accuracy: Scalars['Float']['output'];
  fn: Scalars['Int']['output'];
  fp: Scalars['Int']['output'];
  /** 1 - specificity: fp / (fp + tn); 0 without negatives. */
  fpr: Scalars['Float']['output'];
  /** tp / (tp + fp); null when nothing is predicted positive. */
  precision?: Maybe<Scalars['Float']['output']>;
  /** tp + fp: the alert volume. */
  predictedPositive: Scalars['Int']['output'];
  recall: Scalars['Float']['output'];
  /** tn / (tn + fp); 1 without negatives. */
  specificity: Scalars['Float']['output'];
  threshold: Scalars['Float']['output'];
  tn: Scalars['Int']['output'];
  tp: Scalars['Int']['output'];
  /** Sensitivity, recall: tp / (tp + fn); 0 without positives. */
  tpr: Scalars['Float']['output'];
};

/** A share of the requests. Serving routes a canary's share to the stable revision until it has loaded the canary. */
export type TrafficSplit = {
  modelVersion: ModelVersion;
  revision: DeploymentRevision;
  /** Percent of requests, 0..100. */
  weight: Scalars['Int']['output'];
};

export type UpdateModelInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  task?: InputMaybe<Scalars['String']['input']>;
};

export type UpdateModelVersionInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  model: Scalars['String']['input'];
  project?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<ModelVersionStatus>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  version: Scalars['Int']['input'];
};

export type User = {
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type Viewer = {
  /** Projects this token can reach, with the role it has there. */
  memberships: Array<Membership>;
  token: ApiToken;
  user: User;
};

export type RunUpdatedLiveSubscriptionVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RunUpdatedLiveSubscription = { runUpdated: { id: string, status: RunStatus, progress: number, etaSeconds?: number | null, eta?: string | null, error?: string | null, attempt: number, workerId?: string | null, backend?: string | null, heartbeatAt?: string | null, cancelRequested: boolean, startedAt?: string | null, endedAt?: string | null, lease?: { state: RunLeaseState, expiresAt?: string | null } | null, modelVersion?: { number: number, model: { name: string } } | null } };

export type MetricsLoggedLiveSubscriptionVariables = Exact<{
  runId: Scalars['ID']['input'];
}>;


export type MetricsLoggedLiveSubscription = { metricsLogged: { runId: string, count: number, latest: Array<{ key: string, step: number, value: number }> } };

export type DeploymentUpdatedLiveSubscriptionVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type DeploymentUpdatedLiveSubscription = { deploymentUpdated?: { id: string, name: string, status: DeploymentStatus, updatedAt: string } | null };

export type ScenarioUpdatedLiveSubscriptionVariables = Exact<{
  project: Scalars['String']['input'];
  key: ScenarioKey;
}>;


export type ScenarioUpdatedLiveSubscription = { scenarioUpdated: { key: ScenarioKey, state: ScenarioDemoState, preparedAt?: string | null, demos: Array<{ key: string, state: ScenarioDemoState, steps: Array<{ kind: ScenarioStepKind, status: ScenarioStepStatus, progress: number, message?: string | null, startedAt?: string | null, finishedAt?: string | null }>, run?: { id: string, status: RunStatus, progress: number, etaSeconds?: number | null } | null, modelVersion?: { number: number } | null, retraining?: { state: ScenarioDemoState, message?: string | null, hyperparameters: unknown, startedAt: string, finishedAt?: string | null, run?: { id: string, status: RunStatus, progress: number, etaSeconds?: number | null } | null, modelVersion?: { number: number } | null, evaluation?: { auc?: number | null, metrics: unknown } | null } | null }> } };

export type DemoDeploymentLiveSubscriptionVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type DemoDeploymentLiveSubscription = { deploymentUpdated?: { name: string, status: DeploymentStatus, currentRevision: { number: number, modelVersion: { number: number } }, traffic: Array<{ weight: number, revision: { number: number, state: RevisionState }, modelVersion: { number: number } }>, canary?: { weight: number, startedAt: string, revision: { number: number, modelVersion: { number: number } }, lastAnalysis?: { verdict: CanaryVerdict, reason: string, at: string, figures: { canaryRequests: number, stableRequests: number, canaryErrorRate?: number | null, stableErrorRate?: number | null, p99Ratio?: number | null } } | null } | null, events: { edges: Array<{ node: { id: string, kind: DeploymentEventKind, message: string, createdAt: string } }> } } | null };

export type DatasetDetailQueryVariables = Exact<{
  project: Scalars['String']['input'];
  name: Scalars['String']['input'];
}>;


export type DatasetDetailQuery = { dataset?: { id: string, name: string, description: string, tags: Array<string>, versionCount: number, createdAt: string, updatedAt: string, versions: { edges: Array<{ node: { id: string, number: number, status: DatasetVersionStatus, contentSha256: string, exampleCount: number, sizeBytes: number, splits: unknown, schema: unknown, source: string, createdAt: string } }>, pageInfo: { hasNextPage: boolean } } } | null };

export type DatasetVersionDetailQueryVariables = Exact<{
  project: Scalars['String']['input'];
  name: Scalars['String']['input'];
  number: Scalars['Int']['input'];
}>;


export type DatasetVersionDetailQuery = { dataset?: { name: string, version?: { id: string, number: number, status: DatasetVersionStatus, importProgress: number, contentSha256: string, sizeBytes: number, exampleCount: number, schema: unknown, splits: unknown, storageUri: string, source: string, description: string, createdAt: string, importError?: { message: string, file?: string | null, line?: number | null, column?: string | null } | null, runs: { edges: Array<{ node: { id: string, name: string, status: RunStatus, createdAt: string } }>, pageInfo: { hasNextPage: boolean } }, modelVersions: { edges: Array<{ node: { id: string, number: number, status: ModelVersionStatus, model: { name: string } } }>, pageInfo: { hasNextPage: boolean } } } | null } | null };

export type ImportDatasetMutationVariables = Exact<{
  input: ImportDatasetInput;
}>;


export type ImportDatasetMutation = { importDataset: { id: string, number: number, dataset: { name: string } } };

export type ImportProgressQueryVariables = Exact<{
  project: Scalars['String']['input'];
  name: Scalars['String']['input'];
  number: Scalars['Int']['input'];
}>;


export type ImportProgressQuery = { dataset?: { version?: { status: DatasetVersionStatus, importProgress: number, importError?: { message: string, file?: string | null, line?: number | null, column?: string | null } | null } | null } | null };

export type DatasetListQueryVariables = Exact<{
  project: Scalars['String']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<DatasetFilter>;
}>;


export type DatasetListQuery = { datasets: { edges: Array<{ node: { id: string, name: string, description: string, tags: Array<string>, versionCount: number, updatedAt: string, latestVersion?: { number: number, exampleCount: number, sizeBytes: number, createdAt: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type DeploymentMetricsQueryVariables = Exact<{
  name: Scalars['String']['input'];
  window: Scalars['Int']['input'];
  step: Scalars['Int']['input'];
}>;


export type DeploymentMetricsQuery = { deployment?: { id: string, metrics: { from: string, to: string, step: number, revisions: Array<{ revision: { number: number, modelVersion: { number: number } }, points: Array<{ time: string, requests: number, rps: number, errorRate?: number | null, p50Ms?: number | null, p95Ms?: number | null, p99Ms?: number | null }> }> } } | null };

export type SetDeploymentCanaryMutationVariables = Exact<{
  name: Scalars['String']['input'];
  version: Scalars['Int']['input'];
  weight: Scalars['Int']['input'];
  analysis?: InputMaybe<CanaryAnalysisInput>;
}>;


export type SetDeploymentCanaryMutation = { setDeploymentCanary: { id: string, canary?: { weight: number } | null } };

export type PromoteCanaryMutationVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type PromoteCanaryMutation = { promoteCanary: { id: string, currentRevision: { number: number } } };

export type RollbackDeploymentMutationVariables = Exact<{
  name: Scalars['String']['input'];
  toRevision?: InputMaybe<Scalars['Int']['input']>;
}>;


export type RollbackDeploymentMutation = { rollbackDeployment: { id: string, currentRevision: { number: number } } };

export type PredictMutationVariables = Exact<{
  deployment: Scalars['String']['input'];
  instances: Scalars['JSON']['input'];
}>;


export type PredictMutation = { predict: { revision: number, modelVersion: number, predictions: Array<{ label: string, probabilities: unknown }> } };

export type DeploymentDetailQueryVariables = Exact<{
  name: Scalars['String']['input'];
}>;


export type DeploymentDetailQuery = { deployment?: { id: string, name: string, status: DeploymentStatus, endpoint: string, inferenceEndpoint: string, logPayloads: boolean, requestLogRetentionHours: number, createdAt: string, updatedAt: string, createdBy?: { name: string } | null, project: { name: string }, model: { name: string, versions: { edges: Array<{ node: { number: number, status: ModelVersionStatus } }> } }, followAlias?: { alias: string, rollout: AliasRollout, canaryWeight?: number | null } | null, currentRevision: { number: number, modelVersion: { number: number, inputSignature?: unknown | null } }, traffic: Array<{ weight: number, revision: { number: number, state: RevisionState }, modelVersion: { number: number } }>, canary?: { weight: number, startedAt: string, revision: { number: number, modelVersion: { number: number } }, analysis?: { minRequests: number, maxErrorRateDelta: number, maxLatencyP99Ratio: number, intervalSeconds: number, windowSeconds: number } | null, lastAnalysis?: { verdict: CanaryVerdict, reason: string, at: string } | null } | null, revisions: { edges: Array<{ node: { id: string, number: number, state: RevisionState, readyInstances: number, failure?: string | null, firstReadyAt?: string | null, createdAt: string, createdBy?: { name: string } | null, modelVersion: { number: number }, batching: { maxBatchSize: number, maxQueueDelayMs: number, maxQueueSize: number } } }> }, events: { edges: Array<{ node: { id: string, kind: DeploymentEventKind, message: string, details: unknown, actor?: string | null, createdAt: string, revision?: { number: number } | null } }> } } | null };

export type DeploymentListQueryVariables = Exact<{
  project: Scalars['String']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type DeploymentListQuery = { deployments: { edges: Array<{ node: { id: string, name: string, status: DeploymentStatus, createdAt: string, model: { name: string }, followAlias?: { alias: string } | null, traffic: Array<{ weight: number, modelVersion: { number: number }, revision: { number: number } }>, canary?: { weight: number } | null } }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type SetModelAliasMutationVariables = Exact<{
  project: Scalars['String']['input'];
  model: Scalars['String']['input'];
  alias: Scalars['String']['input'];
  version: Scalars['Int']['input'];
}>;


export type SetModelAliasMutation = { setModelAlias: { alias: string, version: { number: number } } };

export type CompareVersionsQueryVariables = Exact<{
  project: Scalars['String']['input'];
  name: Scalars['String']['input'];
  a: Scalars['Int']['input'];
  b: Scalars['Int']['input'];
}>;


export type CompareVersionsQuery = { model?: { name: string, a?: { number: number, status: ModelVersionStatus, trainingDatasetVersion?: { id: string, number: number, dataset: { name: string } } | null, evaluations: Array<{ split: string, metrics: unknown, confusionMatrix?: Array<Array<number>> | null, labels: Array<string>, positiveLabel?: string | null, auc?: number | null, thresholdCurve?: Array<{ threshold: number, fpr: number, tpr: number }> | null, datasetVersion: { id: string, number: number, dataset: { name: string } } }> } | null, b?: { number: number, status: ModelVersionStatus, trainingDatasetVersion?: { id: string, number: number, dataset: { name: string } } | null, evaluations: Array<{ split: string, metrics: unknown, confusionMatrix?: Array<Array<number>> | null, labels: Array<string>, positiveLabel?: string | null, auc?: number | null, thresholdCurve?: Array<{ threshold: number, fpr: number, tpr: number }> | null, datasetVersion: { id: string, number: number, dataset: { name: string } } }> } | null } | null };

export type ComparedVersionFragment = { number: number, status: ModelVersionStatus, trainingDatasetVersion?: { id: string, number: number, dataset: { name: string } } | null, evaluations: Array<{ split: string, metrics: unknown, confusionMatrix?: Array<Array<number>> | null, labels: Array<string>, positiveLabel?: string | null, auc?: number | null, thresholdCurve?: Array<{ threshold: number, fpr: number, tpr: number }> | null, datasetVersion: { id: string, number: number, dataset: { name: string } } }> };

export type CreateDeploymentMutationVariables = Exact<{
  input: CreateDeploymentInput;
}>;


export type CreateDeploymentMutation = { createDeployment: { id: string, name: string } };

export type ModelDetailQueryVariables = Exact<{
  project: Scalars['String']['input'];
  name: Scalars['String']['input'];
}>;


export type ModelDetailQuery = { model?: { id: string, name: string, task: string, description: string, tags: Array<string>, versionCount: number, createdAt: string, updatedAt: string, aliases: Array<{ alias: string, updatedAt: string, version: { number: number } }>, versions: { edges: Array<{ node: { id: string, number: number, status: ModelVersionStatus, createdAt: string, description: string, tags: Array<string>, aliases: Array<string>, framework: string, sourceRun?: { id: string, name: string, status: RunStatus } | null, trainingDatasetVersion?: { id: string, number: number, dataset: { name: string } } | null, evaluations: Array<{ split: string, metrics: unknown }> } }>, pageInfo: { hasNextPage: boolean } } } | null };

export type PromoteModelVersionMutationVariables = Exact<{
  project: Scalars['String']['input'];
  model: Scalars['String']['input'];
  version: Scalars['Int']['input'];
  alias: Scalars['String']['input'];
  policy: PromotionPolicyInput;
}>;


export type PromoteModelVersionMutation = { promoteModelVersion: { promoted: boolean, alias: string, version: number, previousVersion?: number | null, metric: string, split?: string | null, candidateValue?: number | null, holderValue?: number | null, difference?: number | null, ciLow?: number | null, ciHigh?: number | null, confidence: number, minDelta: number, reason: string, datasetVersion?: { number: number, dataset: { name: string } } | null } };

export type ModelListQueryVariables = Exact<{
  project: Scalars['String']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ModelFilter>;
}>;


export type ModelListQuery = { models: { edges: Array<{ node: { id: string, name: string, task: string, tags: Array<string>, versionCount: number, updatedAt: string, aliases: Array<{ alias: string, version: { number: number } }>, latestVersion?: { number: number, status: ModelVersionStatus, createdAt: string } | null, versions: { edges: Array<{ node: { number: number, evaluations: Array<{ split: string, metrics: unknown }> } }> } } }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type OverviewQueryVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type OverviewQuery = { models: { edges: Array<{ node: { name: string, versions: { edges: Array<{ node: { number: number, status: ModelVersionStatus, createdAt: string, aliases: Array<string>, sourceRun?: { id: string } | null, evaluations: Array<{ split: string, metrics: unknown }> } }> } } }>, pageInfo: { hasNextPage: boolean } }, datasets: { edges: Array<{ node: { name: string, versionCount: number } }>, pageInfo: { hasNextPage: boolean } }, running: { edges: Array<{ node: { id: string, name: string, progress: number, etaSeconds?: number | null, startedAt?: string | null, model?: { name: string } | null } }> }, queued: { edges: Array<{ node: { id: string } }>, pageInfo: { hasNextPage: boolean } }, deployments: { edges: Array<{ node: { name: string, status: DeploymentStatus, model: { name: string }, traffic: Array<{ weight: number, modelVersion: { number: number } }> } }> }, recent: { edges: Array<{ node: { id: string, status: RunStatus } }>, pageInfo: { hasNextPage: boolean } } };

export type RunDetailQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  project: Scalars['String']['input'];
}>;


export type RunDetailQuery = { run?: { id: string, name: string, kind: RunKind, status: RunStatus, params: unknown, progress: number, etaSeconds?: number | null, eta?: string | null, error?: string | null, attempt: number, workerId?: string | null, backend?: string | null, heartbeatAt?: string | null, cancelRequested: boolean, startedAt?: string | null, endedAt?: string | null, createdAt: string, metricKeys: Array<string>, lease?: { state: RunLeaseState, expiresAt?: string | null } | null, project: { name: string }, model?: { name: string } | null, datasetVersion?: { id: string, number: number, contentSha256: string, dataset: { name: string } } | null, modelVersion?: { number: number, model: { name: string }, evaluations: Array<{ split: string, metrics: unknown, datasetVersion: { number: number, dataset: { name: string } } }> } | null } | null, runs: { edges: Array<{ node: { id: string, name: string, model?: { name: string } | null } }> } };

export type RunSeriesQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  key: Scalars['String']['input'];
  maxPoints: Scalars['Int']['input'];
  fromStep?: InputMaybe<Scalars['Int']['input']>;
  toStep?: InputMaybe<Scalars['Int']['input']>;
}>;


export type RunSeriesQuery = { run?: { id: string, name: string, metrics: { key: string, totalPoints: number, points: Array<{ step: number, value: number, min: number, max: number }> } } | null };

export type CancelRunMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type CancelRunMutation = { cancelRun: { id: string, status: RunStatus, cancelRequested: boolean } };

export type RetryRunMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type RetryRunMutation = { retryRun: { id: string, status: RunStatus, attempt: number } };

export type RunListQueryVariables = Exact<{
  project: Scalars['String']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<RunFilter>;
}>;


export type RunListQuery = { models: { edges: Array<{ node: { name: string } }> }, runs: { edges: Array<{ node: { id: string, name: string, kind: RunKind, status: RunStatus, progress: number, etaSeconds?: number | null, createdAt: string, startedAt?: string | null, endedAt?: string | null, model?: { name: string } | null, datasetVersion?: { number: number, dataset: { name: string } } | null, modelVersion?: { number: number } | null } }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type ScenarioProgressFragment = { key: ScenarioKey, state: ScenarioDemoState, preparedAt?: string | null, demos: Array<{ key: string, state: ScenarioDemoState, steps: Array<{ kind: ScenarioStepKind, status: ScenarioStepStatus, progress: number, message?: string | null, startedAt?: string | null, finishedAt?: string | null }>, run?: { id: string, status: RunStatus, progress: number, etaSeconds?: number | null } | null, modelVersion?: { number: number } | null, retraining?: { state: ScenarioDemoState, message?: string | null, hyperparameters: unknown, startedAt: string, finishedAt?: string | null, run?: { id: string, status: RunStatus, progress: number, etaSeconds?: number | null } | null, modelVersion?: { number: number } | null, evaluation?: { auc?: number | null, metrics: unknown } | null } | null }> };

export type DemoDeploymentFragment = { name: string, status: DeploymentStatus, currentRevision: { number: number, modelVersion: { number: number } }, traffic: Array<{ weight: number, revision: { number: number, state: RevisionState }, modelVersion: { number: number } }>, canary?: { weight: number, startedAt: string, revision: { number: number, modelVersion: { number: number } }, lastAnalysis?: { verdict: CanaryVerdict, reason: string, at: string, figures: { canaryRequests: number, stableRequests: number, canaryErrorRate?: number | null, stableErrorRate?: number | null, p99Ratio?: number | null } } | null } | null, events: { edges: Array<{ node: { id: string, kind: DeploymentEventKind, message: string, createdAt: string } }> } };

export type ScenarioDetailQueryVariables = Exact<{
  project: Scalars['String']['input'];
  key: ScenarioKey;
}>;


export type ScenarioDetailQuery = { scenario: { title: string, field: string, summary: string, caveats: string, key: ScenarioKey, state: ScenarioDemoState, preparedAt?: string | null, demos: Array<{ key: string, title: string, description: string, datasetName: string, modelName: string, deploymentName: string, task: ScenarioTask, positiveLabel: string, negativeLabel: string, positiveName: string, negativeName: string, hyperparameters: unknown, spec: unknown, qualityBar: unknown, state: ScenarioDemoState, features: Array<{ name: string, description: string, categorical: boolean, choices?: Array<number> | null, min?: number | null, max?: number | null, defaultValue: number }>, datasetVersion?: { number: number, exampleCount: number } | null, evaluation?: { id: string, split: string, metrics: unknown, labels: Array<string>, auc?: number | null, positiveLabel?: string | null, thresholdCurve?: Array<{ threshold: number, tp: number, fp: number, tn: number, fn: number }> | null } | null, deployment?: { name: string, status: DeploymentStatus, currentRevision: { number: number, modelVersion: { number: number } }, traffic: Array<{ weight: number, revision: { number: number, state: RevisionState }, modelVersion: { number: number } }>, canary?: { weight: number, startedAt: string, revision: { number: number, modelVersion: { number: number } }, lastAnalysis?: { verdict: CanaryVerdict, reason: string, at: string, figures: { canaryRequests: number, stableRequests: number, canaryErrorRate?: number | null, stableErrorRate?: number | null, p99Ratio?: number | null } } | null } | null, events: { edges: Array<{ node: { id: string, kind: DeploymentEventKind, message: string, createdAt: string } }> } } | null, samples: Array<{ id: string, label: string, positive: boolean, features?: unknown | null, image?: string | null }>, steps: Array<{ kind: ScenarioStepKind, status: ScenarioStepStatus, progress: number, message?: string | null, startedAt?: string | null, finishedAt?: string | null }>, run?: { id: string, status: RunStatus, progress: number, etaSeconds?: number | null } | null, modelVersion?: { number: number } | null, retraining?: { state: ScenarioDemoState, message?: string | null, hyperparameters: unknown, startedAt: string, finishedAt?: string | null, run?: { id: string, status: RunStatus, progress: number, etaSeconds?: number | null } | null, modelVersion?: { number: number } | null, evaluation?: { auc?: number | null, metrics: unknown } | null } | null }> } };

export type PrepareScenarioMutationVariables = Exact<{
  project: Scalars['String']['input'];
  key: ScenarioKey;
}>;


export type PrepareScenarioMutation = { prepareScenario: { key: ScenarioKey, state: ScenarioDemoState, preparedAt?: string | null, demos: Array<{ key: string, state: ScenarioDemoState, steps: Array<{ kind: ScenarioStepKind, status: ScenarioStepStatus, progress: number, message?: string | null, startedAt?: string | null, finishedAt?: string | null }>, run?: { id: string, status: RunStatus, progress: number, etaSeconds?: number | null } | null, modelVersion?: { number: number } | null, retraining?: { state: ScenarioDemoState, message?: string | null, hyperparameters: unknown, startedAt: string, finishedAt?: string | null, run?: { id: string, status: RunStatus, progress: number, etaSeconds?: number | null } | null, modelVersion?: { number: number } | null, evaluation?: { auc?: number | null, metrics: unknown } | null } | null }> } };

export type RetrainScenarioDemoMutationVariables = Exact<{
  project: Scalars['String']['input'];
  key: ScenarioKey;
  demo: Scalars['String']['input'];
  hyperparameters: HyperparametersInput;
  spec?: InputMaybe<ModelSpecInput>;
  canaryWeight?: InputMaybe<Scalars['Int']['input']>;
}>;


export type RetrainScenarioDemoMutation = { retrainScenarioDemo: { key: string, state: ScenarioDemoState } };

export type ScenarioPredictMutationVariables = Exact<{
  deployment: Scalars['String']['input'];
  instances: Scalars['JSON']['input'];
}>;


export type ScenarioPredictMutation = { predict: { revision: number, modelVersion: number, predictions: Array<{ label: string, probabilities: unknown }> } };

export type ScenarioImageQueryVariables = Exact<{
  project: Scalars['String']['input'];
  key: ScenarioKey;
  demo: Scalars['String']['input'];
  image: Scalars['String']['input'];
}>;


export type ScenarioImageQuery = { scenarioImage: string };

export type ScenariosQueryVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type ScenariosQuery = { scenarios: Array<{ key: ScenarioKey, title: string, field: string, summary: string, state: ScenarioDemoState, preparedAt?: string | null, demos: Array<{ key: string, title: string, task: ScenarioTask, state: ScenarioDemoState }> }> };

export type TrainChoicesQueryVariables = Exact<{
  project: Scalars['String']['input'];
}>;


export type TrainChoicesQuery = { datasets: { edges: Array<{ node: { name: string, versions: { edges: Array<{ node: { id: string, number: number, status: DatasetVersionStatus, exampleCount: number } }> } } }> }, models: { edges: Array<{ node: { name: string } }> } };

export type StartTrainingMutationVariables = Exact<{
  input: StartTrainingInput;
}>;


export type StartTrainingMutation = { startTraining: { id: string, status: RunStatus } };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { user: { name: string }, token: { name: string, role?: Role | null, project?: { name: string } | null }, memberships: Array<{ role: Role, project: { name: string, description: string } }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ComparedVersionFragmentDoc = new TypedDocumentString(`
    fragment ComparedVersion on ModelVersion {
  number
  status
  trainingDatasetVersion {
    id
    number
    dataset {
      name
    }
  }
  evaluations {
    split
    metrics
    confusionMatrix
    labels
    positiveLabel
    auc
    thresholdCurve(points: 101) {
      threshold
      fpr
      tpr
    }
    datasetVersion {
      id
      number
      dataset {
        name
      }
    }
  }
}
    `, {"fragmentName":"ComparedVersion"}) as unknown as TypedDocumentString<ComparedVersionFragment, unknown>;
export const ScenarioProgressFragmentDoc = new TypedDocumentString(`
    fragment ScenarioProgress on Scenario {
  key
  state
  preparedAt
  demos {
    key
    state
    steps {
      kind
      status
      progress
      message
      startedAt
      finishedAt
    }
    run {
      id
      status
      progress
      etaSeconds
    }
    modelVersion {
      number
    }
    retraining {
      state
      message
      hyperparameters
      startedAt
      finishedAt
      run {
        id
        status
        progress
        etaSeconds
      }
      modelVersion {
        number
      }
      evaluation {
        auc
        metrics
      }
    }
  }
}
    `, {"fragmentName":"ScenarioProgress"}) as unknown as TypedDocumentString<ScenarioProgressFragment, unknown>;
export const DemoDeploymentFragmentDoc = new TypedDocumentString(`
    fragment DemoDeployment on Deployment {
  name
  status
  currentRevision {
    number
    modelVersion {
      number
    }
  }
  traffic {
    weight
    revision {
      number
      state
    }
    modelVersion {
      number
    }
  }
  canary {
    weight
    startedAt
    revision {
      number
      modelVersion {
        number
      }
    }
    lastAnalysis {
      verdict
      reason
      at
      figures {
        canaryRequests
        stableRequests
        canaryErrorRate
        stableErrorRate
        p99Ratio
      }
    }
  }
  events(first: 6) {
    edges {
      node {
        id
        kind
        message
        createdAt
      }
    }
  }
}
    `, {"fragmentName":"DemoDeployment"}) as unknown as TypedDocumentString<DemoDeploymentFragment, unknown>;
export const RunUpdatedLiveDocument = new TypedDocumentString(`
    subscription RunUpdatedLive($id: ID!) {
  runUpdated(id: $id) {
    id
    status
    progress
    etaSeconds
    eta
    error
    attempt
    workerId
    backend
    heartbeatAt
    cancelRequested
    startedAt
    endedAt
    lease {
      state
      expiresAt
    }
    modelVersion {
      number
      model {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RunUpdatedLiveSubscription, RunUpdatedLiveSubscriptionVariables>;
export const MetricsLoggedLiveDocument = new TypedDocumentString(`
    subscription MetricsLoggedLive($runId: ID!) {
  metricsLogged(runId: $runId) {
    runId
    count
    latest {
      key
      step
      value
    }
  }
}
    `) as unknown as TypedDocumentString<MetricsLoggedLiveSubscription, MetricsLoggedLiveSubscriptionVariables>;
export const DeploymentUpdatedLiveDocument = new TypedDocumentString(`
    subscription DeploymentUpdatedLive($name: String!) {
  deploymentUpdated(name: $name) {
    id
    name
    status
    updatedAt
  }
}
    `) as unknown as TypedDocumentString<DeploymentUpdatedLiveSubscription, DeploymentUpdatedLiveSubscriptionVariables>;
export const ScenarioUpdatedLiveDocument = new TypedDocumentString(`
    subscription ScenarioUpdatedLive($project: String!, $key: ScenarioKey!) {
  scenarioUpdated(project: $project, key: $key) {
    ...ScenarioProgress
  }
}
    fragment ScenarioProgress on Scenario {
  key
  state
  preparedAt
  demos {
    key
    state
    steps {
      kind
      status
      progress
      message
      startedAt
      finishedAt
    }
    run {
      id
      status
      progress
      etaSeconds
    }
    modelVersion {
      number
    }
    retraining {
      state
      message
      hyperparameters
      startedAt
      finishedAt
      run {
        id
        status
        progress
        etaSeconds
      }
      modelVersion {
        number
      }
      evaluation {
        auc
        metrics
      }
    }
  }
}`) as unknown as TypedDocumentString<ScenarioUpdatedLiveSubscription, ScenarioUpdatedLiveSubscriptionVariables>;
export const DemoDeploymentLiveDocument = new TypedDocumentString(`
    subscription DemoDeploymentLive($name: String!) {
  deploymentUpdated(name: $name) {
    ...DemoDeployment
  }
}
    fragment DemoDeployment on Deployment {
  name
  status
  currentRevision {
    number
    modelVersion {
      number
    }
  }
  traffic {
    weight
    revision {
      number
      state
    }
    modelVersion {
      number
    }
  }
  canary {
    weight
    startedAt
    revision {
      number
      modelVersion {
        number
      }
    }
    lastAnalysis {
      verdict
      reason
      at
      figures {
        canaryRequests
        stableRequests
        canaryErrorRate
        stableErrorRate
        p99Ratio
      }
    }
  }
  events(first: 6) {
    edges {
      node {
        id
        kind
        message
        createdAt
      }
    }
  }
}`) as unknown as TypedDocumentString<DemoDeploymentLiveSubscription, DemoDeploymentLiveSubscriptionVariables>;
export const DatasetDetailDocument = new TypedDocumentString(`
    query DatasetDetail($project: String!, $name: String!) {
  dataset(project: $project, name: $name) {
    id
    name
    description
    tags
    versionCount
    createdAt
    updatedAt
    versions(first: 100) {
      edges {
        node {
          id
          number
          status
          contentSha256
          exampleCount
          sizeBytes
          splits
          schema
          source
          createdAt
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DatasetDetailQuery, DatasetDetailQueryVariables>;
export const DatasetVersionDetailDocument = new TypedDocumentString(`
    query DatasetVersionDetail($project: String!, $name: String!, $number: Int!) {
  dataset(project: $project, name: $name) {
    name
    version(number: $number) {
      id
      number
      status
      importProgress
      importError {
        message
        file
        line
        column
      }
      contentSha256
      sizeBytes
      exampleCount
      schema
      splits
      storageUri
      source
      description
      createdAt
      runs(first: 50) {
        edges {
          node {
            id
            name
            status
            createdAt
          }
        }
        pageInfo {
          hasNextPage
        }
      }
      modelVersions(first: 50) {
        edges {
          node {
            id
            number
            status
            model {
              name
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DatasetVersionDetailQuery, DatasetVersionDetailQueryVariables>;
export const ImportDatasetDocument = new TypedDocumentString(`
    mutation ImportDataset($input: ImportDatasetInput!) {
  importDataset(input: $input) {
    id
    number
    dataset {
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ImportDatasetMutation, ImportDatasetMutationVariables>;
export const ImportProgressDocument = new TypedDocumentString(`
    query ImportProgress($project: String!, $name: String!, $number: Int!) {
  dataset(project: $project, name: $name) {
    version(number: $number) {
      status
      importProgress
      importError {
        message
        file
        line
        column
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ImportProgressQuery, ImportProgressQueryVariables>;
export const DatasetListDocument = new TypedDocumentString(`
    query DatasetList($project: String!, $after: String, $filter: DatasetFilter) {
  datasets(project: $project, first: 25, after: $after, filter: $filter) {
    edges {
      node {
        id
        name
        description
        tags
        versionCount
        updatedAt
        latestVersion {
          number
          exampleCount
          sizeBytes
          createdAt
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<DatasetListQuery, DatasetListQueryVariables>;
export const DeploymentMetricsDocument = new TypedDocumentString(`
    query DeploymentMetrics($name: String!, $window: Int!, $step: Int!) {
  deployment(name: $name) {
    id
    metrics(window: $window, step: $step) {
      from
      to
      step
      revisions {
        revision {
          number
          modelVersion {
            number
          }
        }
        points {
          time
          requests
          rps
          errorRate
          p50Ms
          p95Ms
          p99Ms
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DeploymentMetricsQuery, DeploymentMetricsQueryVariables>;
export const SetDeploymentCanaryDocument = new TypedDocumentString(`
    mutation SetDeploymentCanary($name: String!, $version: Int!, $weight: Int!, $analysis: CanaryAnalysisInput) {
  setDeploymentCanary(
    name: $name
    version: $version
    weight: $weight
    analysis: $analysis
  ) {
    id
    canary {
      weight
    }
  }
}
    `) as unknown as TypedDocumentString<SetDeploymentCanaryMutation, SetDeploymentCanaryMutationVariables>;
export const PromoteCanaryDocument = new TypedDocumentString(`
    mutation PromoteCanary($name: String!) {
  promoteCanary(name: $name) {
    id
    currentRevision {
      number
    }
  }
}
    `) as unknown as TypedDocumentString<PromoteCanaryMutation, PromoteCanaryMutationVariables>;
export const RollbackDeploymentDocument = new TypedDocumentString(`
    mutation RollbackDeployment($name: String!, $toRevision: Int) {
  rollbackDeployment(name: $name, toRevision: $toRevision) {
    id
    currentRevision {
      number
    }
  }
}
    `) as unknown as TypedDocumentString<RollbackDeploymentMutation, RollbackDeploymentMutationVariables>;
export const PredictDocument = new TypedDocumentString(`
    mutation Predict($deployment: String!, $instances: JSON!) {
  predict(deployment: $deployment, instances: $instances) {
    revision
    modelVersion
    predictions {
      label
      probabilities
    }
  }
}
    `) as unknown as TypedDocumentString<PredictMutation, PredictMutationVariables>;
export const DeploymentDetailDocument = new TypedDocumentString(`
    query DeploymentDetail($name: String!) {
  deployment(name: $name) {
    id
    name
    status
    endpoint
    inferenceEndpoint
    logPayloads
    requestLogRetentionHours
    createdAt
    updatedAt
    createdBy {
      name
    }
    project {
      name
    }
    model {
      name
      versions(first: 100) {
        edges {
          node {
            number
            status
          }
        }
      }
    }
    followAlias {
      alias
      rollout
      canaryWeight
    }
    currentRevision {
      number
      modelVersion {
        number
        inputSignature
      }
    }
    traffic {
      weight
      revision {
        number
        state
      }
      modelVersion {
        number
      }
    }
    canary {
      weight
      startedAt
      revision {
        number
        modelVersion {
          number
        }
      }
      analysis {
        minRequests
        maxErrorRateDelta
        maxLatencyP99Ratio
        intervalSeconds
        windowSeconds
      }
      lastAnalysis {
        verdict
        reason
        at
      }
    }
    revisions(first: 50) {
      edges {
        node {
          id
          number
          state
          readyInstances
          failure
          firstReadyAt
          createdAt
          createdBy {
            name
          }
          modelVersion {
            number
          }
          batching {
            maxBatchSize
            maxQueueDelayMs
            maxQueueSize
          }
        }
      }
    }
    events(first: 30) {
      edges {
        node {
          id
          kind
          message
          details
          actor
          createdAt
          revision {
            number
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DeploymentDetailQuery, DeploymentDetailQueryVariables>;
export const DeploymentListDocument = new TypedDocumentString(`
    query DeploymentList($project: String!, $after: String) {
  deployments(project: $project, first: 25, after: $after) {
    edges {
      node {
        id
        name
        status
        createdAt
        model {
          name
        }
        followAlias {
          alias
        }
        traffic {
          weight
          modelVersion {
            number
          }
          revision {
            number
          }
        }
        canary {
          weight
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<DeploymentListQuery, DeploymentListQueryVariables>;
export const SetModelAliasDocument = new TypedDocumentString(`
    mutation SetModelAlias($project: String!, $model: String!, $alias: String!, $version: Int!) {
  setModelAlias(
    project: $project
    model: $model
    alias: $alias
    version: $version
  ) {
    alias
    version {
      number
    }
  }
}
    `) as unknown as TypedDocumentString<SetModelAliasMutation, SetModelAliasMutationVariables>;
export const CompareVersionsDocument = new TypedDocumentString(`
    query CompareVersions($project: String!, $name: String!, $a: Int!, $b: Int!) {
  model(project: $project, name: $name) {
    name
    a: version(number: $a) {
      ...ComparedVersion
    }
    b: version(number: $b) {
      ...ComparedVersion
    }
  }
}
    fragment ComparedVersion on ModelVersion {
  number
  status
  trainingDatasetVersion {
    id
    number
    dataset {
      name
    }
  }
  evaluations {
    split
    metrics
    confusionMatrix
    labels
    positiveLabel
    auc
    thresholdCurve(points: 101) {
      threshold
      fpr
      tpr
    }
    datasetVersion {
      id
      number
      dataset {
        name
      }
    }
  }
}`) as unknown as TypedDocumentString<CompareVersionsQuery, CompareVersionsQueryVariables>;
export const CreateDeploymentDocument = new TypedDocumentString(`
    mutation CreateDeployment($input: CreateDeploymentInput!) {
  createDeployment(input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<CreateDeploymentMutation, CreateDeploymentMutationVariables>;
export const ModelDetailDocument = new TypedDocumentString(`
    query ModelDetail($project: String!, $name: String!) {
  model(project: $project, name: $name) {
    id
    name
    task
    description
    tags
    versionCount
    createdAt
    updatedAt
    aliases {
      alias
      updatedAt
      version {
        number
      }
    }
    versions(first: 100) {
      edges {
        node {
          id
          number
          status
          createdAt
          description
          tags
          aliases
          framework
          sourceRun {
            id
            name
            status
          }
          trainingDatasetVersion {
            id
            number
            dataset {
              name
            }
          }
          evaluations {
            split
            metrics
          }
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ModelDetailQuery, ModelDetailQueryVariables>;
export const PromoteModelVersionDocument = new TypedDocumentString(`
    mutation PromoteModelVersion($project: String!, $model: String!, $version: Int!, $alias: String!, $policy: PromotionPolicyInput!) {
  promoteModelVersion(
    project: $project
    model: $model
    version: $version
    alias: $alias
    policy: $policy
  ) {
    promoted
    alias
    version
    previousVersion
    metric
    split
    candidateValue
    holderValue
    difference
    ciLow
    ciHigh
    confidence
    minDelta
    reason
    datasetVersion {
      number
      dataset {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PromoteModelVersionMutation, PromoteModelVersionMutationVariables>;
export const ModelListDocument = new TypedDocumentString(`
    query ModelList($project: String!, $after: String, $filter: ModelFilter) {
  models(project: $project, first: 25, after: $after, filter: $filter) {
    edges {
      node {
        id
        name
        task
        tags
        versionCount
        updatedAt
        aliases {
          alias
          version {
            number
          }
        }
        latestVersion {
          number
          status
          createdAt
        }
        versions(first: 50) {
          edges {
            node {
              number
              evaluations {
                split
                metrics
              }
            }
          }
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<ModelListQuery, ModelListQueryVariables>;
export const OverviewDocument = new TypedDocumentString(`
    query Overview($project: String!) {
  models(project: $project, first: 100) {
    edges {
      node {
        name
        versions(first: 5) {
          edges {
            node {
              number
              status
              createdAt
              aliases
              sourceRun {
                id
              }
              evaluations {
                split
                metrics
              }
            }
          }
        }
      }
    }
    pageInfo {
      hasNextPage
    }
  }
  datasets(project: $project, first: 100) {
    edges {
      node {
        name
        versionCount
      }
    }
    pageInfo {
      hasNextPage
    }
  }
  running: runs(project: $project, first: 20, filter: {status: RUNNING}) {
    edges {
      node {
        id
        name
        progress
        etaSeconds
        startedAt
        model {
          name
        }
      }
    }
  }
  queued: runs(project: $project, first: 100, filter: {status: QUEUED}) {
    edges {
      node {
        id
      }
    }
    pageInfo {
      hasNextPage
    }
  }
  deployments(project: $project, first: 10) {
    edges {
      node {
        name
        status
        model {
          name
        }
        traffic {
          weight
          modelVersion {
            number
          }
        }
      }
    }
  }
  recent: runs(project: $project, first: 100) {
    edges {
      node {
        id
        status
      }
    }
    pageInfo {
      hasNextPage
    }
  }
}
    `) as unknown as TypedDocumentString<OverviewQuery, OverviewQueryVariables>;
export const RunDetailDocument = new TypedDocumentString(`
    query RunDetail($id: ID!, $project: String!) {
  run(id: $id) {
    id
    name
    kind
    status
    params
    progress
    etaSeconds
    eta
    error
    attempt
    workerId
    backend
    heartbeatAt
    cancelRequested
    lease {
      state
      expiresAt
    }
    startedAt
    endedAt
    createdAt
    metricKeys
    project {
      name
    }
    model {
      name
    }
    datasetVersion {
      id
      number
      contentSha256
      dataset {
        name
      }
    }
    modelVersion {
      number
      model {
        name
      }
      evaluations {
        split
        metrics
        datasetVersion {
          number
          dataset {
            name
          }
        }
      }
    }
  }
  runs(project: $project, first: 50, filter: {kind: TRAINING}) {
    edges {
      node {
        id
        name
        model {
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RunDetailQuery, RunDetailQueryVariables>;
export const RunSeriesDocument = new TypedDocumentString(`
    query RunSeries($id: ID!, $key: String!, $maxPoints: Int!, $fromStep: Int, $toStep: Int) {
  run(id: $id) {
    id
    name
    metrics(key: $key, maxPoints: $maxPoints, fromStep: $fromStep, toStep: $toStep) {
      key
      totalPoints
      points {
        step
        value
        min
        max
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RunSeriesQuery, RunSeriesQueryVariables>;
export const CancelRunDocument = new TypedDocumentString(`
    mutation CancelRun($id: ID!) {
  cancelRun(id: $id) {
    id
    status
    cancelRequested
  }
}
    `) as unknown as TypedDocumentString<CancelRunMutation, CancelRunMutationVariables>;
export const RetryRunDocument = new TypedDocumentString(`
    mutation RetryRun($id: ID!) {
  retryRun(id: $id) {
    id
    status
    attempt
  }
}
    `) as unknown as TypedDocumentString<RetryRunMutation, RetryRunMutationVariables>;
export const RunListDocument = new TypedDocumentString(`
    query RunList($project: String!, $after: String, $filter: RunFilter) {
  models(project: $project, first: 100) {
    edges {
      node {
        name
      }
    }
  }
  runs(project: $project, first: 25, after: $after, filter: $filter) {
    edges {
      node {
        id
        name
        kind
        status
        progress
        etaSeconds
        createdAt
        startedAt
        endedAt
        model {
          name
        }
        datasetVersion {
          number
          dataset {
            name
          }
        }
        modelVersion {
          number
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    `) as unknown as TypedDocumentString<RunListQuery, RunListQueryVariables>;
export const ScenarioDetailDocument = new TypedDocumentString(`
    query ScenarioDetail($project: String!, $key: ScenarioKey!) {
  scenario(project: $project, key: $key) {
    ...ScenarioProgress
    title
    field
    summary
    caveats
    demos {
      key
      title
      description
      datasetName
      modelName
      deploymentName
      task
      positiveLabel
      negativeLabel
      positiveName
      negativeName
      hyperparameters
      spec
      qualityBar
      features {
        name
        description
        categorical
        choices
        min
        max
        defaultValue
      }
      datasetVersion {
        number
        exampleCount
      }
      evaluation {
        id
        split
        metrics
        labels
        auc
        positiveLabel
        thresholdCurve(points: 101) {
          threshold
          tp
          fp
          tn
          fn
        }
      }
      deployment {
        ...DemoDeployment
      }
      samples(first: 48) {
        id
        label
        positive
        features
        image
      }
    }
  }
}
    fragment ScenarioProgress on Scenario {
  key
  state
  preparedAt
  demos {
    key
    state
    steps {
      kind
      status
      progress
      message
      startedAt
      finishedAt
    }
    run {
      id
      status
      progress
      etaSeconds
    }
    modelVersion {
      number
    }
    retraining {
      state
      message
      hyperparameters
      startedAt
      finishedAt
      run {
        id
        status
        progress
        etaSeconds
      }
      modelVersion {
        number
      }
      evaluation {
        auc
        metrics
      }
    }
  }
}
fragment DemoDeployment on Deployment {
  name
  status
  currentRevision {
    number
    modelVersion {
      number
    }
  }
  traffic {
    weight
    revision {
      number
      state
    }
    modelVersion {
      number
    }
  }
  canary {
    weight
    startedAt
    revision {
      number
      modelVersion {
        number
      }
    }
    lastAnalysis {
      verdict
      reason
      at
      figures {
        canaryRequests
        stableRequests
        canaryErrorRate
        stableErrorRate
        p99Ratio
      }
    }
  }
  events(first: 6) {
    edges {
      node {
        id
        kind
        message
        createdAt
      }
    }
  }
}`) as unknown as TypedDocumentString<ScenarioDetailQuery, ScenarioDetailQueryVariables>;
export const PrepareScenarioDocument = new TypedDocumentString(`
    mutation PrepareScenario($project: String!, $key: ScenarioKey!) {
  prepareScenario(project: $project, key: $key) {
    ...ScenarioProgress
  }
}
    fragment ScenarioProgress on Scenario {
  key
  state
  preparedAt
  demos {
    key
    state
    steps {
      kind
      status
      progress
      message
      startedAt
      finishedAt
    }
    run {
      id
      status
      progress
      etaSeconds
    }
    modelVersion {
      number
    }
    retraining {
      state
      message
      hyperparameters
      startedAt
      finishedAt
      run {
        id
        status
        progress
        etaSeconds
      }
      modelVersion {
        number
      }
      evaluation {
        auc
        metrics
      }
    }
  }
}`) as unknown as TypedDocumentString<PrepareScenarioMutation, PrepareScenarioMutationVariables>;
export const RetrainScenarioDemoDocument = new TypedDocumentString(`
    mutation RetrainScenarioDemo($project: String!, $key: ScenarioKey!, $demo: String!, $hyperparameters: HyperparametersInput!, $spec: ModelSpecInput, $canaryWeight: Int) {
  retrainScenarioDemo(
    project: $project
    key: $key
    demo: $demo
    hyperparameters: $hyperparameters
    spec: $spec
    canaryWeight: $canaryWeight
  ) {
    key
    state
  }
}
    `) as unknown as TypedDocumentString<RetrainScenarioDemoMutation, RetrainScenarioDemoMutationVariables>;
export const ScenarioPredictDocument = new TypedDocumentString(`
    mutation ScenarioPredict($deployment: String!, $instances: JSON!) {
  predict(deployment: $deployment, instances: $instances) {
    revision
    modelVersion
    predictions {
      label
      probabilities
    }
  }
}
    `) as unknown as TypedDocumentString<ScenarioPredictMutation, ScenarioPredictMutationVariables>;
export const ScenarioImageDocument = new TypedDocumentString(`
    query ScenarioImage($project: String!, $key: ScenarioKey!, $demo: String!, $image: String!) {
  scenarioImage(project: $project, key: $key, demo: $demo, image: $image)
}
    `) as unknown as TypedDocumentString<ScenarioImageQuery, ScenarioImageQueryVariables>;
export const ScenariosDocument = new TypedDocumentString(`
    query Scenarios($project: String!) {
  scenarios(project: $project) {
    key
    title
    field
    summary
    state
    preparedAt
    demos {
      key
      title
      task
      state
    }
  }
}
    `) as unknown as TypedDocumentString<ScenariosQuery, ScenariosQueryVariables>;
export const TrainChoicesDocument = new TypedDocumentString(`
    query TrainChoices($project: String!) {
  datasets(project: $project, first: 50) {
    edges {
      node {
        name
        versions(first: 20) {
          edges {
            node {
              id
              number
              status
              exampleCount
            }
          }
        }
      }
    }
  }
  models(project: $project, first: 100) {
    edges {
      node {
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TrainChoicesQuery, TrainChoicesQueryVariables>;
export const StartTrainingDocument = new TypedDocumentString(`
    mutation StartTraining($input: StartTrainingInput!) {
  startTraining(input: $input) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<StartTrainingMutation, StartTrainingMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    user {
      name
    }
    token {
      name
      role
      project {
        name
      }
    }
    memberships {
      role
      project {
        name
        description
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;