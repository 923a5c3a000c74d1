import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } from '@prisma/driver-adapter-utils';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * Prisma's own schema engine (the WebAssembly build, since the native binary cannot be downloaded
 * here), driven through the pg driver adapter. It answers "what SQL turns A into B" exactly as
 * `prisma migrate diff` would.
 */
export const SCHEMA_FILE = path.resolve(__dirname, '../../../../prisma/schema.prisma');

const NO_FILTERS = { externalTables: [], externalEnums: [] };

interface SchemaEngineApi {
  diff(params: unknown): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

/** The engine reports Rust panics through this global (as Prisma's CLI sets it up). */
class PanicRegistry {
  message = '';
  get(): string {
    return this.message;
  }
  set_message(message: string): void {
    this.message = `RuntimeError: ${message}`;
  }
}

interface WebAssemblyApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
}

/** Node's WebAssembly global (typed here because the project does not load the DOM typings). */
function webAssembly(): WebAssemblyApi {
  return (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;
}

type SchemaEngineClass = { new: (...args: unknown[]) => Promise<SchemaEngineApi> };
let engineClass: Promise<SchemaEngineClass> | undefined;

/** The wasm glue holds module-level state, so it is instantiated once per process. */
function loadSchemaEngineClass(): Promise<SchemaEngineClass> {
  return (engineClass ??= instantiateSchemaEngine());
}

async function instantiateSchemaEngine(): Promise<SchemaEngineClass> {
  (globalThis as { PRISMA_WASM_PANIC_REGISTRY?: PanicRegistry }).PRISMA_WASM_PANIC_REGISTRY ??= new PanicRegistry();
  // The package targets bundlers (`import * as wasm from "./x.wasm"`), so instantiate it by hand.
  const entry = require.resolve('@prisma/schema-engine-wasm');
  const dir = path.dirname(entry);
  const glue = await import(path.join(dir, 'schema_engine_bg.js'));
  const { instance } = await webAssembly().instantiate(readFileSync(path.join(dir, 'schema_engine_bg.wasm')), {
    './schema_engine_bg.js': glue,
  });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
  return glue.SchemaEngine;
}

/**
 * adapter-pg 7.10 rejects Postgres's internal one-byte `"char"` type (OID 18), which the engine's
 * catalog queries select (e.g. `pg_constraint.contype`) and expect back as a character. pg sees
 * those columns as text (so the adapter accepts them) and the adapter reports them as characters.
 */
function charAwareAdapterFactory(url: string): { factory: PrismaPg; pool: pg.Pool } {
  const charColumnsByRows = new WeakMap<unknown[], number[]>();
  const remap = (result: pg.QueryResult | undefined) => {
    const charColumns: number[] = [];
    result?.fields?.forEach((field, index) => {
      if (field.dataTypeID === 18) {
        field.dataTypeID = 25;
        charColumns.push(index);
      }
    });
    if (result && charColumns.length > 0) charColumnsByRows.set(result.rows, charColumns);
    return result;
  };
  class CharAsTextClient extends pg.Client {
    override query(...args: unknown[]): never {
      const callback = args[args.length - 1];
      if (typeof callback === 'function') {
        args[args.length - 1] = (error: Error | null, result: pg.QueryResult) => callback(error, remap(result));
        return (super.query as (...a: unknown[]) => never)(...args);
      }
      const pending = (super.query as (...a: unknown[]) => Promise<pg.QueryResult>)(...args);
      return pending.then(remap) as never;
    }
  }
  const pool = new pg.Pool({ connectionString: url, max: 2, Client: CharAsTextClient });
  const factory = new PrismaPg(pool);
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (query) => {
      const result = await queryRaw(query);
      for (const index of charColumnsByRows.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
      return result;
    };
    return adapter;
  };
  return { factory, pool };
}

export interface SchemaDiff {
  /** True when the two sides differ. */
  changed: boolean;
  /** SQL script (`script: true`) or Prisma's human-readable summary. */
  output: string;
}

/** Diffs the live database at `databaseUrl` against the datamodel (default: prisma/schema.prisma). */
export async function diffDatabaseAgainstSchema(
  databaseUrl: string,
  options: { script?: boolean; from?: 'database' | 'empty'; schema?: string } = {},
): Promise<SchemaDiff> {
  const schema = options.schema ?? readFileSync(SCHEMA_FILE, 'utf8');
  const files = [{ path: 'schema.prisma', content: schema }];
  const { factory, pool } = charAwareAdapterFactory(databaseUrl);
  const SchemaEngine = await loadSchemaEngineClass();
  const engine = await SchemaEngine.new(
    { datamodels: [['schema.prisma', schema]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    const from =
      options.from === 'empty' ? { tag: 'empty' } : { tag: 'schemaDatasource', files, configDir: process.cwd() };
    const result = await engine.diff({
      from,
      to: { tag: 'schemaDatamodel', files },
      script: options.script ?? false,
      exitCode: true,
      filters: NO_FILTERS,
    });
    return { changed: result.exitCode === 2, output: result.stdout ?? '' };
  } finally {
    engine.free();
    await pool.end();
  }
}
