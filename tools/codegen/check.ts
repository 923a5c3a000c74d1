/**
 * Fails when libs/graphql-api/src/generated/resolvers-types.ts is not what graphql-codegen would
 * generate from the current SDL (run `npm run codegen` and commit the result).
 */
import { generate } from '@graphql-codegen/cli';
import { readFileSync } from 'node:fs';
import config from './codegen';

async function main() {
  const outputs = await generate(config, false);
  let drift = false;
  for (const output of outputs) {
    const committed = readFileSync(output.filename, 'utf8');
    if (committed !== output.content) {
      drift = true;
      console.error(`codegen drift: ${output.filename} differs from the SDL. Run \`npm run codegen\` and commit it.`);
    }
  }
  if (drift) process.exit(1);
  console.log(`codegen: ${outputs.length} generated file(s) match the SDL`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
