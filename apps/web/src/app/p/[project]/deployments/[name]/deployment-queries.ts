import { graphql } from '@/graphql/generated';

/** The live charts' series: 15 minutes in 10 s steps, re-queried on every change and every few seconds. */
export const DeploymentMetricsQuery = graphql(`
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
`);

export const METRICS_WINDOW_SECONDS = 900;
export const METRICS_STEP_SECONDS = 10;

export const SetCanaryMutation = graphql(`
  mutation SetDeploymentCanary($name: String!, $version: Int!, $weight: Int!, $analysis: CanaryAnalysisInput) {
    setDeploymentCanary(name: $name, version: $version, weight: $weight, analysis: $analysis) {
      id
      canary {
        weight
      }
    }
  }
`);

export const PromoteCanaryMutation = graphql(`
  mutation PromoteCanary($name: String!) {
    promoteCanary(name: $name) {
      id
      currentRevision {
        number
      }
    }
  }
`);

export const RollbackDeploymentMutation = graphql(`
  mutation RollbackDeployment($name: String!, $toRevision: Int) {
    rollbackDeployment(name: $name, toRevision: $toRevision) {
      id
      currentRevision {
        number
      }
    }
  }
`);

export const PredictMutation = graphql(`
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
`);
