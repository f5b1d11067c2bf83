/**
 * Caps on what the loader reads (docs/security.md "Dataset caps", issue #14 API4): a data file is
 * parsed whole into memory and every record validated, so an oversized file (50 MB took 36 s and
 * 2.8 GB) would stall `corridor validate` and the server's start. The caps sit far above the
 * shipped data (the largest file is 70 KB, the longest list 85 records) and can be raised.
 */
export interface DataLimits {
  /** Largest data file read, in bytes. */
  maxFileBytes: number;
  /** Most records one file's list may hold. */
  maxRecordsPerFile: number;
}

export const DATA_LIMIT_SETTINGS = {
  maxFileBytes: { env: 'CORRIDOR_DATA_MAX_FILE_MB', default: 8, unit: 'MB', scale: 1024 * 1024 },
  maxRecordsPerFile: { env: 'CORRIDOR_DATA_MAX_RECORDS', default: 20_000, unit: 'records', scale: 1 },
} as const;

/** The caps in force: the defaults, or the environment's settings (a bad setting is an error naming it). */
export function dataLimits(env: Record<string, string | undefined> = process.env): DataLimits {
  const read = (k: keyof typeof DATA_LIMIT_SETTINGS) => {
    const s = DATA_LIMIT_SETTINGS[k];
    const raw = env[s.env];
    if (raw === undefined || raw === '') return s.default * s.scale;
    const n = Number(raw);
    if (!Number.isFinite(n) || n <= 0)
      throw new Error(`${s.env}="${raw}" is not a positive number of ${s.unit} (default ${s.default})`);
    return Math.floor(n * s.scale);
  };
  return { maxFileBytes: read('maxFileBytes'), maxRecordsPerFile: read('maxRecordsPerFile') };
}
