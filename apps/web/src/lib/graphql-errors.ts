/** A GraphQL error as the API sends it: a stable `extensions.code`, and for bad input often `field`, `file`, `line`, `column`. */
export interface ApiErrorShape {
  message: string;
  extensions?: { code?: string; field?: string; file?: string; line?: number; column?: number; [key: string]: unknown };
}

export interface GraphQLResult<T> {
  data?: T | null;
  errors?: ApiErrorShape[];
}

export class ApiRequestError extends Error {
  readonly code: string;
  readonly field: string | undefined;
  readonly errors: ApiErrorShape[];

  constructor(errors: ApiErrorShape[], status?: number) {
    const first = errors[0];
    super(first?.message ?? `The API answered ${status ?? 'with an error'}`);
    this.name = 'ApiRequestError';
    this.errors = errors;
    this.code = first?.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
    this.field = first?.extensions?.field;
  }

  /** "file data.csv, line 4, column 2" when the API located a problem in an uploaded file. */
  get location(): string | undefined {
    const extensions = this.errors[0]?.extensions;
    if (!extensions || (extensions.file === undefined && extensions.line === undefined)) return undefined;
    return [
      extensions.file !== undefined ? `file ${extensions.file}` : null,
      extensions.line !== undefined ? `line ${extensions.line}` : null,
      extensions.column !== undefined ? `column ${extensions.column}` : null,
    ]
      .filter(Boolean)
      .join(', ');
  }
}
