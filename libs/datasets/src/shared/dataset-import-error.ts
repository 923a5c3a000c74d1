export interface ErrorLocation {
  /** The file as the user knows it (its name inside the upload), never a server path. */
  file?: string;
  /** 1-based physical line. */
  line?: number;
  /** A column name when known, else a 1-based field number. */
  column?: number | string;
}

/** A problem with the uploaded data. The message is safe to show to the user and says where it is. */
export class DatasetImportError extends Error {
  readonly code = 'BAD_USER_INPUT';
  readonly file?: string;
  readonly line?: number;
  readonly column?: number | string;

  constructor(message: string, location: ErrorLocation = {}) {
    super(location.file === undefined ? message : `${location.file}: ${message}`);
    this.name = 'DatasetImportError';
    this.file = location.file;
    this.line = location.line;
    this.column = location.column;
  }
}
