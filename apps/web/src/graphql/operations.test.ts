import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import * as generated from './generated/graphql';

const SCHEMA_DIR = path.resolve(__dirname, '../../../../libs/graphql-api/src/schema');

/** The API's contract as it is now, read from the SDL files (not from anything generated). */
function contract() {
  const typeDefs = readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .map((file) => readFileSync(path.join(SCHEMA_DIR, file), 'utf8'));
  return makeExecutableSchema({ typeDefs });
}

// Operations (fragments are validated inside the operations that spread them).
const documents = Object.entries(generated).flatMap(([name, value]) =>
  value instanceof generated.TypedDocumentString && name.endsWith('Document') ? [[name, String(value)] as const] : [],
);

describe("the dashboard's GraphQL operations", () => {
  it('are all generated (one typed document per operation in the pages)', () => {
    expect(documents.length).toBeGreaterThanOrEqual(20);
  });

  it.each(documents)('%s is valid against the current SDL', (_name, document) => {
    expect(validate(contract(), parse(document)).map((error) => error.message)).toEqual([]);
  });
});
