import { describe, expect, it } from 'vitest';
import { checkLibraries, describeNativeLoadFailure } from './native-load-failure';

const GPU = '@tensorflow/tfjs-node-gpu';
const CPU = '@tensorflow/tfjs-node';

/** The first error checkLibraries throws for these libraries on this machine, or null. */
function dlopenError(libraries: string[]): Error | null {
  try {
    checkLibraries(libraries);
    return null;
  } catch (error) {
    return error as Error;
  }
}

describe('checkLibraries', () => {
  it('accepts libraries the dynamic loader finds', () => {
    expect(dlopenError(['libc.so.6', 'libm.so.6'])).toBeNull();
  });

  it("throws dlopen's own error for the first library it cannot find", () => {
    const error = dlopenError(['libc.so.6', 'libcudart.so.7.lepton-absent', 'libcudnn.so.1.lepton-absent']);
    expect(error?.message).toBe(
      'libcudart.so.7.lepton-absent: cannot open shared object file: No such file or directory',
    );
    expect(describeNativeLoadFailure(GPU, error)).toBe(
      `${GPU} cannot load libcudart.so.7.lepton-absent (not found); tfjs-node-gpu 4.x is built for CUDA 11.2 and cuDNN 8.1`,
    );
  });
});

describe('describeNativeLoadFailure', () => {
  it('names the CUDA library missing on a CUDA 12 host, from Node or from TensorFlow’s loader, in one line', () => {
    // process.dlopen on a host with CUDA 12 only.
    expect(
      describeNativeLoadFailure(
        GPU,
        new Error('libcudart.so.11.0: cannot open shared object file: No such file or directory'),
      ),
    ).toBe(`${GPU} cannot load libcudart.so.11.0 (not found); tfjs-node-gpu 4.x is built for CUDA 11.2 and cuDNN 8.1`);
    // TensorFlow's own warning (tensorflow/tfjs#8362, #8269).
    const loaderWarnings = [
      "2024-08-24 22:24:04.039287: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudart.so.11.0'; dlerror: libcudart.so.11.0: cannot open shared object file: No such file or directory; LD_LIBRARY_PATH: /usr/local/cuda:/usr/local/cuda/lib64:",
      "2024-05-06 00:05:33.767399: W tensorflow/stream_executor/platform/default/dso_loader.cc:64] Could not load dynamic library 'libcudnn.so.8'; dlerror: libcudnn.so.8: cannot open shared object file: No such file or directory",
    ];
    expect(loaderWarnings.map((warning) => describeNativeLoadFailure(GPU, warning))).toEqual([
      `${GPU} cannot load libcudart.so.11.0 (not found); tfjs-node-gpu 4.x is built for CUDA 11.2 and cuDNN 8.1`,
      `${GPU} cannot load libcudnn.so.8 (not found); tfjs-node-gpu 4.x is built for CUDA 11.2 and cuDNN 8.1`,
    ]);
    expect(
      describeNativeLoadFailure(
        GPU,
        new Error('libcuda.so.1: cannot open shared object file: No such file or directory'),
      ),
    ).toMatch(/cannot load libcuda\.so\.1 \(not found\); tfjs-node-gpu 4\.x is built for CUDA 11\.2/);
  });

  it('names a missing non-CUDA library without the CUDA hint', () => {
    expect(
      describeNativeLoadFailure(
        CPU,
        new Error('libtensorflow.so.2: cannot open shared object file: No such file or directory'),
      ),
    ).toBe(`${CPU} cannot load libtensorflow.so.2 (not found)`);
  });

  it('says when a library is present but older than the binding needs', () => {
    const error = new Error(
      "/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.29' not found (required by /app/node_modules/@tensorflow/tfjs-node/deps/lib/libtensorflow.so.2)",
    );
    expect(describeNativeLoadFailure(CPU, error)).toBe(
      `${CPU} cannot load libtensorflow.so.2: it needs GLIBCXX_3.4.29 from libstdc++.so.6, which this system's copy lacks`,
    );
  });

  it('says the package is not installed, or was installed without its addon', () => {
    expect(
      describeNativeLoadFailure(
        GPU,
        new Error(`Cannot find module '${GPU}'\nRequire stack:\n- /app/libs/trainer/src/backends/backend.ts`),
      ),
    ).toBe(`${GPU} is not installed`);
    const withoutAddon = `${CPU} is installed without its native addon (tfjs_binding.node): its install script did not run or failed`;
    expect(
      describeNativeLoadFailure(
        CPU,
        new Error(
          "The Node.js native addon module (tfjs_binding.node) can not be found at path: /app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node. \nPlease run command 'npm rebuild @tensorflow/tfjs-node --build-addon-from-source' to rebuild the native addon module.",
        ),
      ),
    ).toBe(withoutAddon);
    expect(
      describeNativeLoadFailure(
        CPU,
        new Error(
          '/app/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node: cannot open shared object file: No such file or directory',
        ),
      ),
    ).toBe(withoutAddon);
  });

  it('keeps the first line of anything else, and a missing dependency of the package is not the package missing', () => {
    expect(
      describeNativeLoadFailure(
        CPU,
        new Error(
          "Cannot find module 'adm-zip'\nRequire stack:\n- /app/node_modules/@tensorflow/tfjs-node/dist/index.js",
        ),
      ),
    ).toBe(`${CPU}: Cannot find module 'adm-zip'`);
    expect(describeNativeLoadFailure(CPU, 'Segmentation fault\n(core dumped)')).toBe(`${CPU}: Segmentation fault`);
  });
});
