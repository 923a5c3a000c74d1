import { makeExecutableSchema } from '@graphql-tools/schema';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { resolvers } from '../resolvers';

export const SCHEMA_DIR = path.resolve(__dirname, '../schema');

export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
}

export function buildSchema() {
  return makeExecutableSchema({ typeDefs: loadTypeDefs(), resolvers });
}
