/**
 * The one place blob requests touch a transport: an HTTP exchange with one origin whose body may be streamed both
 * ways. `blobs.ts` knows CrateDB's blob protocol and the failover rules and only calls {@link BlobSender}; this file
 * gives it one over the client's undici pools (same TLS, credentials and connection limits as SQL). Another
 * transport (fetch) needs only another {@link BlobSender}.
 */
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

export interface BlobRequest {
  method: 'GET' | 'HEAD' | 'PUT' | 'DELETE';
  /** Path on the origin, base path of the server included. */
  path: string;
  headers: Readonly<Record<string, string>>;
  /** A PUT's body; a function so that every attempt (failover, redirect) reads it from the start. */
  body?: () => Buffer | Readable;
  signal: AbortSignal;
}

export interface BlobResponse {
  status: number;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The body as it arrives; must be read or destroyed. */
  body: Readable;
}

/** Sends one request to `origin` (e.g. `http://node1:4200`); resolves once the response headers are in. */
export type BlobSender = (origin: string, request: BlobRequest) => Promise<BlobResponse>;

/** A {@link BlobSender} over undici dispatchers, one per origin (the client's connection pools). */
export function undiciBlobSender(dispatcherFor: (origin: string) => Dispatcher): BlobSender {
  return async (origin, request) => {
    const response = await dispatcherFor(origin).request({
      origin,
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body?.() ?? null,
      signal: request.signal,
      // The caller keeps its own deadline (CallLimits); a blob download may legitimately take long.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return { status: response.statusCode, headers: response.headers, body: response.body as unknown as Readable };
  };
}
