import { graphql } from '@/graphql/generated';

/** Where Prepare and a retraining stand: what the live stream (scenarioUpdated) carries. */
export const ScenarioProgressFragment = graphql(`
  fragment ScenarioProgress on Scenario {
    key
    state
    preparedAt
    demos {
      key
      state
      steps {
        kind
        status
        progress
        message
        startedAt
        finishedAt
      }
      run {
        id
        status
        progress
        etaSeconds
      }
      modelVersion {
        number
      }
      retraining {
        state
        message
        hyperparameters
        startedAt
        finishedAt
        run {
          id
          status
          progress
          etaSeconds
        }
        modelVersion {
          number
        }
        evaluation {
          auc
          metrics
        }
      }
    }
  }
`);

/** A demo's deployment as the rollout panel shows it (also what deploymentUpdated carries). */
export const DemoDeploymentFragment = graphql(`
  fragment DemoDeployment on Deployment {
    name
    status
    currentRevision {
      number
      modelVersion {
        number
      }
    }
    traffic {
      weight
      revision {
        number
        state
      }
      modelVersion {
        number
      }
    }
    canary {
      weight
      startedAt
      revision {
        number
        modelVersion {
          number
        }
      }
      lastAnalysis {
        verdict
        reason
        at
        figures {
          canaryRequests
          stableRequests
          canaryErrorRate
          stableErrorRate
          p99Ratio
        }
      }
    }
    events(first: 6) {
      edges {
        node {
          id
          kind
          message
          createdAt
        }
      }
    }
  }
`);

export const ScenarioDetailQuery = graphql(`
  query ScenarioDetail($project: String!, $key: ScenarioKey!) {
    scenario(project: $project, key: $key) {
      ...ScenarioProgress
      title
      field
      summary
      caveats
      demos {
        key
        title
        description
        datasetName
        modelName
        deploymentName
        task
        positiveLabel
        negativeLabel
        positiveName
        negativeName
        hyperparameters
        spec
        qualityBar
        features {
          name
          description
          categorical
          choices
          min
          max
          defaultValue
        }
        datasetVersion {
          number
          exampleCount
        }
        evaluation {
          id
          split
          metrics
          labels
          auc
          positiveLabel
          thresholdCurve(points: 101) {
            threshold
            tp
            fp
            tn
            fn
          }
        }
        deployment {
          ...DemoDeployment
        }
        samples(first: 48) {
          id
          label
          positive
          features
          image
        }
      }
    }
  }
`);

export const PrepareScenarioMutation = graphql(`
  mutation PrepareScenario($project: String!, $key: ScenarioKey!) {
    prepareScenario(project: $project, key: $key) {
      ...ScenarioProgress
    }
  }
`);

export const RetrainScenarioDemoMutation = graphql(`
  mutation RetrainScenarioDemo(
    $project: String!
    $key: ScenarioKey!
    $demo: String!
    $hyperparameters: HyperparametersInput!
    $spec: ModelSpecInput
    $canaryWeight: Int
  ) {
    retrainScenarioDemo(
      project: $project
      key: $key
      demo: $demo
      hyperparameters: $hyperparameters
      spec: $spec
      canaryWeight: $canaryWeight
    ) {
      key
      state
    }
  }
`);

export const ScenarioPredictMutation = graphql(`
  mutation ScenarioPredict($deployment: String!, $instances: JSON!) {
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

/** The server fits an uploaded PNG/JPEG to the image model's input (28×28 grayscale); the answer is what predict gets. */
export const ScenarioImageQuery = graphql(`
  query ScenarioImage($project: String!, $key: ScenarioKey!, $demo: String!, $image: String!) {
    scenarioImage(project: $project, key: $key, demo: $demo, image: $image)
  }
`);
