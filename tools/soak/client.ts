import type { Platform } from './platform';

/** What went wrong with one request: a 5xx, a GraphQL error, a dropped connection or a wrong answer. */
export interface Failure {
  operation: string;
  /** Seconds since the load started. */
  at: number;
  kind: 'http5xx' | 'http' | 'graphql' | 'transport' | 'check';
  status?: number;
  message: string;
}

interface OperationStats {
  count: number;
  failures: number;
  latenciesMs: number[];
}

/** Failures kept with their message; beyond this only counted. */
const KEPT_FAILURES = 50;

/**
 * The soak's HTTP client: every request is timed and counted per operation, and every 5xx, GraphQL
 * error, dropped connection or failed check is recorded. Calls never throw: a failed call returns
 * undefined and the load goes on, so one fault does not hide the next.
 */
export class SoakClient {
  private readonly operations = new Map<string, OperationStats>();
  private readonly failures: Failure[] = [];
  private failureCount = 0;
  private http5xx = 0;

  constructor(
    private readonly platform: Platform,
    private readonly clock: () => number,
  ) {}

  async graphql<T>(operation: string, query: string, variables?: Record<string, unknown>): Promise<T | undefined> {
    const response = await this.request(operation, this.platform.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    if (!response) return undefined;
    let payload: { data?: T | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      payload = JSON.parse(response.text) as typeof payload;
    } catch {
      this.fail(
        operation,
        'http',
        `non-JSON answer (${response.status}): ${response.text.slice(0, 200)}`,
        response.status,
      );
      return undefined;
    }
    if (payload.errors?.length) {
      const error = payload.errors[0]!;
      this.fail(operation, 'graphql', `${error.extensions?.code ?? 'NO_CODE'}: ${error.message}`, response.status);
      return undefined;
    }
    if (response.status !== 200 || !payload.data) {
      this.fail(operation, 'http', `answered ${response.status} without data`, response.status);
      return undefined;
    }
    return payload.data;
  }

  /** A non-GraphQL call (uploads, the serving endpoint); the body as text when the status is `expected`. */
  async http(operation: string, url: string, init: RequestInit, expected: number): Promise<string | undefined> {
    const response = await this.request(operation, url, init);
    if (!response) return undefined;
    if (response.status !== expected) {
      this.fail(operation, 'http', `answered ${response.status}: ${response.text.slice(0, 300)}`, response.status);
      return undefined;
    }
    return response.text;
  }

  /** A wrong answer to a request that succeeded (a count, a length, a status). */
  check(operation: string, ok: boolean, message: string): boolean {
    if (!ok) this.fail(operation, 'check', message);
    return ok;
  }

  private async request(operation: string, url: string, init: RequestInit) {
    const started = performance.now();
    let status: number;
    let text: string;
    try {
      const response = await fetch(url, {
        ...init,
        headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.platform.adminToken}` },
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      this.stats(operation).count += 1;
      this.fail(
        operation,
        'transport',
        error instanceof Error ? `${error.message} ${String(error.cause ?? '')}` : String(error),
      );
      return undefined;
    }
    const stats = this.stats(operation);
    stats.count += 1;
    stats.latenciesMs.push(performance.now() - started);
    if (status >= 500) {
      this.http5xx += 1;
      this.fail(operation, 'http5xx', text.slice(0, 300), status);
      return undefined;
    }
    return { status, text };
  }

  private stats(operation: string): OperationStats {
    let stats = this.operations.get(operation);
    if (!stats) {
      stats = { count: 0, failures: 0, latenciesMs: [] };
      this.operations.set(operation, stats);
    }
    return stats;
  }

  private fail(operation: string, kind: Failure['kind'], message: string, status?: number): void {
    this.failureCount += 1;
    this.stats(operation).failures += 1;
    if (this.failures.length < KEPT_FAILURES) {
      this.failures.push({
        operation,
        at: Math.round(this.clock() * 10) / 10,
        kind,
        ...(status ? { status } : {}),
        message,
      });
    }
  }

  /** Successful calls of `operation` so far. */
  succeeded(operation: string): number {
    const stats = this.operations.get(operation);
    return stats ? stats.count - stats.failures : 0;
  }

  summary() {
    const operations = Object.fromEntries(
      [...this.operations.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([name, stats]) => {
          const sorted = [...stats.latenciesMs].sort((a, b) => a - b);
          const at = (q: number) =>
            sorted.length ? round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!) : null;
          return [
            name,
            {
              requests: stats.count,
              failures: stats.failures,
              p50Ms: at(0.5),
              p95Ms: at(0.95),
              maxMs: sorted.length ? round(sorted.at(-1)!) : null,
            },
          ];
        }),
    );
    return {
      requests: [...this.operations.values()].reduce((sum, stats) => sum + stats.count, 0),
      http5xx: this.http5xx,
      failures: this.failureCount,
      failureSamples: this.failures,
      operations,
    };
  }
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
