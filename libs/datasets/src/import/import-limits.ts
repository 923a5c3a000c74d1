/**
 * Caps on what one import may read. Each is checked while streaming and the import stops at the
 * first one exceeded, so memory stays bounded whatever the upload holds.
 */
export interface ImportLimits {
  /** Bytes of content after decompression (and after extracting an archive). */
  maxBytes: number;
  /** Data rows of a table. */
  maxRows: number;
  /** Columns of a table. */
  maxColumns: number;
  /** Distinct values of one categorical column (and of the label). */
  maxCategories: number;
  /** Characters in one cell. */
  maxCellLength: number;
  /** Decompressed bytes per compressed byte of a gzip or zip upload (zip bombs reach thousands). */
  maxCompressionRatio: number;
  /** Files in an archive. */
  maxFiles: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxBytes: 2 * 1024 ** 3,
  maxRows: 5_000_000,
  maxColumns: 2_000,
  maxCategories: 10_000,
  // With maxColumns, bounds one record in memory (2,000 × 8,192 characters).
  maxCellLength: 8_192,
  maxCompressionRatio: 200,
  maxFiles: 200_000,
};

/** The environment variable that sets each cap (documented in the README's configuration table). */
export const IMPORT_LIMIT_VARIABLES: Record<keyof ImportLimits, string> = {
  maxBytes: 'LEPTON_IMPORT_MAX_BYTES',
  maxRows: 'LEPTON_IMPORT_MAX_ROWS',
  maxColumns: 'LEPTON_IMPORT_MAX_COLUMNS',
  maxCategories: 'LEPTON_IMPORT_MAX_CATEGORIES',
  maxCellLength: 'LEPTON_IMPORT_MAX_CELL_LENGTH',
  maxCompressionRatio: 'LEPTON_IMPORT_MAX_COMPRESSION_RATIO',
  maxFiles: 'LEPTON_IMPORT_MAX_FILES',
};

/** The caps from LEPTON_IMPORT_* variables, defaults for those unset; a bad value throws naming its variable. */
export function importLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): ImportLimits {
  const limits = { ...DEFAULT_IMPORT_LIMITS };
  for (const [key, variable] of Object.entries(IMPORT_LIMIT_VARIABLES) as [keyof ImportLimits, string][]) {
    const raw = env[variable]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new Error(`${variable} must be a positive whole number (got ${JSON.stringify(raw)})`);
    }
    limits[key] = value;
  }
  return limits;
}

/** Given caps over the defaults. */
export function resolveImportLimits(limits: Partial<ImportLimits> = {}): ImportLimits {
  return { ...DEFAULT_IMPORT_LIMITS, ...limits };
}
