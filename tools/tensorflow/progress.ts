import { SingleBar } from 'cli-progress';

export interface Progress {
  update(bytes: number): void;
  stop(): void;
}

const MB = 1024 * 1024;
export const megabytes = (bytes: number) => `${Math.round(bytes / MB).toLocaleString('en-US')} MiB`;

/**
 * A bar with speed and ETA on a terminal; elsewhere (npm's captured output, CI logs) a line every 10 %, so
 * a log still shows that a large download is moving.
 */
export function downloadProgress(label: string, total: number, write: (line: string) => void): Progress {
  if (process.stderr.isTTY) {
    const bar = new SingleBar({
      format: `  ${label} |{bar}| {percentage}% | {done}/{size} | {speed} | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: false,
    });
    const started = Date.now();
    bar.start(total, 0, { done: megabytes(0), size: megabytes(total), speed: '-' });
    return {
      update(bytes) {
        const seconds = (Date.now() - started) / 1000;
        bar.update(bytes, {
          done: megabytes(bytes),
          speed: seconds > 0 ? `${(bytes / MB / seconds).toFixed(1)} MiB/s` : '-',
        });
      },
      stop: () => bar.stop(),
    };
  }
  let reported = -1;
  return {
    update(bytes) {
      const tenth = Math.floor((bytes / Math.max(total, 1)) * 10);
      if (tenth > reported && tenth < 10) {
        reported = tenth;
        write(`  ${label}: ${tenth * 10}% of ${megabytes(total)}`);
      }
    },
    stop: () => write(`  ${label}: done (${megabytes(total)})`),
  };
}
