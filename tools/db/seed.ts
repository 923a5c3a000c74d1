/**
 * Demo data for a fresh database (`npm run db:reset -- --seed`): the first admin, a dataset, a
 * model with versions, aliases and evaluations, and a run with a few thousand metric points.
 */
import { NotificationBus, openDatabase } from '@lepton/db';
import { createArtifactStoreFromEnv } from '@lepton/artifacts';
import { createRegistry } from '@lepton/registry';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export async function seed(databaseUrl: string, dataDir: string): Promise<void> {
  const db = openDatabase(databaseUrl);
  const bus = new NotificationBus(databaseUrl, db.pool);
  try {
    // Seeding trains nothing and stores no files: the queue is never started.
    const registry = createRegistry(db, bus, {
      artifacts: createArtifactStoreFromEnv(),
      queue: () => Promise.reject(new Error('The seed does not queue training')),
    });
    const { adminToken } = await registry.auth.bootstrap(process.env['LEPTON_BOOTSTRAP_TOKEN'] || undefined);
    if (!adminToken) throw new Error('The database already has users; seed only a fresh database.');
    await mkdir(dataDir, { recursive: true });
    await writeFile(path.join(dataDir, 'admin-token'), adminToken + '\n', { mode: 0o600 });
    await chmod(path.join(dataDir, 'admin-token'), 0o600);
    const admin = await registry.auth.authenticate(`Bearer ${adminToken}`);

    await registry.datasets.create(admin, { name: 'iris', description: 'Fisher’s iris flowers', tags: ['tabular'] });
    const dataset = await registry.datasets.createVersion(admin, {
      dataset: 'iris',
      contentSha256: 'a'.repeat(64),
      sizeBytes: 4551,
      exampleCount: 150,
      schema: { features: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'], label: 'species' },
      splits: { train: 105, validation: 15, test: 30 },
      storageUri: 'file://datasets/iris/1',
      source: 'seed',
    });
    const run = await registry.runs.create(admin, { name: 'iris-mlp', params: { epochs: 50, lr: 0.01 }, kind: 'EXPERIMENT' });
    const points = Array.from({ length: 2000 }, (_, step) => [
      { key: 'loss', step, value: 1.1 * Math.exp(-step / 400) + 0.02 * Math.sin(step / 7) },
      { key: 'accuracy', step, value: 1 - 0.7 * Math.exp(-step / 300) },
    ]).flat();
    await registry.metrics.log(admin, run.id, { points });
    await registry.runs.finish(admin, run.id, 'SUCCEEDED');

    await registry.models.register(admin, { name: 'iris-classifier', task: 'classification', tags: ['tabular', 'demo'] });
    for (const [index, accuracy] of [0.91, 0.95, 0.97].entries()) {
      const version = await registry.versions.create(admin, {
        model: 'iris-classifier',
        artifactUri: `file://models/iris-classifier/${index + 1}`,
        runId: run.id,
        datasetVersionId: dataset.id,
        description: `demo version ${index + 1}`,
      });
      await registry.evaluations.record(admin, {
        model: 'iris-classifier',
        version: version.number,
        datasetVersionId: dataset.id,
        split: 'test',
        metrics: { accuracy, f1: accuracy - 0.01 },
        confusionMatrix: [[10, 0, 0], [0, 9, 1], [0, 0, 10]],
        labels: ['setosa', 'versicolor', 'virginica'],
      });
    }
    await registry.versions.setAlias(admin, { model: 'iris-classifier', alias: 'champion', version: 3 });
    console.log(`Seeded demo data. Admin token (also in ${path.join(dataDir, 'admin-token')}):\n\n    ${adminToken}\n`);
  } finally {
    await bus.close();
    await db.close();
  }
}
