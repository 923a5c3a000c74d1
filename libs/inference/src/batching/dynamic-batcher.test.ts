import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InferenceError, QueueFullError } from '../inference-error';
import { DynamicBatcher, type BatchReport } from './dynamic-batcher';
import { SerialLane } from './serial-lane';

/** A model whose output row i is [input row i's first value, its second + 100]: every row's answer is its own. */
function echoModel() {
  const calls: number[][] = [];
  const run = vi.fn(async (inputs: Float32Array, rows: number) => {
    const out = new Float32Array(rows * 2);
    const firsts: number[] = [];
    for (let row = 0; row < rows; row++) {
      out[row * 2] = inputs[row * 2]!;
      out[row * 2 + 1] = inputs[row * 2 + 1]! + 100;
      firsts.push(inputs[row * 2]!);
    }
    calls.push(firsts);
    return out;
  });
  return { run, calls };
}

/** `rows` rows whose first value is `start`, `start + 1`, … and second value the same. */
function rowsFrom(start: number, rows: number): Float32Array {
  const data = new Float32Array(rows * 2);
  for (let row = 0; row < rows; row++) data.set([start + row, start + row], row * 2);
  return data;
}

function expectOwnRows(outputs: Float32Array, start: number, rows: number): void {
  const expected: number[] = [];
  for (let row = 0; row < rows; row++) expected.push(start + row, start + row + 100);
  expect(Array.from(outputs)).toEqual(expected);
}

const config = (maxBatchSize: number, maxQueueDelayMs = 5, maxQueueSize = 1024) => ({
  maxBatchSize,
  maxQueueDelayMs,
  maxQueueSize,
});

describe('DynamicBatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('merges small requests into one model call and gives each caller its own rows, in order', async () => {
    const model = echoModel();
    const batcher = new DynamicBatcher(config(8), { inputWidth: 2, outputWidth: 2, run: model.run });
    const a = batcher.submit(rowsFrom(0, 3), 3);
    const b = batcher.submit(rowsFrom(10, 2), 2);
    const c = batcher.submit(rowsFrom(20, 1), 1);
    await vi.advanceTimersByTimeAsync(5);
    const [ra, rb, rc] = await Promise.all([a, b, c]);
    expect(model.run).toHaveBeenCalledTimes(1);
    expect(model.calls).toEqual([[0, 1, 2, 10, 11, 20]]);
    expectOwnRows(ra.outputs, 0, 3);
    expectOwnRows(rb.outputs, 10, 2);
    expectOwnRows(rc.outputs, 20, 1);
    expect([ra.batchSize, rb.batchSize, rc.batchSize]).toEqual([6, 6, 6]);
  });

  it('splits a large request across batches and reassembles it, sharing batches with its neighbours', async () => {
    const model = echoModel();
    const batcher = new DynamicBatcher(config(4), { inputWidth: 2, outputWidth: 2, run: model.run });
    const first = batcher.submit(rowsFrom(0, 2), 2);
    const big = batcher.submit(rowsFrom(100, 9), 9);
    const last = batcher.submit(rowsFrom(200, 3), 3);
    await vi.runAllTimersAsync();
    const [r1, r2, r3] = await Promise.all([first, big, last]);
    // Full batches of 4 run at once (size flush); the 2 rows left run when the delay expires (timer flush).
    expect(model.calls).toEqual([
      [0, 1, 100, 101],
      [102, 103, 104, 105],
      [106, 107, 108, 200],
      [201, 202],
    ]);
    expectOwnRows(r1.outputs, 0, 2);
    expectOwnRows(r2.outputs, 100, 9);
    expectOwnRows(r3.outputs, 200, 3);
  });

  it('flushes on size at once, and a partial batch only when the oldest row waited maxQueueDelayMs', async () => {
    const model = echoModel();
    const batcher = new DynamicBatcher(config(4, 50), { inputWidth: 2, outputWidth: 2, run: model.run });
    const full = batcher.submit(rowsFrom(0, 4), 4);
    await vi.advanceTimersByTimeAsync(0);
    expect(model.calls).toEqual([[0, 1, 2, 3]]);
    await full;

    const partial = batcher.submit(rowsFrom(10, 1), 1);
    await vi.advanceTimersByTimeAsync(30);
    const joining = batcher.submit(rowsFrom(20, 1), 1);
    await vi.advanceTimersByTimeAsync(19);
    expect(model.calls).toHaveLength(1); // 49 ms after the first row: still waiting
    await vi.advanceTimersByTimeAsync(1);
    expect(model.calls).toEqual([
      [0, 1, 2, 3],
      [10, 20],
    ]);
    expectOwnRows((await partial).outputs, 10, 1);
    expectOwnRows((await joining).outputs, 20, 1);
  });

  it('with maxBatchSize 1 (batching off) calls the model once per row', async () => {
    const model = echoModel();
    const batcher = new DynamicBatcher(config(1, 0), { inputWidth: 2, outputWidth: 2, run: model.run });
    const results = Promise.all([batcher.submit(rowsFrom(0, 2), 2), batcher.submit(rowsFrom(5, 1), 1)]);
    await vi.runAllTimersAsync();
    const [a, b] = await results;
    expect(model.calls).toEqual([[0], [1], [5]]);
    expectOwnRows(a.outputs, 0, 2);
    expectOwnRows(b.outputs, 5, 1);
  });

  it('refuses rows beyond maxQueueSize with QueueFullError and a Retry-After, and accepts again once drained', async () => {
    const model = echoModel();
    const batcher = new DynamicBatcher(config(4, 10, 6), { inputWidth: 2, outputWidth: 2, run: model.run });
    const queued = batcher.submit(rowsFrom(0, 3), 3);
    const alsoQueued = batcher.submit(rowsFrom(3, 3), 3);
    let refusal: unknown;
    try {
      void batcher.submit(rowsFrom(9, 1), 1);
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(QueueFullError);
    expect((refusal as QueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect((refusal as QueueFullError).reason).toBe('QUEUE_FULL');
    expect(() => batcher.submit(rowsFrom(0, 7), 7)).toThrow(
      expect.objectContaining({ reason: 'TOO_MANY_INSTANCES', field: 'instances' }),
    );
    expect(model.run).not.toHaveBeenCalled(); // refusals cost no model call
    await vi.runAllTimersAsync();
    await Promise.all([queued, alsoQueued]);
    expect(batcher.queuedRows).toBe(0);
    const later = batcher.submit(rowsFrom(9, 1), 1);
    await vi.runAllTimersAsync();
    expectOwnRows((await later).outputs, 9, 1);
  });

  it('fails only the requests with rows in a failed batch; the others are answered', async () => {
    let call = 0;
    const reports: BatchReport[] = [];
    const run = async (inputs: Float32Array, rows: number) => {
      call++;
      if (call === 2) throw new Error('kernel exploded');
      return echoModel().run(inputs, rows);
    };
    const batcher = new DynamicBatcher(config(3), {
      inputWidth: 2,
      outputWidth: 2,
      run,
      onBatch: (r) => reports.push(r),
    });
    const outcomes = [
      batcher.submit(rowsFrom(0, 3), 3), // batch 1
      batcher.submit(rowsFrom(10, 2), 2), // batch 2 (fails) …
      batcher.submit(rowsFrom(20, 3), 3), // … with this one's first row; its last two would be in batch 3
      batcher.submit(rowsFrom(30, 2), 2), // batch 3
    ].map((promise) =>
      promise.then(
        (r) => r.outputs,
        (e: unknown) => e,
      ),
    );
    await vi.runAllTimersAsync();
    const [ok, failedA, failedB, after] = await Promise.all(outcomes);
    expectOwnRows(ok as Float32Array, 0, 3);
    for (const failed of [failedA, failedB]) {
      expect(failed).toBeInstanceOf(InferenceError);
      expect((failed as InferenceError).reason).toBe('PREDICTION_FAILED');
      expect((failed as InferenceError).message).toContain('kernel exploded');
    }
    expectOwnRows(after as Float32Array, 30, 2);
    // The failed request's rows still queued were dropped, not run.
    expect(reports.map((r) => [r.rows, r.error === undefined])).toEqual([
      [3, true],
      [3, false],
      [2, true],
    ]);
    expect(batcher.queuedRows).toBe(0);
  });

  it('takes rows only when its turn in the shared lane comes, so batches grow while another model runs', async () => {
    const lane = new SerialLane();
    let releaseOther!: () => void;
    void lane.run(() => new Promise<void>((resolve) => (releaseOther = resolve)));
    const model = echoModel();
    const batcher = new DynamicBatcher(config(8, 0), { inputWidth: 2, outputWidth: 2, run: model.run, lane });
    const early = batcher.submit(rowsFrom(0, 1), 1);
    await vi.advanceTimersByTimeAsync(1); // its delay passed: the batch waits for the lane
    const late = batcher.submit(rowsFrom(1, 2), 2);
    releaseOther();
    await vi.runAllTimersAsync();
    expect(model.calls).toEqual([[0, 1, 2]]);
    expectOwnRows((await early).outputs, 0, 1);
    expectOwnRows((await late).outputs, 1, 2);
  });
});
