/**
 * How a served model groups requests (Triton's dynamic batcher, KServe's batcher). Defaults and limits belong to
 * the deployment (the control plane validates them); a revision carries its own.
 */
export interface BatchingConfig {
  /** Rows per model call; 1 turns batching off. */
  maxBatchSize: number;
  /** How long the first queued row may wait for others before a partial batch runs. */
  maxQueueDelayMs: number;
  /** Instances that may wait at once; beyond that requests are refused (503 + Retry-After), never buffered. */
  maxQueueSize: number;
}
