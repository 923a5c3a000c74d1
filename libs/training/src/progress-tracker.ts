/** Progress (0..1) and an ETA from the pace measured since this attempt started. */
export class ProgressTracker {
  private readonly startedAt = Date.now();

  constructor(
    private readonly totalSteps: number,
    private readonly firstStep: number,
  ) {}

  at(step: number): { progress: number; etaAt: Date | null } {
    const progress = Math.min(1, step / this.totalSteps);
    const done = step - this.firstStep;
    if (done <= 0) return { progress, etaAt: null };
    const msPerStep = (Date.now() - this.startedAt) / done;
    return { progress, etaAt: new Date(Date.now() + msPerStep * Math.max(0, this.totalSteps - step)) };
  }
}
