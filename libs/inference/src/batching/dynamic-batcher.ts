import { InferenceError, QueueFullError } from '../inference-error';
import type { BatchingConfig } from './batching-config';
import { SerialLane } from './serial-lane';

/** One model call: `rows` instances of `inputWidth` values in, `rows` × outputWidth values out. */
export type RunBatch = (inputs: Float32Array, rows: number) => Promise<Float32Array>;

export interface BatchReport {
  rows: number;
  /** Requests with rows in the batch. */
  requests: number;
  durationMs: number;
  error?: unknown;
}

export interface DynamicBatcherOptions {
  inputWidth: number;
  outputWidth: number;
  run: RunBatch;
  /** Where model calls take turns; rows are taken from the queue only when the batch's turn comes. */
  lane?: SerialLane;
  onBatch?: (report: BatchReport) => void;
}

/** What a caller gets back: its own rows' outputs, in its order, and the size of the batch(es) they ran in. */
export interface BatchResult {
  outputs: Float32Array;
  /** Rows of the largest batch this request's rows ran in (its own included). */
  batchSize: number;
}

interface Pending {
  input: Float32Array;
  rows: number;
  /** Rows handed to batches so far. */
  taken: number;
  /** Rows whose outputs arrived. */
  done: number;
  output: Float32Array;
  batchSize: number;
  failed: boolean;
  enqueuedAt: number;
  resolve: (result: BatchResult) => void;
  reject: (error: unknown) => void;
}

interface Segment {
  pending: Pending;
  from: number;
  rows: number;
}

/** Starting estimate of rows per second for Retry-After, before any batch was measured. */
const INITIAL_ROWS_PER_SECOND = 100;
const RATE_SMOOTHING = 0.2;

/**
 * Dynamic batching for one model: requests queue their rows; a batch runs as soon as `maxBatchSize` rows wait, or
 * when the oldest row has waited `maxQueueDelayMs`. A request's rows may be split across batches and batches mix
 * rows of many requests; each caller gets exactly its own rows back, in order. One model call per batch, at most
 * one batch of this model at a time. The queue holds at most `maxQueueSize` rows: beyond that, submit() refuses
 * with QueueFullError (with a Retry-After estimate) rather than buffering without bound. A failed batch rejects
 * only the requests that had rows in it.
 */
export class DynamicBatcher {
  private readonly queue: Pending[] = [];
  private queuedRowCount = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private rowsPerSecond = INITIAL_ROWS_PER_SECOND;
  private readonly lane: SerialLane;

  constructor(
    readonly config: BatchingConfig,
    private readonly options: DynamicBatcherOptions,
  ) {
    this.lane = options.lane ?? new SerialLane();
  }

  /** Rows waiting for a batch. */
  get queuedRows(): number {
    return this.queuedRowCount;
  }

  /** Requests not yet answered (queued or in the running batch). */
  get busy(): boolean {
    return this.queue.length > 0 || this.running;
  }

  /**
   * Queues `rows` instances (`input` holds rows × inputWidth values) and resolves with their outputs
   * (rows × outputWidth). Throws InferenceError TOO_MANY_INSTANCES when they could never fit the queue, and
   * QueueFullError when they do not fit now.
   */
  submit(input: Float32Array, rows: number): Promise<BatchResult> {
    const { maxQueueSize } = this.config;
    if (input.length !== rows * this.options.inputWidth) {
      throw new Error(
        `DynamicBatcher.submit: ${input.length} values are not ${rows} rows of ${this.options.inputWidth}`,
      );
    }
    if (rows > maxQueueSize) {
      throw new InferenceError(
        'TOO_MANY_INSTANCES',
        `${rows} instances in one request; this deployment queues at most ${maxQueueSize} (batching.maxQueueSize)`,
        'instances',
      );
    }
    if (this.queuedRowCount + rows > maxQueueSize) {
      const retryAfterSeconds = Math.max(1, Math.ceil((this.queuedRowCount + rows) / this.rowsPerSecond));
      throw new QueueFullError(
        `The model's queue is full (${this.queuedRowCount} of ${maxQueueSize} instances waiting); retry in ${retryAfterSeconds} s`,
        retryAfterSeconds,
      );
    }
    if (rows === 0) return Promise.resolve({ outputs: new Float32Array(0), batchSize: 0 });
    return new Promise<BatchResult>((resolve, reject) => {
      this.queue.push({
        input,
        rows,
        taken: 0,
        done: 0,
        output: new Float32Array(rows * this.options.outputWidth),
        batchSize: 0,
        failed: false,
        enqueuedAt: performance.now(),
        resolve,
        reject,
      });
      this.queuedRowCount += rows;
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.running || this.queuedRowCount === 0) return;
    if (this.queuedRowCount >= this.config.maxBatchSize) {
      this.dispatch();
      return;
    }
    if (this.timer) return;
    const waited = performance.now() - this.queue[0]!.enqueuedAt;
    this.timer = setTimeout(() => this.dispatch(), Math.max(0, this.config.maxQueueDelayMs - waited));
  }

  private dispatch(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.running = true;
    void this.lane
      .run(() => this.runBatch())
      .finally(() => {
        // Back to the event loop between batches: answers go out and new requests come in before the next one,
        // instead of a chain of batches holding the thread while a deep queue drains.
        setImmediate(() => {
          this.running = false;
          this.schedule();
        });
      });
  }

  /** Takes up to maxBatchSize rows from the front of the queue. */
  private take(): Segment[] {
    const segments: Segment[] = [];
    let capacity = this.config.maxBatchSize;
    while (capacity > 0 && this.queue.length > 0) {
      const pending = this.queue[0]!;
      const rows = Math.min(pending.rows - pending.taken, capacity);
      segments.push({ pending, from: pending.taken, rows });
      pending.taken += rows;
      capacity -= rows;
      this.queuedRowCount -= rows;
      if (pending.taken === pending.rows) this.queue.shift();
    }
    return segments;
  }

  private async runBatch(): Promise<void> {
    const segments = this.take();
    const rows = segments.reduce((sum, segment) => sum + segment.rows, 0);
    if (rows === 0) return;
    const { inputWidth, outputWidth } = this.options;
    const only = segments.length === 1 ? segments[0]! : null;
    let input: Float32Array;
    if (only && only.rows === only.pending.rows) input = only.pending.input;
    else {
      input = new Float32Array(rows * inputWidth);
      let offset = 0;
      for (const { pending, from, rows: count } of segments) {
        input.set(pending.input.subarray(from * inputWidth, (from + count) * inputWidth), offset * inputWidth);
        offset += count;
      }
    }
    const started = performance.now();
    let outputs: Float32Array;
    try {
      outputs = await this.options.run(input, rows);
      if (outputs.length !== rows * outputWidth) {
        throw new InferenceError(
          'PREDICTION_FAILED',
          `the model returned ${outputs.length} values for ${rows} rows of ${outputWidth}`,
        );
      }
    } catch (error) {
      this.fail(segments, error);
      this.options.onBatch?.({ rows, requests: segments.length, durationMs: performance.now() - started, error });
      return;
    }
    const durationMs = performance.now() - started;
    this.rowsPerSecond += RATE_SMOOTHING * (rows / Math.max(durationMs / 1000, 1e-6) - this.rowsPerSecond);
    let offset = 0;
    for (const { pending, from, rows: count } of segments) {
      if (!pending.failed) {
        pending.output.set(outputs.subarray(offset * outputWidth, (offset + count) * outputWidth), from * outputWidth);
        pending.done += count;
        pending.batchSize = Math.max(pending.batchSize, rows);
        if (pending.done === pending.rows) pending.resolve({ outputs: pending.output, batchSize: pending.batchSize });
      }
      offset += count;
    }
    this.options.onBatch?.({ rows, requests: segments.length, durationMs });
  }

  /** Rejects the requests of a failed batch and drops their rows still queued; other requests go on. */
  private fail(segments: Segment[], error: unknown): void {
    const cause =
      error instanceof InferenceError
        ? error
        : new InferenceError(
            'PREDICTION_FAILED',
            `The model failed on a batch: ${(error as Error)?.message ?? String(error)}`,
          );
    for (const { pending } of segments) {
      if (pending.failed) continue;
      pending.failed = true;
      const left = pending.rows - pending.taken;
      if (left > 0) {
        this.queuedRowCount -= left;
        pending.taken = pending.rows;
        const index = this.queue.indexOf(pending);
        if (index !== -1) this.queue.splice(index, 1);
      }
      pending.reject(cause);
    }
  }
}
