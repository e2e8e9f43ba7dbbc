/**
 * Blob tables over CrateDB's `/_blobs/<table>/<sha1>` endpoint: content-addressed files, the counterpart of
 * crate-python's BlobContainer. Answers of a CrateDB 6.4.3 node (verified): PUT 201 created, 409 already there, 400 the
 * body does not match the digest; GET/HEAD 200, DELETE 204; 404 with an empty body for a missing blob, and with the
 * text `Relation 'blob.<table>' unknown` for a missing table (HEAD: only its content-length says which). The docs add
 * that any request may be answered with a 307 to the node holding the blob, which is followed.
 *
 * Reads (GET, HEAD) are hedged like SQL reads (hedge.ts). Reads and uploads go to the next server when one fails: an upload is content-addressed, so repeating it
 * stores the same bytes (its `created` then reports what the last attempt found). A DELETE is repeated only when it
 * provably never reached a server, since a repeat would report a deleted blob as missing.
 */
import type { Readable } from 'node:stream';
import { CrateArgumentError } from '../shared/errors.js';
import { checkBlobTableName, normalizeDigest } from './blob-names.js';
import { checkOptionKeys } from '../shared/options.js';
import type { BlobRequest, BlobResponse, BlobSender } from './blob-http.js';
import { DEFAULT_BLOB_MEMORY_LIMIT, prepareBlob, type BlobData } from './blob-source.js';
import { CrateDBError, bodyExcerpt, type CrateErrorKind } from './errors.js';
import { isTraced, traceContext, traceOperation, failoverObserver, type CrateTraceContext } from './diagnostics.js';
import { failover, toError, type FailoverNodes, type Outcome } from './failover.js';
import { TransportError, describeTransportError, type Endpoint } from './http-exchange.js';
import { errorKindFor, failoverFor } from './transient.js';

export type { BlobData } from './blob-source.js';

/** What a blob container needs of its client; handed over by `CrateClient.blobs()`. */
export interface BlobContext {
  /** Servers, hang probe and limits, shared with the client's SQL requests (failover.ts). */
  readonly nodes: FailoverNodes;
  readonly connectTimeout: number;
  readonly endpoints: ReadonlyMap<string, Endpoint>;
  /** Authorization, when the client has credentials. */
  readonly headers: Readonly<Record<string, string>>;
  readonly send: BlobSender;
}

export interface BlobPutOptions {
  signal?: AbortSignal;
  /**
   * Bytes of a stream kept in memory while its digest is computed; the rest is spooled to a temporary file (removed
   * afterwards). Default 16 MiB. Buffers and Uint8Arrays are sent as they are.
   */
  memoryLimit?: number;
}

export interface BlobPutResult {
  /** SHA-1 of the content, 40 lower-case hex digits: the blob's name in its table. */
  digest: string;
  /** False when the table already held this content. */
  created: boolean;
  /** Bytes uploaded. */
  size: number;
}

export interface BlobCallOptions {
  signal?: AbortSignal;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;
/** Failures at connect time: the request provably never reached a server. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The blobs of one blob table. Get one with `client.blobs(table)`. */
export class BlobContainer {
  readonly table: string;
  readonly #context: BlobContext;

  constructor(table: string, context: BlobContext) {
    this.table = checkBlobTableName(table, 'client.blobs()');
    this.#context = context;
  }

  /**
   * Stores `data` and returns its SHA-1 digest. A stream is read to its end before the upload starts (the digest is
   * part of the URL); see {@link BlobPutOptions.memoryLimit}.
   */
  put(data: BlobData, options: BlobPutOptions = {}): Promise<BlobPutResult> {
    return this.#traced('PUT', (trace) => this.#put(data, options, trace));
  }

  async #put(data: BlobData, options: BlobPutOptions, trace: CrateTraceContext | undefined): Promise<BlobPutResult> {
    checkOptionKeys('blobs.put()', options, ['signal', 'memoryLimit']);
    const memoryLimit = options.memoryLimit ?? DEFAULT_BLOB_MEMORY_LIMIT;
    if (!Number.isSafeInteger(memoryLimit) || memoryLimit < 0) {
      throw new CrateArgumentError(`blobs.put(): memoryLimit must be a whole number of bytes ≥ 0, not ${String(memoryLimit)}`);
    }
    const blob = await prepareBlob(data, memoryLimit, options.signal);
    try {
      const headers = { ...this.#context.headers, 'content-type': 'application/octet-stream', 'content-length': String(blob.size) };
      const { server, response } = await this.#request('PUT', blob.digest, { headers, body: blob.open, idempotent: true, signal: options.signal, trace });
      if (trace) trace.bytesSent += blob.size;
      const text = await readText(response.body);
      if (response.status === 201) return { digest: blob.digest, created: true, size: blob.size };
      if (response.status === 409) return { digest: blob.digest, created: false, size: blob.size };
      if (response.status === 404) throw this.#unknownTable(server, text);
      if (response.status === 400 && text === '') {
        throw this.#error(server, 400, 'other', blob.digest, 'CrateDB refused the upload (HTTP 400): the content it received does not match the digest', text);
      }
      throw this.#unexpected(server, response.status, blob.digest, text);
    } finally {
      await blob.dispose();
    }
  }

  /**
   * The blob's content as a Node Readable (web code: `Readable.toWeb(stream)`). Resolves once CrateDB has answered;
   * fails with kind `unknown-blob` when there is no such blob. The stream must be read or destroyed; a connection
   * lost while it flows makes it emit an error (the download is not resumed on another server).
   */
  get(digest: string, options: BlobCallOptions = {}): Promise<Readable> {
    return this.#traced('GET', (trace) => this.#get(digest, options, trace));
  }

  async #get(digest: string, options: BlobCallOptions, trace: CrateTraceContext | undefined): Promise<Readable> {
    checkOptionKeys('blobs.get()', options, ['signal']);
    const name = normalizeDigest(digest, 'blobs.get()');
    const { server, response } = await this.#request('GET', name, { headers: this.#context.headers, idempotent: true, signal: options.signal, keepSignal: true, trace });
    if (response.status === 200) return response.body;
    const text = await readText(response.body);
    if (response.status === 404) throw this.#notFound(server, name, text);
    throw this.#unexpected(server, response.status, name, text);
  }

  /** The blob's content in one Buffer; for blobs that fit in memory. */
  async getBuffer(digest: string, options: BlobCallOptions = {}): Promise<Buffer> {
    const stream = await this.get(digest, options);
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Whether the table holds a blob with this digest (`HEAD`). */
  exists(digest: string, options: BlobCallOptions = {}): Promise<boolean> {
    return this.#traced('HEAD', (trace) => this.#exists(digest, options, trace));
  }

  async #exists(digest: string, options: BlobCallOptions, trace: CrateTraceContext | undefined): Promise<boolean> {
    checkOptionKeys('blobs.exists()', options, ['signal']);
    const name = normalizeDigest(digest, 'blobs.exists()');
    const { server, response } = await this.#request('HEAD', name, { headers: this.#context.headers, idempotent: true, signal: options.signal, trace });
    response.body.resume();
    if (response.status === 200) return true;
    // A HEAD answer has no body; CrateDB's content-length still tells a missing table (its message) from a missing blob.
    if (response.status === 404 && Number(response.headers['content-length'] ?? 0) === 0) return false;
    if (response.status === 404) throw this.#unknownTable(server, '');
    throw this.#unexpected(server, response.status, name, '');
  }

  /** Deletes the blob; false when there was none. */
  delete(digest: string, options: BlobCallOptions = {}): Promise<boolean> {
    return this.#traced('DELETE', (trace) => this.#delete(digest, options, trace));
  }

  async #delete(digest: string, options: BlobCallOptions, trace: CrateTraceContext | undefined): Promise<boolean> {
    checkOptionKeys('blobs.delete()', options, ['signal']);
    const name = normalizeDigest(digest, 'blobs.delete()');
    const { server, response } = await this.#request('DELETE', name, { headers: this.#context.headers, idempotent: false, signal: options.signal, trace });
    const text = await readText(response.body);
    if (response.status === 204 || response.status === 200) return true;
    if (response.status === 404 && text === '') return false;
    if (response.status === 404) throw this.#unknownTable(server, text);
    throw this.#unexpected(server, response.status, name, text);
  }

  toString(): string {
    return `BlobContainer(${this.table})`;
  }

  /** Runs one blob call as a traced operation when the blob channel has subscribers (diagnostics.ts). */
  #traced<T>(method: BlobRequest['method'], run: (trace: CrateTraceContext | undefined) => Promise<T>): Promise<T> {
    const trace = isTraced('blob') ? traceContext('blob', { method, table: this.table }) : undefined;
    return trace === undefined ? run(undefined) : traceOperation(trace, () => run(trace));
  }

  /**
   * One blob request, sent to one server after another as the failover engine allows (failover.ts: node choice, hang
   * probe, deadlines, nothing applied twice), following redirects. Resolves with the first answer that is not a
   * redirect or an "unavailable" status. The call's `timeout` runs until the answer's headers; with `keepSignal` the
   * caller's signal also stops the body afterwards.
   */
  async #request(
    method: BlobRequest['method'],
    digest: string,
    request: {
      headers: Readonly<Record<string, string>>;
      body?: BlobRequest['body'];
      idempotent: boolean;
      signal: AbortSignal | undefined;
      keepSignal?: boolean;
      trace: CrateTraceContext | undefined;
    },
  ): Promise<{ server: string; response: BlobResponse }> {
    const blobPath = `/_blobs/${encodeURIComponent(this.table)}/${digest}`;
    const { server, value } = await failover(
      this.#context.nodes,
      {
        idempotent: request.idempotent,
        // Reads are hedged like SQL reads (hedge.ts); an upload or a delete never is.
        hedge: method === 'GET' || method === 'HEAD',
        // A copy that answered after another won holds a body (a connection): drop it.
        discard: (late: BlobResponse) => late.body.destroy(),
        signal: request.signal,
        details: {},
        task: `serve ${method} ${blobPath}`,
        during: ` for ${method} ${blobPath}`,
        suffix: '',
        unknown: `. The ${method} of blob ${digest} in "${this.table}" was sent, so it may or may not have been applied; it was not repeated`,
        // Blob answers are never transient (see #exchange): there is no such answer to turn into an error.
        answerError: (answer: never) => answer,
        observer: failoverObserver<never>(request.trace, (answer) => answer),
      },
      (server, stop) => this.#exchange(server, method, digest, blobPath, request, stop),
    );
    if (request.trace) request.trace.status = value.status;
    return { server, response: value };
  }

  /**
   * One attempt on one server, following redirects. Only 502/503/504 fail over: the /_blobs endpoint's other answers
   * (a missing blob or table, a digest mismatch) are the blob protocol's, and their bodies are the caller's to read.
   */
  async #exchange(
    server: string,
    method: BlobRequest['method'],
    digest: string,
    blobPath: string,
    request: { headers: Readonly<Record<string, string>>; body?: BlobRequest['body']; signal: AbortSignal | undefined; keepSignal?: boolean },
    stop: AbortSignal,
  ): Promise<Outcome<BlobResponse, never>> {
    const context = this.#context;
    const endpoint = context.endpoints.get(server)!;
    let origin = endpoint.origin;
    let path = endpoint.basePath + blobPath;
    const signal = request.keepSignal && request.signal ? AbortSignal.any([stop, request.signal]) : stop;
    for (let hop = 0; ; hop++) {
      let response: BlobResponse;
      try {
        response = await context.send(origin, { method, path, headers: request.headers, body: request.body, signal });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        const requestSent = !(typeof code === 'string' && NOT_SENT_CODES.has(code));
        const { description, kind } = describeTransportError(new TransportError(toError(error), requestSent), context.connectTimeout);
        return { type: 'failed', requestSent, description, kind, cause: error };
      }
      const location = response.headers.location;
      if (REDIRECTS.has(response.status) && typeof location === 'string') {
        response.body.resume();
        const target = new URL(location, origin);
        // Same scheme only: a redirect must not downgrade TLS or carry credentials elsewhere in the clear.
        if (hop >= MAX_REDIRECTS || target.protocol !== new URL(origin).protocol) {
          throw this.#error(server, response.status, 'bad-response', digest, `CrateDB redirected the request to ${target.origin}${hop >= MAX_REDIRECTS ? ` more than ${MAX_REDIRECTS} times` : ', another scheme'}; not followed`, '');
        }
        origin = target.origin;
        path = target.pathname + target.search;
        continue;
      }
      if (failoverFor(response.status, '') === 'unavailable') {
        const text = await readText(response.body);
        return { type: 'unavailable', description: `HTTP ${response.status}: ${bodyExcerpt(text) || '(empty body)'}`, details: { status: response.status } };
      }
      return { type: 'answer', value: response };
    }
  }

  #notFound(server: string, digest: string, text: string): CrateDBError {
    if (text !== '') return this.#unknownTable(server, text);
    return this.#error(server, 404, 'unknown-blob', digest, `no blob with digest ${digest}`, text);
  }

  #unknownTable(server: string, text: string): CrateDBError {
    return new CrateDBError(`Blob table "${this.table}" does not exist (CrateDB at ${server}: HTTP 404${text ? `, ${bodyExcerpt(text)}` : ''})`, {
      kind: 'unknown-table',
      status: 404,
      ...(text !== '' && { serverMessage: text }),
    });
  }

  #unexpected(server: string, status: number, digest: string, text: string): CrateDBError {
    return this.#error(server, status, errorKindFor(undefined, status), digest, `unexpected answer HTTP ${status}${text ? `: ${bodyExcerpt(text)}` : ''}`, text);
  }

  #error(server: string, status: number, kind: CrateErrorKind, digest: string, problem: string, text: string): CrateDBError {
    return new CrateDBError(`Blob table "${this.table}", digest ${digest}: ${problem} (CrateDB at ${server})`, {
      kind,
      status,
      ...(text !== '' && { serverMessage: text }),
    });
  }
}

/** A short answer's body as text (error messages); at most 64 KiB are kept. */
async function readText(body: Readable): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    if (text.length < 65_536) text += (chunk as Buffer).toString('utf8');
  }
  return text;
}
