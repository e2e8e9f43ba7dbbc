/**
 * The fetch transport: CrateDB over the standard `fetch`, for runtimes without Node's sockets (Bun, Deno, Cloudflare
 * Workers, Vercel Edge) or by choice (`transport: 'fetch'`).
 *
 * What fetch cannot tell, this transport does not pretend to know:
 * - Whether a request left the process. A request counts as sent from the moment it is handed to fetch, unless the
 *   failure proves no connection was ever made (refused, DNS, TLS handshake). A write that failed otherwise is
 *   `outcomeUnknown` and never re-sent (retry.ts).
 * - Which connection carries a request. The runtime pools connections by origin; CrateDB binds a session's default
 *   schema to the connection on its first request and ignores `Default-Schema` afterwards, so a schema could silently
 *   be the wrong one. The client therefore refuses `schema`/`withSchema()` on this transport (config.ts), and never
 *   sends `Default-Schema`.
 * - Connection-level settings: pool size, keep-alive, connect timeout, TLS material. The client refuses those options.
 */
import {
  TransportError,
  describeTransportError,
  neverConnected,
  type HttpResponse,
  type PendingExchange,
  type RequestSpec,
  type Route,
  type Transport,
  type TransportFailureDescription,
} from './transport-api.js';

export class FetchTransport implements Transport {
  readonly name = 'fetch';
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #fetch: typeof fetch;
  #closed = false;

  /** @param fetchImpl the runtime's fetch unless given (tests, or a runtime that needs a bound one). */
  constructor(fetchImpl: typeof fetch = (input, init) => fetch(input, init)) {
    this.#fetch = fetchImpl;
  }

  get closed(): boolean {
    return this.#closed;
  }

  exchange(route: Route, spec: RequestSpec): PendingExchange {
    const controller = new AbortController();
    let settled = false;
    let requestSent = false;
    let abortReason: Error | undefined;
    let reject!: (error: TransportError) => void;
    const response = new Promise<HttpResponse>((resolve, onReject) => {
      reject = onReject;
      requestSent = true;
      const running = this.#run(route.origin + spec.path, spec, controller.signal).then(
        (answer) => {
          if (settled) return;
          settled = true;
          resolve(answer);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          const failure = causeWithCode(error);
          requestSent = !neverConnected(failure.code);
          onReject(new TransportError(failure.error, requestSent));
        },
      );
      this.#track(running);
    });
    return {
      response,
      get requestSent() {
        return requestSent;
      },
      abort(reason) {
        if (settled) return;
        settled = true;
        abortReason = reason;
        controller.abort(abortReason);
        reject(new TransportError(reason, requestSent, true));
      },
    };
  }

  probe(origin: string, path: string, timeout: number): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('the client is closed'));
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new Error(`no answer to GET / within ${timeout} ms`)), timeout);
    const probing = this.#fetch(origin + path, { method: 'GET', headers: { accept: 'application/json' }, signal: controller.signal })
      .then(
        async (answer) => {
          // Any status shows the server is alive; the body is not needed.
          await answer.body?.cancel().catch(() => {});
        },
        (error: unknown) => {
          throw controller.signal.aborted ? (controller.signal.reason as Error) : causeWithCode(error).error;
        },
      )
      .finally(() => clearTimeout(timer));
    this.#track(probing.catch(() => {}));
    return probing;
  }

  gzip(body: string): Promise<Uint8Array> | undefined {
    if (typeof CompressionStream !== 'function') return undefined;
    const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'));
    return new Response(stream).arrayBuffer().then((buffer) => new Uint8Array(buffer));
  }

  describe(error: TransportError): TransportFailureDescription {
    // fetch has no connect timeout of its own that the client sets, so no timeout shows up here.
    return describeTransportError(error, 0);
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#inFlight]);
  }

  async #run(url: string, spec: RequestSpec, signal: AbortSignal): Promise<HttpResponse> {
    const answer = await this.#fetch(url, {
      method: spec.method,
      headers: spec.headers,
      ...(spec.body !== undefined && { body: spec.body as NonNullable<RequestInit['body']> }),
      signal,
    });
    const body = await answer.text();
    return { status: answer.status, contentType: answer.headers.get('content-type') ?? undefined, body };
  }

  #track(work: Promise<unknown>): void {
    const settled = work.then(
      () => {},
      () => {},
    );
    this.#inFlight.add(settled);
    void settled.then(() => this.#inFlight.delete(settled));
  }
}

/**
 * fetch wraps network failures in a bare `TypeError: fetch failed` (Node) with the system error as its `cause`: the
 * first error in the chain that carries a code tells what happened. Returns an error whose message names both.
 */
function causeWithCode(error: unknown): { error: Error; code: string | undefined } {
  const top = error instanceof Error ? error : new Error(String(error));
  let current: unknown = top;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== '') {
      const message = current === top ? top.message : `${top.message}: ${current.message}`;
      return { error: Object.assign(new Error(message, { cause: top }), { code }), code };
    }
    current = current.cause;
  }
  // Deno reports a refused connection only in the message ("tcp connect error: Connection refused").
  if (/tcp connect error|dns error/i.test(top.message)) {
    const code = /dns error/i.test(top.message) ? 'ENOTFOUND' : 'ECONNREFUSED';
    return { error: Object.assign(new Error(top.message, { cause: top }), { code }), code };
  }
  return { error: top, code: undefined };
}
