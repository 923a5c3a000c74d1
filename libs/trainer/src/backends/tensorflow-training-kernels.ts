import { oneDnnMaxPoolGradMatches, registerTensorflowMaxPoolGrad } from './tensorflow-max-pool-grad';
import { registerTensorflowStep } from './tensorflow-step';

let registered = false;

/** Faster gradient kernels for the native backend; call once it is active. */
export function registerTensorflowTrainingKernels(): void {
  if (registered) return;
  registered = true;
  registerTensorflowStep();
  if (oneDnnMaxPoolGradMatches()) registerTensorflowMaxPoolGrad();
}
