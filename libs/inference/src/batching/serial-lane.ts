/**
 * Runs tasks one at a time, in submission order. TensorFlow.js has one active backend per process and its kernels
 * run on this thread, so every model call (and the backend switch before it) goes through one lane.
 */
export class SerialLane {
  private tail: Promise<unknown> = Promise.resolve();
  private waiting = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.waiting++;
    const result = this.tail.then(() => {
      this.waiting--;
      return task();
    });
    this.tail = result.catch(() => undefined);
    return result;
  }

  /** Tasks submitted and not yet started. */
  get pending(): number {
    return this.waiting;
  }
}
