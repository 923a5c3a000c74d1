import { Transform } from 'node:stream';
import { DatasetImportError } from '../shared/dataset-import-error';

export interface ExtractionLimits {
  /** Default 200,000 files. */
  maxFiles?: number;
  /** Total bytes written; default 4 GiB. */
  maxBytes?: number;
  /** Bytes written per byte of the archive (default: no check); checked once past RATIO_FLOOR_BYTES. */
  maxCompressionRatio?: number;
  /** The archive's size, which maxCompressionRatio applies to. */
  archiveBytes?: number;
}

/** Small files compress absurdly well (a column of zeros); only a large output can be a bomb. */
export const RATIO_FLOOR_BYTES = 1024 ** 2;

const DEFAULT_MAX_FILES = 200_000;
const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;

/**
 * Caps what one archive may write. Bytes are counted as they are actually written, since a zip bomb's
 * headers can understate sizes; declared sizes only let an oversized entry fail before it starts.
 */
export class ExtractionBudget {
  private files = 0;
  private bytes = 0;
  private readonly maxFiles: number;
  private readonly maxBytes: number;
  private readonly maxRatioBytes: number;
  private readonly ratio: number;

  constructor(
    limits: ExtractionLimits,
    private readonly archive: string,
  ) {
    this.maxFiles = positiveInteger('maxFiles', limits.maxFiles ?? DEFAULT_MAX_FILES);
    this.maxBytes = positiveInteger('maxBytes', limits.maxBytes ?? DEFAULT_MAX_BYTES);
    this.maxRatioBytes =
      limits.maxCompressionRatio === undefined || limits.archiveBytes === undefined
        ? Infinity
        : Math.max(RATIO_FLOOR_BYTES, positiveInteger('maxCompressionRatio', limits.maxCompressionRatio) * limits.archiveBytes);
    this.ratio = limits.maxCompressionRatio ?? 0;
  }

  addFile(entry: string, declaredBytes: number): void {
    if (++this.files > this.maxFiles) this.fail(`holds more than ${this.maxFiles} files`);
    if (this.bytes + declaredBytes > this.maxBytes) this.overflow(entry);
  }

  /** A pass-through stream that fails once the archive's output exceeds maxBytes. */
  meter(entry: string): Transform {
    return new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.bytes += chunk.length;
        if (this.bytes > this.maxBytes) callback(this.overflowError(entry));
        else if (this.bytes > this.maxRatioBytes) callback(this.ratioError(entry));
        else callback(null, chunk);
      },
    });
  }

  private overflow(entry: string): never {
    throw this.overflowError(entry);
  }

  private overflowError(entry: string): DatasetImportError {
    return new DatasetImportError(`expands to more than ${this.maxBytes} bytes (at entry ${JSON.stringify(entry)})`, {
      file: this.archive,
    });
  }

  private ratioError(entry: string): DatasetImportError {
    return new DatasetImportError(
      `expands more than ${this.ratio} times its size (past ${this.maxRatioBytes} bytes at entry ${JSON.stringify(entry)}), ` +
        'as a decompression bomb does; if it is real data, raise LEPTON_IMPORT_MAX_COMPRESSION_RATIO',
      { file: this.archive },
    );
  }

  private fail(message: string): never {
    throw new DatasetImportError(message, { file: this.archive });
  }
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value <= 0)
    throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
