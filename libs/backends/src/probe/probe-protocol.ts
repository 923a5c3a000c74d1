import type { NativeCandidate } from '../native/load-native';

/** What the parent asks one probe child to load. */
export type ProbeRequest =
  { backend: 'native'; candidate: NativeCandidate; verify: boolean } | { backend: 'wasm' } | { backend: 'cpu' };

export type ProbeOutcome =
  | {
      ok: true;
      versions: Record<string, string>;
      /** Native only: TensorFlow placed ops on a GPU. */
      gpu?: boolean;
      /** wasm only. */
      simd?: boolean;
      threads?: boolean;
      /** verify only: largest |native − reference| of a convolution's filter gradient, relative to its scale. */
      convGradientMaxError?: number;
    }
  | { ok: false; error: string };

/** The child's answer is the one stdout line with this prefix (TensorFlow may print to stdout too). */
export const RESULT_PREFIX = 'LEPTON_PROBE_RESULT ';

/** Relative tolerance of the verification's convolution gradient against the JavaScript reference. */
export const VERIFY_TOLERANCE = 1e-4;
