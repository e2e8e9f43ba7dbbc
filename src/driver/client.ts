/**
 * CrateClient: statements over CrateDB's `POST /_sql`, with round-robin, failover that never applies a statement
 * twice, typed decoding of results, and errors that say what went wrong.
 */
import { CallLimits, type Stop } from './call-limits.js';
import { createBlobTableStatement, dropBlobTableStatement, type CreateBlobTableOptions, type DropBlobTableOptions } from './blob-ddl.js';
import type { BlobContainer } from './blobs.js';
import type { CursorBatch, CursorHost, CursorOptions } from './cursor.js';
import { resolveSettings, withSchemaConfig, type ConnectionSecrets, type CrateClientOptions, type ResolvedClientConfig } from './config.js';
import { decodeRows, parseJson, type ColType } from './decode.js';
import { serializeRequestBody } from './encode.js';
import { CrateConnectionError, CrateDBError, bodyExcerpt, inStatement, type CrateErrorKind, type ServerFailure } from './errors.js';
import { CrateConfigError } from '../shared/errors.js';
import { HangDetector } from './hang-detector.js';
import { backoffDelay, isReadOnlyStatement, transientRetryDelay, verdictFor, type AttemptFailure } from './retry.js';
import { errorKindFor, failoverFor } from './transient.js';
import { ServerHealth } from './servers.js';
import { TransportError, endpointOf, registeredUndiciTransport, type Endpoint, type HttpResponse, type Transport } from './transport-api.js';
import { FetchTransport } from './transport-fetch.js';

export interface RequestOptions {
  /**
   * Whether the statement may be sent to another server after a failure that may have reached the first one.
   * Default: true for SELECT, SHOW, VALUES, WITH ... SELECT and EXPLAIN; false for everything else.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Put the arguments on thrown errors (`error.args`). Off by default: they may hold personal data or secrets. */
  includeArgsInErrors?: boolean;
}

export interface SqlResult {
  cols: string[];
  colTypes: ColType[];
  rows: unknown[][];
  /** Rows returned or affected; -1 when CrateDB cannot tell (e.g. some DDL). */
  rowCount: number;
  /** Server-side execution time in ms, as reported by CrateDB. */
  duration: number;
}

export interface BulkItemResult {
  /** Rows affected by this item; -2 when it failed. */
  rowCount: number;
  /**
   * Why the item failed. CrateDB ≥ 5.10 reports the first 10 failures per shard; for the others, and on older
   * servers, the error is {@link UNREPORTED_BULK_ERROR} (code -1), so a failed item always has an `error`.
   */
  error?: { code: number; message: string };
}

export interface BulkResult {
  results: BulkItemResult[];
  duration: number;
}

export interface ServerInfo {
  /** The server as configured, e.g. `http://localhost:4200`. */
  server: string;
  nodeName: string;
  clusterName: string;
  /** CrateDB version, e.g. `6.4.3`. */
  version: string;
  buildHash: string | undefined;
  buildTimestamp: string | undefined;
  buildSnapshot: boolean | undefined;
  luceneVersion: string | undefined;
}

export const UNREPORTED_BULK_ERROR: Readonly<{ code: number; message: string }> = Object.freeze({
  code: -1,
  message: 'failed; CrateDB did not report why (versions before 5.10 never do, later ones only for the first 10 failures per shard)',
});

/** State shared by a client and its `withSchema()` siblings: server health, transport (connections), credentials. */
interface ClientFamily {
  health: ServerHealth;
  transport: Transport;
  secrets: ConnectionSecrets;
  endpoints: ReadonlyMap<string, Endpoint>;
  /** Undefined when probing is off (`probeAfter: 0`). */
  hangs: HangDetector | undefined;
}

interface ExchangeRequest {
  method: 'GET' | 'POST';
  /** Appended to the server's base path. */
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
  idempotent: boolean;
  signal: AbortSignal | undefined;
  statement: string | undefined;
  args: unknown[] | undefined;
}

interface Answer {
  server: string;
  response: HttpResponse;
}

/** Handed from `withSchema()` to the constructor it calls, within the same synchronous call. */
let siblingSeed: { config: ResolvedClientConfig; family: ClientFamily } | undefined;

export class CrateClient {
  /** The effective configuration, free of secrets. */
  readonly config: ResolvedClientConfig;
  readonly #family: ClientFamily;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #gzipHeaders: Readonly<Record<string, string>>;
  readonly #infoHeaders: Readonly<Record<string, string>>;
  readonly #sqlPath: string;

  /** @param config a connection URL (`crate://...`, `http(s)://...`) or options; default `http://localhost:4200`. */
  constructor(config?: string | CrateClientOptions) {
    const seed = siblingSeed;
    siblingSeed = undefined;
    if (seed) {
      this.config = seed.config;
      this.#family = seed.family;
    } else {
      const settings = resolveSettings(config);
      this.config = settings.config;
      const transport = createTransport(settings.config, settings.secrets);
      const endpoints = new Map(settings.config.servers.map((server) => [server, endpointOf(server)]));
      const { probeAfter, probeTimeout } = settings.config;
      this.#family = {
        health: new ServerHealth(settings.config.servers, settings.config.retryInterval, settings.now),
        transport,
        secrets: settings.secrets,
        endpoints,
        hangs:
          probeAfter > 0
            ? new HangDetector((server, timeout) => {
                const endpoint = endpoints.get(server)!;
                return transport.probe(endpoint.origin, `${endpoint.basePath}/`, timeout);
              }, { after: probeAfter, timeout: probeTimeout })
            : undefined,
      };
    }
    const authorization = this.#family.secrets.authorization();
    this.#infoHeaders = { accept: 'application/json', ...(authorization !== undefined && { authorization }) };
    this.#headers = {
      'content-type': 'application/json',
      ...this.#infoHeaders,
      ...(this.config.schema !== undefined && { 'default-schema': this.config.schema }),
    };
    this.#gzipHeaders = { ...this.#headers, 'content-encoding': 'gzip' };
    this.#sqlPath = this.config.errorTrace ? '/_sql?types&error_trace=true' : '/_sql?types';
  }

  /** Runs one statement with `$1`/`?` placeholders bound to `args` (sent as JSON, never spliced into the SQL). */
  async sql(stmt: string, args?: readonly unknown[], opts: RequestOptions = {}): Promise<SqlResult> {
    const body = serializeRequestBody(args === undefined || args.length === 0 ? { stmt } : { stmt, args });
    const { server, response } = await this.#postSql(stmt, body, args, opts);
    const parsed = this.#parseSuccess(server, response, stmt, args, opts) as SqlResponseBody;
    if (!Array.isArray(parsed.cols) || !Array.isArray(parsed.rows)) throw badResponse(server, response, 'no cols/rows in the result', stmt);
    const colTypes = Array.isArray(parsed.col_types) ? parsed.col_types : [];
    decodeRows(parsed.rows, colTypes);
    return { cols: parsed.cols, colTypes, rows: parsed.rows, rowCount: parsed.rowcount ?? -1, duration: parsed.duration ?? 0 };
  }

  /** Runs one INSERT/UPDATE/DELETE once per argument list, in one request (`bulk_args`). */
  async bulk(stmt: string, bulkArgs: readonly (readonly unknown[])[], opts: RequestOptions = {}): Promise<BulkResult> {
    if (bulkArgs.length === 0) return { results: [], duration: 0 };
    const body = serializeRequestBody({ stmt, bulk_args: bulkArgs });
    const { server, response } = await this.#postSql(stmt, body, bulkArgs, opts);
    const parsed = this.#parseSuccess(server, response, stmt, bulkArgs, opts) as BulkResponseBody;
    if (!Array.isArray(parsed.results)) throw badResponse(server, response, 'no results in the bulk response', stmt);
    const results = parsed.results.map((item): BulkItemResult => {
      if (item.rowcount !== -2) return { rowCount: item.rowcount };
      return { rowCount: -2, error: item.error ? { code: item.error.code, message: item.error.message } : UNREPORTED_BULK_ERROR };
    });
    return { results, duration: parsed.duration ?? 0 };
  }

  /**
   * Reads a query's result in batches of `batchSize` rows through a server-side cursor, in bounded memory:
   * `for await (const { cols, rows } of client.cursor('SELECT ...', args, { batchSize: 500 }))`. Rows are decoded
   * as `sql()` decodes them. The cursor is closed when the loop ends, breaks or throws, and when `signal` aborts; a
   * connection lost part-way raises {@link CrateCursorError} with the number of rows delivered. Only SELECT and
   * VALUES queries are accepted (CrateDB's DECLARE takes nothing else).
   */
  cursor(stmt: string, args?: readonly unknown[], opts: CursorOptions = {}): AsyncIterable<CursorBatch> {
    const { transport, endpoints } = this.#family;
    if (!transport.openCursor) {
      throw new CrateConfigError(
        `client.cursor(): a cursor needs one connection for its DECLARE, FETCH and CLOSE, which the undici transport (Node.js) ` +
          `pins and ${transport.name} cannot; on this runtime, read large results in pages (WHERE id > last ORDER BY id LIMIT n)`,
        'transport',
      );
    }
    const target = (server: string) => {
      const endpoint = endpoints.get(server)!;
      return { origin: endpoint.origin, sqlPath: endpoint.basePath + this.#sqlPath };
    };
    return transport.openCursor(this.#cursorHost(), target, stmt, args, opts);
  }

  /** `GET /` of the next server: node and cluster name, CrateDB version. */
  async serverInfo(opts: Pick<RequestOptions, 'signal'> = {}): Promise<ServerInfo> {
    const { server, response } = await this.#roundTrip({
      method: 'GET',
      path: '/',
      headers: this.#infoHeaders,
      idempotent: true,
      signal: opts.signal,
      statement: undefined,
      args: undefined,
    });
    if (response.status !== 200) throw errorFromResponse(server, response, undefined, undefined);
    const info = parseBody(server, response, undefined) as MainResponseBody;
    if (typeof info.version?.number !== 'string') throw badResponse(server, response, 'no version in the answer to GET /', undefined);
    return {
      server,
      nodeName: String(info.name),
      clusterName: String(info.cluster_name),
      version: info.version.number,
      buildHash: info.version.build_hash,
      buildTimestamp: info.version.build_timestamp,
      buildSnapshot: info.version.build_snapshot,
      luceneVersion: info.version.lucene_version,
    };
  }

  /**
   * The blobs of a blob table (`/_blobs/<table>/...`): `put`, `get`, `getBuffer`, `exists`, `delete`. Requests use
   * this client's servers, failover, credentials, TLS and connection pools.
   */
  blobs(table: string): BlobContainer {
    const { health, endpoints, transport } = this.#family;
    if (!transport.openBlobs) {
      throw new CrateConfigError(
        `client.blobs('${table}'): blob tables need the undici transport (Node.js), and this client uses ${transport.name}. ` +
          `Blobs are hashed, spooled and streamed with Node's crypto, file system and streams; on other runtimes, use ` +
          `CrateDB's /_blobs endpoint with fetch directly.`,
        'transport',
      );
    }
    const { username, schema } = this.config;
    // The SQL headers minus the JSON content type: the same pool carries both, so a connection's first request binds
    // the same session (user, default schema) whichever kind it is.
    const { 'content-type': _json, ...headers } = this.#headers;
    return transport.openBlobs(table, { username, schema }, {
      timeout: this.config.timeout,
      connectTimeout: this.config.connectTimeout,
      backoffFactor: this.config.backoffFactor,
      health,
      endpoints,
      headers,
    });
  }

  /** `CREATE BLOB TABLE name [CLUSTERED INTO n SHARDS] [WITH (number_of_replicas, blobs_path)]`. */
  async createBlobTable(table: string, options: CreateBlobTableOptions = {}, opts: Pick<RequestOptions, 'signal'> = {}): Promise<void> {
    const { stmt, args } = createBlobTableStatement(table, options);
    await this.sql(stmt, args, opts);
  }

  /** `DROP BLOB TABLE [IF EXISTS] name`. */
  async dropBlobTable(table: string, options: DropBlobTableOptions = {}, opts: Pick<RequestOptions, 'signal'> = {}): Promise<void> {
    await this.sql(dropBlobTableStatement(table, options), undefined, opts);
  }

  /**
   * A client for another default schema. It shares server health, credentials and the pool registry with this one,
   * but never a connection: CrateDB fixes a connection's schema on its first request.
   */
  withSchema(schema: string): CrateClient {
    siblingSeed = { config: withSchemaConfig(this.config, schema), family: this.#family };
    try {
      return new CrateClient();
    } finally {
      siblingSeed = undefined;
    }
  }

  /** Closes the connections of this client and of all its `withSchema()` siblings, after in-flight requests finish. */
  async close(): Promise<void> {
    this.#family.hangs?.close();
    await this.#family.transport.close();
  }

  toString(): string {
    return `CrateClient(${this.config.servers.join(', ')}, user ${this.config.username})`;
  }

  // Node's `util.inspect.custom` by its registered symbol (node:util is not imported: other runtimes lack it); Node
  // passes its `inspect` as the third argument.
  [Symbol.for('nodejs.util.inspect.custom')](_depth: number, options: object, inspect?: (value: unknown, options: object) => string): string {
    return inspect ? `CrateClient ${inspect(this.config, { ...options, depth: 2 })}` : this.toString();
  }

  /** What a cursor needs from this client; its pinned connection comes from the transport (see `cursor()`). */
  #cursorHost(): Omit<CursorHost, 'connect' | 'closed'> {
    const { health, hangs } = this.#family;
    const { config } = this;
    return {
      timeout: config.timeout,
      connectTimeout: config.connectTimeout,
      hangs,
      nextServer: (tried) => health.next(tried),
      serverFailed: (server, description) => health.markInactive(server, description),
      serverAnswered: (server) => health.markActive(server),
      headers: this.#headers,
      read: (server, response, stmt, args) => {
        const parsed = this.#parseSuccess(server, response, stmt, args, { includeArgsInErrors: args !== undefined }) as SqlResponseBody;
        if (!Array.isArray(parsed.cols) || !Array.isArray(parsed.rows)) throw badResponse(server, response, 'no cols/rows in the result', stmt);
        const colTypes = Array.isArray(parsed.col_types) ? parsed.col_types : [];
        decodeRows(parsed.rows, colTypes);
        return { cols: parsed.cols, colTypes, rows: parsed.rows };
      },
    };
  }

  async #postSql(stmt: string, body: string, args: readonly unknown[] | undefined, opts: RequestOptions): Promise<Answer> {
    // Compared in characters, not bytes: exact enough for a threshold, and free.
    const threshold = this.config.compressionThreshold;
    const compressed = threshold !== null && body.length > threshold ? await this.#family.transport.gzip(body) : undefined;
    return this.#roundTrip({
      method: 'POST',
      path: this.#sqlPath,
      headers: compressed ? this.#gzipHeaders : this.#headers,
      body: compressed ?? body,
      idempotent: opts.idempotent ?? isReadOnlyStatement(stmt),
      signal: opts.signal,
      statement: stmt,
      args: opts.includeArgsInErrors && args ? [...args] : undefined,
    });
  }

  /**
   * Sends the request to one server after another until one answers or the failure rules say stop. Statements safe
   * to repeat go round the servers again after transient cluster errors, for `retryTimeout` from the first one; the
   * call's `timeout` and signal stop everything at once.
   */
  async #roundTrip(request: ExchangeRequest): Promise<Answer> {
    const { health, transport } = this.#family;
    if (transport.closed) throw new CrateDBError('CrateClient is closed', { kind: 'other', statement: request.statement });
    const limits = new CallLimits(this.config.timeout, request.signal);
    const started = performance.now();
    // Opened by the first transient failure: a statement that waited long for a node the cluster then dropped still
    // gets its full retryTimeout.
    let retryUntil: number | undefined;
    const failures: ServerFailure[] = [];
    let lastFailure: { kind: CrateErrorKind; status?: number; serverCode?: number; serverMessage?: string } = { kind: 'connection' };
    let tried: string[] = [];
    let round = 1;
    // Whether a server of this round said "try again later" (a transient cluster error, 502/503/504).
    let worthAnotherRound = false;
    let lastTransient: { server: string; response: HttpResponse } | undefined;
    try {
      for (let attempt = 0; ; attempt++) {
        let server = health.next(tried);
        if (server === undefined && worthAnotherRound && request.idempotent) {
          const wait = transientRetryDelay(round);
          if (retryUntil !== undefined && performance.now() + wait < retryUntil) {
            await limits.sleep(wait);
            if (limits.stopped) this.#stopped(limits, request, failures, undefined);
            round++;
            tried = [];
            worthAnotherRound = false;
            server = health.next(tried);
          }
        }
        if (server === undefined) {
          if (lastTransient) {
            const elapsed = Math.round(performance.now() - started);
            throw errorFromResponse(lastTransient.server, lastTransient.response, request.statement, request.args, {
              note: `; sent ${attempt} times over ${elapsed} ms, and CrateDB kept answering with transient cluster errors`,
            });
          }
          const list = failures.map((failure) => `${failure.server}: ${failure.error}`).join('; ');
          throw new CrateConnectionError(
            `No CrateDB server could serve the request (${list})${inStatement(request.statement)}`,
            { ...lastFailure, statement: request.statement, args: request.args },
            failures,
          );
        }
        tried.push(server);
        const delay = backoffDelay(attempt + 1, this.config.backoffFactor);
        if (delay > 0) await limits.sleep(delay);
        if (limits.stopped) this.#stopped(limits, request, failures, undefined);

        const outcome = await this.#attempt(server, request, limits);
        if ('response' in outcome) {
          const { response } = outcome;
          const reported = serverError(response);
          const failover = failoverFor(response.status, reported.message);
          if (failover === 'unavailable') {
            const description = `HTTP ${response.status}${reported.code === undefined ? '' : ` ${reported.code}`}: ${reported.message}`;
            recordFailure(failures, server, description);
            lastFailure = { kind: 'service-unavailable', status: response.status, serverCode: reported.code, serverMessage: reported.message };
            const verdict = verdictFor({ type: 'unavailable' }, request.idempotent);
            health.markInactive(server, description);
            lastTransient = undefined;
            worthAnotherRound = true;
            retryUntil ??= performance.now() + this.config.retryTimeout;
            if (verdict.retry) continue;
            throw new CrateConnectionError(
              `CrateDB at ${server} is unavailable (${description})${OUTCOME_UNKNOWN}${inStatement(request.statement)}`,
              { ...lastFailure, statement: request.statement, args: request.args, outcomeUnknown: true },
              failures,
            );
          }
          if (failover === 'transient') {
            const verdict = verdictFor({ type: 'transient' }, request.idempotent);
            if (!verdict.retry || this.config.retryTimeout === 0) {
              throw errorFromResponse(server, response, request.statement, request.args, { outcomeUnknown: verdict.outcomeUnknown });
            }
            // The server answered, so it is alive; the cluster behind it is what failed. Another server, or a moment
            // later the same one, will do.
            health.markActive(server);
            lastTransient = { server, response };
            worthAnotherRound = true;
            retryUntil ??= performance.now() + this.config.retryTimeout;
            continue;
          }
          health.markActive(server);
          return { server, response };
        }

        const { failure, error, description, kind } = outcome;
        lastTransient = undefined;
        if (failure.type === 'deadline') this.#stopped(limits, request, failures, { server, requestSent: failure.requestSent });
        recordFailure(failures, server, description);
        lastFailure = { kind };
        const verdict = verdictFor(failure, request.idempotent);
        if (verdict.markInactive) health.markInactive(server, description);
        if (verdict.retry) continue;
        throw new CrateConnectionError(
          `CrateDB at ${server}: ${description}${verdict.outcomeUnknown ? OUTCOME_UNKNOWN : ''}${inStatement(request.statement)}`,
          { kind, statement: request.statement, args: request.args, outcomeUnknown: verdict.outcomeUnknown, cause: error },
          failures,
        );
      }
    } finally {
      limits.dispose();
    }
  }

  /**
   * One exchange with one server, watched by the call's limits and, when probing is on, by the hang detector.
   * Resolves with the response, or with how the exchange failed; rejects only with the caller's abort reason.
   */
  async #attempt(server: string, request: ExchangeRequest, limits: CallLimits): Promise<AttemptOutcome> {
    const { transport, endpoints, hangs } = this.#family;
    const endpoint = endpoints.get(server)!;
    const route = { origin: endpoint.origin, username: this.config.username, schema: this.config.schema };
    const pending = transport.exchange(route, {
      method: request.method,
      path: endpoint.basePath + request.path,
      headers: request.headers,
      body: request.body,
    });
    let hung: string | undefined;
    const watch = hangs?.watch(server, (description) => {
      hung = description;
      pending.abort(new Error(description));
    });
    const unlisten = limits.onStop((stop) => pending.abort(stop.type === 'abort' ? toError(stop.reason) : new Error('deadline')));
    try {
      return { response: await pending.response };
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      const requestSent = error.requestSent;
      if (error.aborted && limits.stopped?.type === 'abort') throw limits.stopped.reason;
      if (error.aborted && limits.stopped?.type === 'deadline') {
        return { failure: { type: 'deadline', requestSent }, error, description: 'deadline', kind: 'timeout' };
      }
      if (error.aborted && hung !== undefined) {
        const stage = requestSent ? 'the request was sent, but' : 'the request was still waiting for a connection when';
        return { failure: { type: 'hung', requestSent }, error, description: `${stage} ${hung}`, kind: 'connection' };
      }
      const failure = transport.describe(error);
      return { failure: { type: 'transport', requestSent }, error, description: failure.description, kind: failure.kind };
    } finally {
      watch?.stop();
      unlisten();
    }
  }

  /**
   * Throws for a call stopped by its limits: the caller's abort reason as it is, or a timeout error. `waiting`: the
   * server whose answer was awaited when the deadline passed; it is probed in the background, and set aside if hung.
   */
  #stopped(limits: CallLimits, request: ExchangeRequest, failures: ServerFailure[], waiting: { server: string; requestSent: boolean } | undefined): never {
    const stop = limits.stopped as Stop;
    if (stop.type === 'abort') throw stop.reason;
    const { health, hangs } = this.#family;
    if (waiting && hangs) {
      void hangs.check(waiting.server).then((reason) => {
        if (reason !== undefined) health.markInactive(waiting.server, reason);
      });
    }
    const verdict = verdictFor({ type: 'deadline', requestSent: waiting?.requestSent ?? false }, request.idempotent);
    const where = waiting ? ` (waiting for ${waiting.server})` : '';
    if (waiting) recordFailure(failures, waiting.server, `no answer within the timeout of ${limits.timeout} ms`);
    throw new CrateConnectionError(
      `No answer from CrateDB within the timeout of ${limits.timeout} ms${where}${verdict.outcomeUnknown ? OUTCOME_UNKNOWN : ''}${inStatement(request.statement)}`,
      { kind: 'timeout', statement: request.statement, args: request.args, outcomeUnknown: verdict.outcomeUnknown },
      failures,
    );
  }

  #parseSuccess(server: string, response: HttpResponse, stmt: string, args: readonly unknown[] | undefined, opts: RequestOptions): unknown {
    const errorArgs = opts.includeArgsInErrors && args ? [...args] : undefined;
    if (response.status !== 200) throw errorFromResponse(server, response, stmt, errorArgs);
    return parseBody(server, response, stmt, this.config.bigint);
  }
}

/** The transport the configuration chose (config.ts resolved `auto` and refused what the choice cannot honour). */
function createTransport(config: ResolvedClientConfig, secrets: ConnectionSecrets): Transport {
  if (config.transport === 'fetch') return new FetchTransport();
  return registeredUndiciTransport()!(config, secrets);
}

const OUTCOME_UNKNOWN = '. The statement was sent, so it may or may not have been applied; it was not retried because it is not idempotent';

type AttemptOutcome =
  | { response: HttpResponse }
  | { failure: AttemptFailure; error: TransportError; description: string; kind: 'connection' | 'timeout' };

/** Keeps one entry per server, its latest failure: a request may go round the servers several times. */
function recordFailure(failures: ServerFailure[], server: string, error: string): void {
  const known = failures.find((failure) => failure.server === server);
  if (known) known.error = error;
  else failures.push({ server, error });
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}

interface SqlResponseBody {
  cols?: string[];
  col_types?: ColType[];
  rows?: unknown[][];
  rowcount?: number;
  duration?: number;
}

interface BulkResponseBody {
  results?: { rowcount: number; error?: { code: number; message: string } }[];
  duration?: number;
}

interface MainResponseBody {
  name?: string;
  cluster_name?: string;
  version?: { number?: string; build_hash?: string; build_timestamp?: string; build_snapshot?: boolean; lucene_version?: string };
}

interface ErrorResponseBody {
  error?: { message?: unknown; code?: unknown };
  error_trace?: unknown;
}

function parseBody(server: string, response: HttpResponse, statement: string | undefined, bigint: 'bigint' | 'string' = 'bigint'): object {
  let parsed: unknown;
  try {
    parsed = parseJson(response.body, bigint);
  } catch {
    throw badResponse(server, response, 'the body is not valid JSON', statement);
  }
  if (typeof parsed !== 'object' || parsed === null) throw badResponse(server, response, 'the body is not a JSON object', statement);
  return parsed;
}

function badResponse(server: string, response: HttpResponse, problem: string, statement: string | undefined): CrateDBError {
  return new CrateDBError(
    `CrateDB at ${server} sent an unusable answer (HTTP ${response.status}, ${problem}): ${bodyExcerpt(response.body)}${inStatement(statement)}`,
    { kind: 'bad-response', status: response.status, statement },
  );
}

/** CrateDB's `{"error": {"message", "code"}}`, or for plain-text answers (401 from authentication) the text itself. */
function serverError(response: HttpResponse): { code?: number; message: string; trace?: string; json: boolean } {
  try {
    const parsed = JSON.parse(response.body) as ErrorResponseBody;
    const { message, code } = parsed.error ?? {};
    if (typeof message === 'string') {
      return {
        message,
        json: true,
        ...(typeof code === 'number' && { code }),
        ...(typeof parsed.error_trace === 'string' && { trace: parsed.error_trace }),
      };
    }
  } catch {
    // not JSON: handled below
  }
  return { message: bodyExcerpt(response.body) || '(empty body)', json: false };
}

function errorFromResponse(
  server: string,
  response: HttpResponse,
  statement: string | undefined,
  args: unknown[] | undefined,
  extra: { note?: string; outcomeUnknown?: boolean } = {},
): CrateDBError {
  const reported = serverError(response);
  const kind = errorKindFor(reported.code, response.status);
  // A plain-text 401/403/429 is still a clear answer; any other non-JSON error body is not CrateDB speaking.
  if (!reported.json && kind !== 'unauthorized' && kind !== 'forbidden' && kind !== 'service-unavailable') {
    return badResponse(server, response, 'not a CrateDB error', statement);
  }
  const label = reported.code === undefined ? `HTTP ${response.status}` : `${reported.code}`;
  const unknown = extra.outcomeUnknown
    ? '. A node of the cluster failed while the statement ran, so it may or may not have been applied; it was not retried because it is not idempotent'
    : '';
  return new CrateDBError(`CrateDB error ${label} (${kind}): ${reported.message}${extra.note ?? ''}${unknown}${inStatement(statement)}`, {
    kind,
    serverCode: reported.code,
    status: response.status,
    serverMessage: reported.message,
    errorTrace: reported.trace,
    statement,
    args,
    outcomeUnknown: extra.outcomeUnknown,
  });
}
