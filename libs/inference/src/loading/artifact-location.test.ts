import { createLocalArtifactStore, createS3ArtifactStore } from '@lepton/artifacts';
import { describe, expect, it } from 'vitest';
import { InferenceError } from '../inference-error';
import { artifactKeyOf } from './artifact-location';

const local = createLocalArtifactStore('/srv/lepton/artifacts');
const s3 = createS3ArtifactStore({ bucket: 'lepton-models', prefix: 'prod', region: 'us-east-1' });
const KEY = 'models/p1/iris/run-1/attempt-1';

function refusal(store: typeof local, uri: unknown): string {
  try {
    artifactKeyOf(store, uri);
  } catch (error) {
    expect(error).toBeInstanceOf(InferenceError);
    expect((error as InferenceError).reason).toBe('MODEL_OUTSIDE_STORE');
    return (error as InferenceError).message;
  }
  throw new Error(`${String(uri)} was accepted`);
}

describe('artifactKeyOf: a version loads only from inside the artifact store', () => {
  it('accepts the URIs the store itself makes', () => {
    expect(artifactKeyOf(local, local.uri(KEY))).toBe(KEY);
    expect(artifactKeyOf(s3, s3.uri(KEY))).toBe(KEY);
    expect(local.uri(KEY)).toBe(`file:///srv/lepton/artifacts/${KEY}`);
    expect(s3.uri(KEY)).toBe(`s3://lepton-models/prod/${KEY}`);
  });

  it.each([
    ['a file elsewhere on the machine', 'file:///etc/passwd', /outside the artifact store root/],
    ['a file in another folder', 'file:///srv/lepton/other/models/m', /outside the artifact store root/],
    [
      'a sibling folder sharing the prefix',
      'file:///srv/lepton/artifacts-old/models/m',
      /outside the artifact store root/,
    ],
    ['http', 'http://169.254.169.254/latest/meta-data/model.json', /not http:\/\//],
    ['https', 'https://example.com/models/m', /not https:\/\//],
    ['an S3 URI on a local store', 's3://lepton-models/prod/models/m', /not s3:\/\//],
    ['a bare absolute path', '/etc/passwd', /not a bare path/],
    ['a relative path', 'models/m', /not a bare path/],
    ['.. segments', 'file:///srv/lepton/artifacts/models/../../../etc', /'\.' or '\.\.' segments/],
    ['a . segment', 'file:///srv/lepton/artifacts/./models/m', /'\.' or '\.\.' segments/],
    ['percent-encoded ..', 'file:///srv/lepton/artifacts/models/%2e%2e/%2E%2E/etc', /'\.' or '\.\.' segments/],
    ['double-encoded ..', 'file:///srv/lepton/artifacts/models/%252e%252e/etc', /'\.' or '\.\.' segments/],
    ['an encoded slash', 'file:///srv/lepton/artifacts/models%2f..%2fetc', /'\.' or '\.\.' segments/],
    ['a broken escape', 'file:///srv/lepton/artifacts/models/%zz', /invalid or nested percent-encoding/],
    ['a backslash', 'file:///srv/lepton/artifacts/models\\..\\etc', /control characters or backslashes/],
    ['an encoded NUL', 'file:///srv/lepton/artifacts/models/m%00.json', /control characters/],
    ['another host', 'file://evil.example/srv/lepton/artifacts/models/m', /outside the artifact store root/],
  ])('refuses %s on a local store', (_what, uri, why) => {
    expect(refusal(local, uri)).toMatch(why);
  });

  it.each([
    ['another bucket', 's3://other-bucket/prod/models/m', /outside the artifact store root/],
    ['the same bucket outside the prefix', 's3://lepton-models/staging/models/m', /outside the artifact store root/],
    ['a bucket whose name extends ours', 's3://lepton-models-evil/prod/models/m', /outside the artifact store root/],
    ['.. out of the prefix', 's3://lepton-models/prod/../staging/models/m', /'\.\.' segments/],
    ['percent-encoded ..', 's3://lepton-models/prod/%2E%2E/staging/m', /'\.\.' segments/],
    ['a file URI on an S3 store', 'file:///etc/passwd', /not file:\/\//],
    ['https to the bucket', 'https://lepton-models.s3.amazonaws.com/prod/models/m', /not https:\/\//],
  ])('refuses %s on an S3 store', (_what, uri, why) => {
    expect(refusal(s3, uri)).toMatch(why);
  });

  it('refuses what is not a URI at all', () => {
    expect(refusal(local, '')).toMatch(/not a URI/);
    expect(refusal(local, null)).toMatch(/not a URI/);
    expect(refusal(local, `file:///srv/lepton/artifacts/${'a'.repeat(3000)}`)).toMatch(/longer than 2048/);
  });
});
