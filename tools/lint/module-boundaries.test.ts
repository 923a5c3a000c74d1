import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');

/** Lints `code` as if it were the file at `filePath`, and returns the rule ids that fired. */
async function violations(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: ROOT });
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, filePath) });
  return (result?.messages ?? []).map((message) => message.ruleId ?? message.message);
}

describe('lint rules that keep the architecture', () => {
  beforeAll(() => {
    // The boundaries rule reads Nx's cached project graph; make sure it exists and is current.
    execFileSync(process.execPath, [require.resolve('nx/bin/nx.js'), 'show', 'projects'], {
      cwd: ROOT,
      stdio: 'ignore',
      env: { ...process.env, NX_DAEMON: 'false' },
    });
  });

  it('forbids a domain lib from importing the GraphQL feature lib', async () => {
    expect(
      await violations(
        'libs/registry/src/probe.ts',
        "import { buildSchema } from '@lepton/graphql-api';\nexport const probe = buildSchema;\n",
      ),
    ).toContain('@nx/enforce-module-boundaries');
  });

  it('forbids the data-access lib from importing the domain', async () => {
    expect(
      await violations(
        'libs/db/src/probe.ts',
        "import { createRegistry } from '@lepton/registry';\nexport const probe = createRegistry;\n",
      ),
    ).toContain('@nx/enforce-module-boundaries');
  });

  it('forbids reaching into another project by relative path (e.g. a lib into an app)', async () => {
    expect(await violations('libs/graphql-api/src/probe.ts', "import '../../../apps/api/src/main';\n")).toContain(
      '@nx/enforce-module-boundaries',
    );
  });

  it('forbids Prisma outside libs/db', async () => {
    expect(
      await violations(
        'libs/registry/src/probe.ts',
        "import { PrismaClient } from '@prisma/client';\nexport const probe = PrismaClient;\n",
      ),
    ).toContain('no-restricted-imports');
  });

  it('keeps the dashboard (scope:web) off the database, the domain and the API internals', async () => {
    for (const [lib, name] of [
      ['@lepton/db', 'openDatabase'],
      ['@lepton/artifacts', 'createLocalArtifactStore'],
      ['@lepton/registry', 'createRegistry'],
      ['@lepton/datasets', 'importDataset'],
      ['@lepton/graphql-api', 'buildSchema'],
    ]) {
      expect(
        await violations('apps/web/src/probe.ts', `import { ${name} } from '${lib}';\nexport const probe = ${name};\n`),
        lib,
      ).toContain('@nx/enforce-module-boundaries');
    }
    expect(
      await violations(
        'apps/web/src/probe.tsx',
        "import { createRegistry } from '@lepton/registry';\nexport const probe = createRegistry;\n",
      ),
    ).toContain('@nx/enforce-module-boundaries');
  });

  it('lets the dashboard use its own code and npm packages', async () => {
    expect(
      await violations(
        'apps/web/src/probe.ts',
        "import { formatDate } from './components/ui/format';\nimport { createClient } from 'graphql-ws';\nexport const probe = [formatDate, createClient];\n",
      ),
    ).toEqual([]);
  });

  it('keeps inference (scope:inference) off the training code, directly or through another lib', async () => {
    for (const [lib, name] of [
      ['@lepton/trainer', 'buildModel'],
      ['@lepton/training', 'startTrainingWorker'],
      ['@lepton/graphql-api', 'buildSchema'],
    ]) {
      expect(
        await violations(
          'libs/inference/src/probe.ts',
          `import { ${name} } from '${lib}';\nexport const probe = ${name};\n`,
        ),
        lib,
      ).toContain('@nx/enforce-module-boundaries');
    }
    expect(
      await violations(
        'libs/inference/src/probe.ts',
        "import { loadModel } from '@lepton/model-io';\nimport { tabularRowEncoder } from '@lepton/datasets';\nexport const probe = [loadModel, tabularRowEncoder];\n",
      ),
    ).toEqual([]);
  });

  it('lets inference use the model contract, and the registry now that the registry is off the trainer', async () => {
    expect(
      await violations(
        'libs/inference/src/probe.ts',
        "import { artifactKeys } from '@lepton/model-contract';\nimport { createRegistry } from '@lepton/registry';\nexport const probe = [artifactKeys, createRegistry];\n",
      ),
    ).toEqual([]);
  });

  it('keeps the registry and the API off the training code (they use the model contract)', async () => {
    for (const [file, lib, name] of [
      ['libs/registry/src/probe.ts', '@lepton/trainer', 'buildModel'],
      ['libs/registry/src/probe.ts', '@lepton/training', 'startTrainingWorker'],
      ['libs/graphql-api/src/probe.ts', '@lepton/trainer', 'train'],
      ['apps/api/src/probe.ts', '@lepton/trainer', 'train'],
    ]) {
      expect(
        await violations(file!, `import { ${name} } from '${lib}';\nexport const probe = ${name};\n`),
        `${file} → ${lib}`,
      ).toContain('@nx/enforce-module-boundaries');
    }
    expect(
      await violations(
        'libs/registry/src/probe.ts',
        "import { validateTrainingConfig } from '@lepton/model-contract';\nexport const probe = validateTrainingConfig;\n",
      ),
    ).toEqual([]);
  });

  it('keeps the model contract free of TensorFlow.js and of every non-util lib', async () => {
    for (const [lib, name] of [
      ['@tensorflow/tfjs', 'tensor'],
      ['@tensorflow/tfjs-node', 'node'],
    ]) {
      expect(
        await violations(
          'libs/model-contract/src/probe.ts',
          `import { ${name} } from '${lib}';\nexport const probe = ${name};\n`,
        ),
        lib,
      ).toContain('no-restricted-imports');
    }
    for (const [lib, name] of [
      ['@lepton/trainer', 'buildModel'],
      ['@lepton/model-io', 'loadModel'],
      ['@lepton/registry', 'createRegistry'],
    ]) {
      expect(
        await violations(
          'libs/model-contract/src/probe.ts',
          `import { ${name} } from '${lib}';\nexport const probe = ${name};\n`,
        ),
        lib,
      ).toContain('@nx/enforce-module-boundaries');
    }
    expect(
      await violations(
        'libs/model-contract/src/probe.ts',
        "import { mulberry32 } from '@lepton/util';\nexport const probe = mulberry32;\n",
      ),
    ).toEqual([]);
  });

  it('keeps serving (scope:serving) to serving, inference and shared libs', async () => {
    for (const [file, lib, name] of [
      ['libs/serving/src/probe.ts', '@lepton/graphql-api', 'buildSchema'],
      ['libs/serving/src/probe.ts', '@lepton/training', 'startTrainingWorker'],
      ['apps/serving/src/probe.ts', '@lepton/graphql-api', 'createApiServer'],
    ]) {
      expect(
        await violations(file!, `import { ${name} } from '${lib}';\nexport const probe = ${name};\n`),
        lib,
      ).toEqual(expect.arrayContaining(['@nx/enforce-module-boundaries']));
    }
    expect(
      await violations(
        'apps/serving/src/probe.ts',
        "import { startServing } from '@lepton/serving';\nimport { openDatabase } from '@lepton/db';\nexport const probe = [startServing, openDatabase];\n",
      ),
    ).toEqual([]);
  });

  it('allows the layering as designed (feature → domain → data-access)', async () => {
    expect(
      await violations(
        'libs/graphql-api/src/probe.ts',
        "import { createRegistry } from '@lepton/registry';\nexport const probe = createRegistry;\n",
      ),
    ).toEqual([]);
    expect(
      await violations(
        'libs/registry/src/probe.ts',
        "import { openDatabase } from '@lepton/db';\nexport const probe = openDatabase;\n",
      ),
    ).toEqual([]);
  });
});
