import { describe, expect, it } from 'vitest';
import { ArtifactKeyError } from './artifact-errors';
import { validateArtifactKey } from './artifact-key';
import { hostileKeys } from './testing/test-keys';

describe('validateArtifactKey', () => {
  it.each([
    'a',
    'datasets/mnist/v1/train.parquet',
    'models/resnet-50/3/model.onnx',
    'Checkpoints/run_42/step-000100.ckpt',
    'a..b/c.d.e',
    'x'.repeat(1024),
  ])('accepts %j', (key) => {
    expect(validateArtifactKey(key)).toBe(key);
  });

  it.each([...hostileKeys('/etc/passwd'), ['one character too long', 'x'.repeat(1025)]])(
    'rejects %s',
    (_label, key) => {
      const error = catchError(() => validateArtifactKey(key));
      expect(error).toBeInstanceOf(ArtifactKeyError);
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', name: 'ArtifactKeyError' });
    },
  );

  it('rejects values that are not strings', () => {
    for (const value of [undefined, null, 42, ['a'], { toString: () => 'a' }]) {
      expect(() => validateArtifactKey(value as unknown as string)).toThrow(ArtifactKeyError);
    }
  });

  it('keeps control characters out of the error message', () => {
    const error = catchError(() => validateArtifactKey('bad\0key\n'));
    expect(error?.message).toContain('"bad\\u0000key\\n"');
    expect(error?.message).not.toMatch(/[\0\n]/);
  });
});

function catchError(run: () => unknown): Error | undefined {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}
