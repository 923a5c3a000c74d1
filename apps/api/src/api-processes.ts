import cluster, { type Address, type Worker } from 'node:cluster';
import { stopChild } from './stop-child';

export interface ApiProcesses {
  /** Where the API listens (the port every process shares). */
  address: Address;
  /** SIGTERM (each finishes its requests and closes its sockets), then SIGKILL after `graceMs`. */
  stop(graceMs: number): Promise<void>;
}

/**
 * `count` API processes (Node cluster) serving HTTP and WebSocket on one port: this process
 * accepts connections and hands each to one of them. One that crashes is replaced after a second;
 * one that fails before the port first opens fails the start. They exit when this process does,
 * whatever kills it (the cluster's IPC channel closes).
 */
export async function startApiProcesses(
  count: number,
  env: Record<string, string>,
  log: (line: string) => void,
): Promise<ApiProcesses> {
  let started = false;
  let stopping = false;
  const live = new Set<Worker>();
  const stopAll = async (graceMs: number) => {
    stopping = true;
    await Promise.all([...live].map((worker) => stopChild(worker.process, graceMs)));
  };
  const fork = (): Worker => {
    const worker = cluster.fork(env);
    live.add(worker);
    worker.once('exit', (code, signal) => {
      live.delete(worker);
      if (!started || stopping) return;
      log(`API process ${worker.id} exited (${signal ?? code}); starting another in 1 s`);
      setTimeout(() => !stopping && fork(), 1000).unref();
    });
    return worker;
  };

  const address = await new Promise<Address>((resolve, reject) => {
    let listening = 0;
    for (let index = 0; index < count; index += 1) {
      const worker = fork();
      worker.once('listening', (at) => {
        listening += 1;
        if (listening === count) resolve(at);
      });
      worker.once('exit', (code, signal) =>
        reject(new Error(`an API process exited while starting (${signal ?? code})`)),
      );
    }
  }).catch(async (error: unknown) => {
    await stopAll(2_000);
    throw error;
  });
  started = true;
  return { address, stop: stopAll };
}
