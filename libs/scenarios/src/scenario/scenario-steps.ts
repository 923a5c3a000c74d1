export type DemoState = 'NOT_PREPARED' | 'PREPARING' | 'READY' | 'FAILED';
export type StepKind = 'IMPORT' | 'TRAIN' | 'EVALUATE' | 'DEPLOY';
export type StepStatus = 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED';

export const STEP_KINDS: readonly StepKind[] = ['IMPORT', 'TRAIN', 'EVALUATE', 'DEPLOY'];

/** As stored in scenario_demo.steps (dates as ISO strings). */
export interface StoredStep {
  kind: StepKind;
  status: StepStatus;
  progress: number;
  message: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface ScenarioStep {
  kind: StepKind;
  status: StepStatus;
  progress: number;
  message: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export function pendingSteps(): StoredStep[] {
  return STEP_KINDS.map((kind) => ({ kind, status: 'PENDING', progress: 0, message: null, startedAt: null, finishedAt: null }));
}

/** Stored steps, in IMPORT..DEPLOY order whatever was stored. */
export function readSteps(stored: unknown): ScenarioStep[] {
  const byKind = new Map((Array.isArray(stored) ? (stored as StoredStep[]) : []).map((step) => [step.kind, step]));
  return STEP_KINDS.map((kind) => {
    const step = byKind.get(kind);
    return {
      kind,
      status: step?.status ?? 'PENDING',
      progress: step?.progress ?? 0,
      message: step?.message ?? null,
      startedAt: step?.startedAt ? new Date(step.startedAt) : null,
      finishedAt: step?.finishedAt ? new Date(step.finishedAt) : null,
    };
  });
}

/** A scenario's state from its demos': any failure shows, then any work in progress. */
export function combinedState(states: readonly DemoState[]): DemoState {
  if (states.includes('FAILED')) return 'FAILED';
  if (states.includes('PREPARING')) return 'PREPARING';
  if (states.length > 0 && states.every((state) => state === 'READY')) return 'READY';
  return states.includes('READY') ? 'PREPARING' : 'NOT_PREPARED';
}
