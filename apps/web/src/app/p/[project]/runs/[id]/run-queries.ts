import { graphql } from '@/graphql/generated';

/** One chart series of one run, downsampled by the API (shared by the server's first render and the live client). */
export const RunSeriesQuery = graphql(`
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
`);

export const CancelRunMutation = graphql(`
  mutation CancelRun($id: ID!) {
    cancelRun(id: $id) {
      id
      status
      cancelRequested
    }
  }
`);

export const RetryRunMutation = graphql(`
  mutation RetryRun($id: ID!) {
    retryRun(id: $id) {
      id
      status
      attempt
    }
  }
`);

/** Buckets per chart, for the whole series or for the zoomed window alike. */
export const BASE_POINTS = 1000;
