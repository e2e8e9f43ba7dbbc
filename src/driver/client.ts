/**
 * CrateClient: statements over CrateDB's `POST /_sql`, with round-robin, failover that never applies a statement
 * twice, typed decoding of results, and errors that say what went wrong.
 */
import { badResponse, describeTransientAnswer, errorFromResponse, parseBody, sqlOutcome, type SqlAnswer } from './answers.js';
import { createBlobTableStatement, dropBlobTableStatement, type CreateBlobTableOptions, type DropBlobTableOptions } from './blob-ddl.js';
import type { BlobContainer } from './blobs.js';
import type { CrateClientOptions } from './client-options.js';
import { openCursor, type CursorBatch, type CursorHost, type CursorOptions } from './cursor.js';
import { resolveSettings, withSchemaConfig, type ConnectionSecrets, type ResolvedClientConfig } from './config.js';
import { decodeRows, type ColType } from './decode.js';
import { byteLength, failoverObserver, hedgeEventSink, isSqlTraced, isTraced, traceContext, traceOperation, type CrateTraceContext } from './diagnostics.js';
import { serializeRequestBody } from './encode.js';
import { inStatement } from './errors.js';
import { CrateConfigError } from '../shared/errors.js';
import { failover, whenStopped, type FailoverNodes, type Outcome } from './failover.js';
import { HangDetector } from './hang-detector.js';
import { Hedger, type HedgeStats } from './hedge.js';
import { TransportError, endpointOf, type Endpoint, type HttpResponse } from './http-exchange.js';
import { isReadOnlyStatement } from './retry.js';
import { ServerHealth } from './servers.js';
import { registeredUndiciTransport, type Transport } from './transport-api.js';
import { FetchTransport } from './transport-fetch.js';

export interface RequestOptions {
  /**
   * Whether the statement may be sent to another server after a failure that may have reached the first one.
   * Default: true for SELECT, SHOW, VALUES, WITH ... SELECT and EXPLAIN; false for everything else.
   */
  idempotent?: boolean;
  /**
   * false: never hedge this statement (e.g. a long analytic query that should not run twice). Reads are hedged unless
   * the client's `hedgedReads` is off; writes never are, whatever this says.
   */
  hedge?: boolean;
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
  hedger: Hedger;
}

interface ExchangeRequest {
  method: 'GET' | 'POST';
  /** Appended to the server's base path. */
  path: string;
  headers: Readonly<Record<string, string>>;
  body?: string | Uint8Array;
  idempotent: boolean;
  /** A read that may be hedged (hedge.ts). */
  hedge: boolean;
  signal: AbortSignal | undefined;
  statement: string | undefined;
  args: unknown[] | undefined;
  /** The operation's diagnostics context, when its channel has subscribers (diagnostics.ts). */
  trace?: CrateTraceContext | undefined;
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
  readonly #nodes: FailoverNodes;

  /** @param config a connection URL (`crate://...`, `http(s)://...`) or options; default `http://localhost:4200`. */
  constructor(config?: string | CrateClientOptions) {
    const seed = siblingSeed;
    siblingSeed = undefined;
    if (seed) {
      this.config = seed.config;
      this.#family = seed.family;
    } else {
      const settings = resolveSettings(config, registeredUndiciTransport() !== undefined);
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
        // undici's pools hold poolSize connections per server; a hedge past them would only queue (hedge.ts).
        hedger: new Hedger(settings.config.hedge, hedgeEventSink(settings.onHedge), transport.name === 'undici' ? settings.config.poolSize : Infinity),
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
    const { health, hangs, transport, hedger } = this.#family;
    this.#nodes = {
      health,
      hangs,
      hedger,
      timeout: this.config.timeout,
      retryTimeout: this.config.retryTimeout,
      backoffFactor: this.config.backoffFactor,
      isClosed: () => transport.closed,
    };
  }

  /** Runs one statement with `$1`/`?` placeholders bound to `args` (sent as JSON, never spliced into the SQL). */
  async sql(stmt: string, args?: readonly unknown[], opts: RequestOptions = {}): Promise<SqlResult> {
    const trace = isSqlTraced() ? traceContext('query', { statement: stmt, schema: this.config.schema }) : undefined;
    if (trace === undefined) return this.#sql(stmt, args, opts, undefined);
    return traceOperation(trace, () => this.#sql(stmt, args, opts, trace), (result) => {
      trace.rowsReturned = result.rows.length;
      if (WRITES.has(trace.operationName) && result.rowCount >= 0) trace.rowsWritten = result.rowCount;
    });
  }

  async #sql(stmt: string, args: readonly unknown[] | undefined, opts: RequestOptions, trace: CrateTraceContext | undefined): Promise<SqlResult> {
    const body = serializeRequestBody(args === undefined || args.length === 0 ? { stmt } : { stmt, args });
    const { server, response } = await this.#postSql(stmt, body, args, opts, trace, true);
    const parsed = this.#parseSuccess(server, response, stmt, args, opts) as SqlResponseBody;
    if (!Array.isArray(parsed.cols) || !Array.isArray(parsed.rows)) throw badResponse(server, response, 'no cols/rows in the result', stmt);
    const colTypes = Array.isArray(parsed.col_types) ? parsed.col_types : [];
    decodeRows(parsed.rows, colTypes);
    return { cols: parsed.cols, colTypes, rows: parsed.rows, rowCount: parsed.rowcount ?? -1, duration: parsed.duration ?? 0 };
  }

  /** Runs one INSERT/UPDATE/DELETE once per argument list, in one request (`bulk_args`). */
  async bulk(stmt: string, bulkArgs: readonly (readonly unknown[])[], opts: RequestOptions = {}): Promise<BulkResult> {
    if (bulkArgs.length === 0) return { results: [], duration: 0 };
    const trace = isTraced('bulk') ? traceContext('bulk', { statement: stmt, schema: this.config.schema, batchSize: bulkArgs.length }) : undefined;
    if (trace === undefined) return this.#bulk(stmt, bulkArgs, opts, undefined);
    return traceOperation(trace, () => this.#bulk(stmt, bulkArgs, opts, trace), (result) => {
      let written = 0;
      let failed = 0;
      for (const item of result.results) {
        if (item.rowCount >= 0) written += item.rowCount;
        else if (item.rowCount === -2) failed++;
      }
      trace.rowsWritten = written;
      trace.failedItems = failed;
    });
  }

  async #bulk(stmt: string, bulkArgs: readonly (readonly unknown[])[], opts: RequestOptions, trace: CrateTraceContext | undefined): Promise<BulkResult> {
    const body = serializeRequestBody({ stmt, bulk_args: bulkArgs });
    // Bulk arguments are for writes; never hedged.
    const { server, response } = await this.#postSql(stmt, body, bulkArgs, opts, trace, false);
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
    if (!transport.pin) {
      throw new CrateConfigError(
        `client.cursor(): a cursor needs one connection for its DECLARE, FETCH and CLOSE, which the undici transport (Node.js) ` +
          `pins and ${transport.name} cannot; on this runtime, read large results in pages (WHERE id > last ORDER BY id LIMIT n)`,
        'transport',
      );
    }
    const host = this.#cursorHost((server) => {
      const endpoint = endpoints.get(server)!;
      return { connection: transport.pin!(endpoint.origin), sqlPath: endpoint.basePath + this.#sqlPath };
    });
    return openCursor(host, stmt, args, opts);
  }

  /** `GET /` of the next server: node and cluster name, CrateDB version. */
  async serverInfo(opts: Pick<RequestOptions, 'signal'> = {}): Promise<ServerInfo> {
    const { server, response } = await this.#roundTrip({
      method: 'GET',
      path: '/',
      headers: this.#infoHeaders,
      idempotent: true,
      // It describes the server it asks; a hedge would describe another.
      hedge: false,
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
    const { endpoints, transport } = this.#family;
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
    return transport.openBlobs(table, { username, schema }, { nodes: this.#nodes, connectTimeout: this.config.connectTimeout, endpoints, headers });
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

  /**
   * Hedged reads so far, for this client and its `withSchema()` siblings, blobs and cursors: reads that could be
   * hedged, hedges sent, reads a hedge answered, hedges the budget held back, and the current hedge delay.
   */
  hedgeStats(): HedgeStats {
    return this.#family.hedger.stats();
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

  /** What a cursor needs from this client; its pinned connections come from the transport (see `cursor()`). */
  #cursorHost(connect: CursorHost['connect']): CursorHost {
    return {
      nodes: this.#nodes,
      connectTimeout: this.config.connectTimeout,
      schema: this.config.schema,
      connect,
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

  async #postSql(stmt: string, body: string, args: readonly unknown[] | undefined, opts: RequestOptions, trace: CrateTraceContext | undefined, hedgeable: boolean): Promise<Answer> {
    // Compared in characters, not bytes: exact enough for a threshold, and free.
    const threshold = this.config.compressionThreshold;
    const compressed = threshold !== null && body.length > threshold ? await this.#family.transport.gzip(body) : undefined;
    return this.#roundTrip({
      method: 'POST',
      path: this.#sqlPath,
      headers: compressed ? this.#gzipHeaders : this.#headers,
      body: compressed ?? body,
      idempotent: opts.idempotent ?? isReadOnlyStatement(stmt),
      // Reads only: a write the caller marks idempotent may be retried after it failed, but two copies of it running
      // at once on two nodes could race each other. COPY is never a read.
      hedge: hedgeable && opts.hedge !== false && isReadOnlyStatement(stmt),
      signal: opts.signal,
      statement: stmt,
      args: opts.includeArgsInErrors && args ? [...args] : undefined,
      trace,
    });
  }

  /** Sends the request through the failover engine (failover.ts), one exchange per server it picks. */
  async #roundTrip(request: ExchangeRequest): Promise<Answer> {
    const { server, value: response } = await failover(
      this.#nodes,
      {
        idempotent: request.idempotent,
        hedge: request.hedge,
        signal: request.signal,
        details: { statement: request.statement, args: request.args },
        task: 'serve the request',
        during: '',
        suffix: inStatement(request.statement),
        unknown: OUTCOME_UNKNOWN,
        answerError: (answer: SqlAnswer, extra) => errorFromResponse(answer.server, answer.response, request.statement, request.args, extra),
        observer: failoverObserver(request.trace, describeTransientAnswer),
      },
      (server, stop) => this.#exchange(server, request, stop),
    );
    return { server, response };
  }

  /** One exchange with one server, stopped when `stop` aborts; its answer classified by the transient table. */
  async #exchange(server: string, request: ExchangeRequest, stop: AbortSignal): Promise<Outcome<HttpResponse, SqlAnswer>> {
    const { transport, endpoints } = this.#family;
    const endpoint = endpoints.get(server)!;
    const route = { origin: endpoint.origin, username: this.config.username, schema: this.config.schema };
    const pending = transport.exchange(route, {
      method: request.method,
      path: endpoint.basePath + request.path,
      headers: request.headers,
      body: request.body,
    });
    const unlisten = whenStopped(stop, (reason) => pending.abort(reason));
    const { trace } = request;
    if (trace) trace.bytesSent += byteLength(request.body);
    try {
      const response = await pending.response;
      if (trace) {
        trace.status = response.status;
        trace.bytesReceived += byteLength(response.body);
      }
      return sqlOutcome(server, response, response);
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      const { description, kind } = transport.describe(error);
      return { type: 'failed', requestSent: error.requestSent, description, kind, cause: error };
    } finally {
      unlisten();
    }
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

/** Operations whose row count is rows written, for the diagnostics context. */
const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'COPY']);

const OUTCOME_UNKNOWN = '. The statement was sent, so it may or may not have been applied; it was not retried because it is not idempotent';

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
