import { chooseNative, loadNative, type NativeBackend, type NativeChoice } from '@lepton/backends';

/**
 * Native TensorFlow for `tfjsBackendSource`, found the way the trainer finds it: libs/backends probes each
 * verified build in a child process first (a build that crashes never takes the serving process down), then
 * loads the chosen one here. `tensorflow-gpu` loads only where TensorFlow itself reported a GPU.
 */
export function nativeTensorflow(choose: () => Promise<NativeChoice> = chooseNative) {
  let choice: Promise<NativeChoice> | null = null;
  return async (name: NativeBackend): Promise<Record<string, string>> => {
    choice ??= choose();
    const chosen = (await choice).choice[name];
    if ('reason' in chosen) throw new Error(chosen.reason);
    const loaded = loadNative(chosen.probe.candidate);
    if (loaded.gpu !== (name === 'tensorflow-gpu')) {
      throw new Error(
        `${chosen.probe.candidate.label} ${loaded.gpu ? 'uses a GPU' : 'sees no GPU'} in this process, unlike in its probe`,
      );
    }
    return { ...loaded.versions, device: chosen.probe.device };
  };
}
