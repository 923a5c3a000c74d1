/** What a training run logs per batch (step = batch) and per epoch (step = epoch); `val_` ones need a validation split. */
export const TRAINING_METRICS = {
  loss: 'loss',
  accuracy: 'accuracy',
  epochLoss: 'epoch/loss',
  epochAccuracy: 'epoch/accuracy',
  epochValLoss: 'epoch/val_loss',
  epochValAccuracy: 'epoch/val_accuracy',
} as const;

/** What an evaluation records on a split; `auc` for binary classifiers only. All can gate a promotion. */
export const EVALUATION_METRICS = ['accuracy', 'precision', 'recall', 'f1', 'auc'] as const;
export type EvaluationMetric = (typeof EVALUATION_METRICS)[number];

export function isEvaluationMetric(value: string): value is EvaluationMetric {
  return (EVALUATION_METRICS as readonly string[]).includes(value);
}
