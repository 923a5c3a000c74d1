import { isNativeBackend } from '@lepton/backends';
import { initBackend, type BackendName } from '../backends/backend';

export interface BackendUnderTest {
  name: BackendName;
  /** Why this backend is not tested here, or null. */
  skip: string | null;
  /** A describe title that says where the tests ran, or why they did not. */
  title: string;
}

/**
 * Native TensorFlow as the tests see it: the best native backend that loads here, or why none does (the test
 * title carries the reason, e.g. "not installed; run npm run tensorflow:install"; the README lists the causes).
 */
export async function nativeUnderTest(): Promise<BackendUnderTest> {
  const info = await initBackend('tensorflow-gpu');
  if (isNativeBackend(info.backend))
    return { name: info.backend, skip: null, title: `on ${info.backend} (${info.device})` };
  const reason =
    info.skipped.find((entry) => entry.backend === 'tensorflow')?.reason ?? 'native TensorFlow did not load';
  return { name: 'tensorflow', skip: reason, title: `on tensorflow — not run here: ${reason}` };
}

/** wasm always, native TensorFlow where it loads: the backends the trainer's tests run on. */
export async function backendsUnderTest(): Promise<BackendUnderTest[]> {
  return [{ name: 'wasm', skip: null, title: 'on wasm' }, await nativeUnderTest()];
}
