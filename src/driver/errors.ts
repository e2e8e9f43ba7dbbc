import { CrateError } from '../shared/errors.js';

/**
 * Errors raised by the CrateDB HTTP driver.
 *
 * Every failure surfaces as a {@link CrateDBError} whose `kind` says what went wrong in terms a caller can branch on
 * (duplicate key, unknown table, timeout, ...), independent of CrateDB's numeric codes and HTTP statuses, which are kept
 * alongside for the details.
 */

export type CrateErrorKind =
  | 'duplicate-key'
  | 'version-conflict'
  | 'unknown-table'
  | 'unknown-schema'
  | 'unknown-column'
  /** No blob with that digest in the blob table (`client.blobs(table).get()`). */
  | 'unknown-blob'
  | 'invalid-sql'
  | 'unsupported'
  | 'unauthorized'
  | 'forbidden'
  | 'service-unavailable'
  | 'connection'
  | 'timeout'
  | 'bad-response'
  | 'server-error'
  | 'other';

export interface CrateErrorDetails {
  kind: CrateErrorKind;
  /** CrateDB's error code (e.g. 4091), when the server sent one. */
  serverCode?: number;
  /** HTTP status of the response, when there was one. */
  status?: number;
  /** The server's own message, e.g. `DuplicateKeyException[A document with the same primary key exists already]`. */
  serverMessage?: string;
  /** Java stack trace, only when the client was configured with `errorTrace: true`. */
  errorTrace?: string;
  statement?: string;
  /** Only present when the caller passed `includeArgsInErrors: true`: arguments may hold personal data or secrets. */
  args?: unknown[];
  /**
   * True when the statement reached a server but no reliable answer came back (connection lost, response timeout,
   * 502/503/504 from a proxy or an unavailable cluster): it may or may not have been applied.
   */
  outcomeUnknown?: boolean;
  cause?: unknown;
}

/**
 * CrateDB answered with an error, or gave no usable answer. `code` is `CRATE_ERR_SERVER` (or `CRATE_ERR_CONNECTION`
 * for {@link CrateConnectionError}); `kind` says what went wrong; `serverCode` is CrateDB's own number (4091, ...).
 */
export class CrateDBError extends CrateError {
  static override readonly errorName: string = 'CrateDBError';
  override readonly code: 'CRATE_ERR_SERVER' | 'CRATE_ERR_CONNECTION' = 'CRATE_ERR_SERVER';
  readonly kind: CrateErrorKind;
  // `declare`: no class-field initialization, so absent details are absent properties, not `undefined` ones that
  // would clutter `util.inspect` output.
  declare readonly serverCode?: number;
  declare readonly status?: number;
  declare readonly serverMessage?: string;
  declare readonly errorTrace?: string;
  declare readonly statement?: string;
  declare readonly args?: unknown[];
  readonly outcomeUnknown: boolean;

  constructor(message: string, details: CrateErrorDetails) {
    super(message, { cause: details.cause });
    this.kind = details.kind;
    if (details.serverCode !== undefined) this.serverCode = details.serverCode;
    if (details.status !== undefined) this.status = details.status;
    if (details.serverMessage !== undefined) this.serverMessage = details.serverMessage;
    if (details.errorTrace !== undefined) this.errorTrace = details.errorTrace;
    if (details.statement !== undefined) this.statement = details.statement;
    if (details.args !== undefined) this.args = details.args;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
  }
}

export interface ServerFailure {
  /** The server as configured, without credentials, e.g. `https://node1:4200`. */
  server: string;
  error: string;
}

/** No server gave a usable answer, or a statement's fate is unknown after a transport failure. */
export class CrateConnectionError extends CrateDBError {
  static override readonly errorName: string = 'CrateConnectionError';
  override readonly code = 'CRATE_ERR_CONNECTION';
  readonly failures: ServerFailure[];

  constructor(message: string, details: CrateErrorDetails, failures: ServerFailure[]) {
    super(message, details);
    this.failures = failures;
  }
}

const STATEMENT_EXCERPT_LENGTH = 240;
const BODY_EXCERPT_LENGTH = 200;

/** One line of at most {@link STATEMENT_EXCERPT_LENGTH} characters, for messages; the full text stays in `statement`. */
export function statementExcerpt(statement: string): string {
  const oneLine = statement.replace(/\s+/g, ' ').trim();
  return oneLine.length > STATEMENT_EXCERPT_LENGTH ? `${oneLine.slice(0, STATEMENT_EXCERPT_LENGTH)}…` : oneLine;
}

export function bodyExcerpt(body: string): string {
  const trimmed = body.trim();
  return trimmed.length > BODY_EXCERPT_LENGTH ? `${trimmed.slice(0, BODY_EXCERPT_LENGTH)}…` : trimmed;
}

export function inStatement(statement: string | undefined): string {
  return statement === undefined ? '' : ` — in statement: ${statementExcerpt(statement)}`;
}
