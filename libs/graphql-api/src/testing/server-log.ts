/**
 * Records what the in-process API writes to the console (console.error/warn/log), so a test can
 * prove a request left no stack trace and no "unexpected error" behind.
 */
export function captureServerLog(): { lines: () => string[]; stop: () => void } {
  const lines: string[] = [];
  const methods = ['error', 'warn', 'log'] as const;
  const originals = methods.map((method) => console[method]);
  for (const method of methods) {
    console[method] = (...args: unknown[]) => {
      lines.push(
        args.map((arg) => (arg instanceof Error ? `${arg.message}\n${arg.stack ?? ''}` : String(arg))).join(' '),
      );
    };
  }
  return {
    lines: () => [...lines],
    stop: () => methods.forEach((method, index) => (console[method] = originals[index]!)),
  };
}

/** A stack frame ("    at fn (file:1:2)"), or the messages a stack overflow or a masked 500 log. */
export const STACK_OR_CRASH = /\n\s+at \S|Maximum call stack|unexpected error/;
