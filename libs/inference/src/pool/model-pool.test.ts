import { describe, expect, it } from 'vitest';
import { ModelPool } from './model-pool';

class FakeModel {
  disposed = false;
  constructor(
    readonly name: string,
    readonly weightBytes: number,
  ) {}
  dispose() {
    this.disposed = true;
  }
}

function loaderLog() {
  const loads: string[] = [];
  const made = new Map<string, FakeModel>();
  const loader = (name: string, bytes: number) => async () => {
    loads.push(name);
    const model = new FakeModel(name, bytes);
    made.set(name, model);
    return model;
  };
  return { loads, made, loader };
}

describe('ModelPool', () => {
  it('loads once per key, shares the load between concurrent callers, and keeps models under the cap', async () => {
    const { loads, made, loader } = loaderLog();
    const pool = new ModelPool<FakeModel>(100);
    const [a1, a2] = await Promise.all([pool.acquire('a', loader('a', 40)), pool.acquire('a', loader('a', 40))]);
    expect(loads).toEqual(['a']);
    expect(a1.model).toBe(a2.model);
    a1.release();
    a2.release();
    (await pool.acquire('b', loader('b', 40))).release();
    expect(pool.bytes).toBe(80);
    // c needs room: a is the least recently used idle model, so it goes (and is disposed).
    (await pool.acquire('c', loader('c', 40))).release();
    expect(pool.loadedKeys().sort()).toEqual(['b', 'c']);
    expect(made.get('a')!.disposed).toBe(true);
    expect(pool.evicted).toBe(1);
    // A later request for a loads it again.
    (await pool.acquire('a', loader('a', 40))).release();
    expect(loads).toEqual(['a', 'b', 'c', 'a']);
  });

  it('evicts by recency of use, not of loading', async () => {
    const { loader } = loaderLog();
    const pool = new ModelPool<FakeModel>(100);
    (await pool.acquire('a', loader('a', 40))).release();
    (await pool.acquire('b', loader('b', 40))).release();
    (await pool.acquire('a', loader('a', 40))).release(); // a used again: b is now the oldest
    (await pool.acquire('c', loader('c', 40))).release();
    expect(pool.loadedKeys().sort()).toEqual(['a', 'c']);
  });

  it('never evicts a model with requests in flight; it runs over the cap until they are done', async () => {
    const { made, loader } = loaderLog();
    const pool = new ModelPool<FakeModel>(100);
    const busy = await pool.acquire('a', loader('a', 60));
    const other = await pool.acquire('b', loader('b', 60));
    expect(pool.loadedKeys().sort()).toEqual(['a', 'b']);
    expect(made.get('a')!.disposed).toBe(false);
    other.release(); // b is idle and the pool is over its cap: b goes, a (in flight) stays
    expect(pool.loadedKeys()).toEqual(['a']);
    expect(made.get('b')!.disposed).toBe(true);
    busy.release();
    expect(pool.loadedKeys()).toEqual(['a']);
  });

  it('disposes a removed model only after its last request, and a removal during the load right after it', async () => {
    const { made, loader } = loaderLog();
    const pool = new ModelPool<FakeModel>(1000);
    const lease = await pool.acquire('a', loader('a', 10));
    pool.remove('a');
    expect(made.get('a')!.disposed).toBe(false);
    expect(pool.isLoaded('a')).toBe(false);
    lease.release();
    expect(made.get('a')!.disposed).toBe(true);

    const pending = pool.acquire('b', loader('b', 10));
    pool.remove('b');
    const late = await pending;
    expect(late.model.disposed).toBe(false);
    late.release();
    expect(late.model.disposed).toBe(true);
  });

  it('refuses a model larger than the cap and forgets failed loads', async () => {
    const pool = new ModelPool<FakeModel>(50);
    const tooBig = new FakeModel('big', 80);
    await expect(pool.acquire('big', async () => tooBig)).rejects.toMatchObject({ reason: 'MODEL_INVALID' });
    expect(tooBig.disposed).toBe(true);
    await expect(pool.acquire('broken', async () => Promise.reject(new Error('no files')))).rejects.toThrow('no files');
    expect(pool.loadedKeys()).toEqual([]);
    const { loader } = loaderLog();
    expect((await pool.acquire('broken', loader('broken', 10))).model.name).toBe('broken');
  });
});
