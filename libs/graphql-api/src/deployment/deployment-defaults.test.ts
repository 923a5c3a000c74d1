import { DEFAULT_BATCHING, DEFAULT_CANARY_ANALYSIS, DEFAULT_REQUEST_LOG_RETENTION_HOURS } from '@lepton/registry';
import { isInputObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../server/schema';

/** The SDL shows the defaults; the registry applies them. They must be the same numbers. */
describe('deployment defaults in the SDL', () => {
  const schema = buildSchema();
  const defaultsOf = (typeName: string) => {
    const type = schema.getType(typeName);
    if (!isInputObjectType(type)) throw new Error(`${typeName} is not an input type`);
    return Object.fromEntries(Object.values(type.getFields()).map((field) => [field.name, field.defaultValue]));
  };

  it('shows the batching defaults the registry applies', () => {
    expect(defaultsOf('BatchingInput')).toEqual(DEFAULT_BATCHING);
  });

  it('shows the canary analysis defaults the registry applies', () => {
    expect(defaultsOf('CanaryAnalysisInput')).toEqual(DEFAULT_CANARY_ANALYSIS);
  });

  it('shows the request-log retention default', () => {
    expect(defaultsOf('CreateDeploymentInput')['requestLogRetentionHours']).toBe(DEFAULT_REQUEST_LOG_RETENTION_HOURS);
  });
});
