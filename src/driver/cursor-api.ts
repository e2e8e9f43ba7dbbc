/**
 * The public face of cursors (options, batches, the error of a cursor cut short), apart from their machinery in
 * cursor.ts, which needs undici: this module is part of every runtime's bundle.
 */
import type { ColType } from './decode.js';
import { CrateConnectionError, type CrateErrorDetails } from './errors.js';

export interface CursorOptions {
  /** Rows per FETCH, and so per batch: the most rows held in memory at once. Default 1000. */
  batchSize?: number;
  /** Aborting closes the cursor and ends the iteration with the signal's reason. */
  signal?: AbortSignal;
  /** Put the arguments on thrown errors (`error.args`). Off by default: they may hold personal data or secrets. */
  includeArgsInErrors?: boolean;
}

/** One FETCH's rows, decoded as `client.sql()` decodes them. */
export interface CursorBatch {
  cols: string[];
  colTypes: ColType[];
  rows: unknown[][];
}

export const DEFAULT_CURSOR_BATCH_SIZE = 1000;

/**
 * The cursor's connection was lost (or timed out) part-way: the result was NOT read to its end. `rowsDelivered`
 * rows had been handed to the caller. Its `code` stays `CRATE_ERR_CONNECTION`, so it is caught as a connection error.
 */
export class CrateCursorError extends CrateConnectionError {
  static override readonly errorName: string = 'CrateCursorError';
  /** Rows yielded to the caller before the failure. */
  readonly rowsDelivered: number;

  constructor(message: string, details: CrateErrorDetails, server: string, rowsDelivered: number) {
    super(message, details, [{ server, error: message }]);
    this.rowsDelivered = rowsDelivered;
  }
}
