/**
 * CrateDBInstrumentation: turns the driver's diagnostics channels into OpenTelemetry client spans and the
 * `db.client.operation.duration` histogram, after the stable database semantic conventions. It follows OpenTelemetry's
 * `Instrumentation` interface (enable/disable, providers, config) without patching any module, so it works with
 * `registerInstrumentations()` and the Node SDK, and needs only `@opentelemetry/api`.
 *
 * What a span never carries: parameter values, credentials, error messages (CrateDB's may quote a value). The
 * statement goes as written, with its placeholders, or only as its summary, or not at all (`queryText`).
 */
import {
  context,
  diag,
  metrics,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Histogram,
  type Meter,
  type MeterProvider,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { CHANNEL_NAMES, diagnosticsModule, type CrateFailoverEvent, type CrateOperationKind, type CrateTraceContext } from '../driver/diagnostics.js';

export const INSTRUMENTATION_NAME = 'drizzle-cratedb';
/** Kept equal to package.json's version by a test. */
export const INSTRUMENTATION_VERSION = '0.1.0';

export interface CrateDBInstrumentationConfig {
  /** Subscribe at construction (as OpenTelemetry's instrumentations do). Default true. */
  enabled?: boolean;
  /**
   * `db.query.text`: `'full'` (default) the statement as sent, placeholders and all (never the values); `'summary'`
   * only `db.query.summary` (`SELECT users`); `'off'` neither, the span is then named by operation and table.
   */
  queryText?: 'full' | 'summary' | 'off';
  /** Start no span for an operation without a parent span (the duration metric is recorded all the same). */
  requireParentSpan?: boolean;
}

/** CrateDB's own schema when a client names none: what `db.namespace` falls back to. */
const DEFAULT_SCHEMA = 'doc';
/** The `db.client.operation.duration` buckets the conventions advise, in seconds. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
const KINDS: readonly CrateOperationKind[] = ['query', 'bulk', 'cursor', 'blob', 'copy'];

interface Open {
  span: Span | undefined;
  started: number;
  attributes: Attributes;
}

type TracingHandlers = {
  start(message: unknown): void;
  end(message: unknown): void;
  asyncStart(message: unknown): void;
  asyncEnd(message: unknown): void;
  error(message: unknown): void;
};

export class CrateDBInstrumentation {
  readonly instrumentationName = INSTRUMENTATION_NAME;
  readonly instrumentationVersion = INSTRUMENTATION_VERSION;
  #config: CrateDBInstrumentationConfig;
  #tracer: Tracer;
  #meter: Meter;
  #duration: Histogram;
  #enabled = false;
  readonly #open = new WeakMap<CrateTraceContext, Open>();
  readonly #handlers: TracingHandlers;
  readonly #onFailover: (message: unknown, name: string | symbol) => void;

  constructor(config: CrateDBInstrumentationConfig = {}) {
    this.#config = { enabled: true, ...config };
    this.#tracer = trace.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
    this.#meter = metrics.getMeter(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
    this.#duration = this.#createHistogram();
    // Subscribers run inside the driver's calls: one that threw would surface as an uncaught exception there.
    const guard =
      <T>(handler: (ctx: T) => void) =>
      (message: unknown): void => {
        try {
          handler(message as T);
        } catch (error) {
          diag.error('drizzle-cratedb instrumentation failed', error);
        }
      };
    this.#handlers = {
      start: guard((ctx: CrateTraceContext) => this.#start(ctx)),
      end: () => {},
      asyncStart: () => {},
      asyncEnd: guard((ctx: CrateTraceContext) => this.#finish(ctx)),
      error: () => {},
    };
    this.#onFailover = guard((event: CrateFailoverEvent) => this.#failover(event));
    if (this.#config.enabled) this.enable();
  }

  enable(): void {
    if (this.#enabled) return;
    const dc = diagnosticsModule();
    if (dc === undefined) {
      diag.debug('drizzle-cratedb: this runtime has no node:diagnostics_channel; no spans will be recorded');
      return;
    }
    this.#enabled = true;
    for (const kind of KINDS) dc.tracingChannel(CHANNEL_NAMES[kind]).subscribe(this.#handlers);
    dc.subscribe(CHANNEL_NAMES.failover, this.#onFailover);
  }

  disable(): void {
    if (!this.#enabled) return;
    const dc = diagnosticsModule()!;
    this.#enabled = false;
    for (const kind of KINDS) dc.tracingChannel(CHANNEL_NAMES[kind]).unsubscribe(this.#handlers);
    dc.unsubscribe(CHANNEL_NAMES.failover, this.#onFailover);
  }

  setTracerProvider(provider: TracerProvider): void {
    this.#tracer = provider.getTracer(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
  }

  setMeterProvider(provider: MeterProvider): void {
    this.#meter = provider.getMeter(INSTRUMENTATION_NAME, INSTRUMENTATION_VERSION);
    this.#duration = this.#createHistogram();
  }

  setConfig(config: CrateDBInstrumentationConfig): void {
    this.#config = { enabled: true, ...config };
  }

  getConfig(): CrateDBInstrumentationConfig {
    // `enabled` tells whether it is subscribed: registerInstrumentations() enables those that are not.
    return { ...this.#config, enabled: this.#enabled };
  }

  #createHistogram(): Histogram {
    return this.#meter.createHistogram('db.client.operation.duration', {
      description: 'Duration of database client operations.',
      unit: 's',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
  }

  #start(ctx: CrateTraceContext): void {
    const queryText = this.#config.queryText ?? 'full';
    const batch = ctx.batchSize !== undefined && ctx.batchSize >= 2;
    const operation = batch ? `BATCH ${ctx.operationName}` : ctx.operationName;
    const summary = ctx.summary === '' ? undefined : batch ? `BATCH ${ctx.summary}` : ctx.summary;
    const attributes: Attributes = {
      'db.system.name': 'cratedb',
      'db.namespace': ctx.schema ?? DEFAULT_SCHEMA,
      'db.operation.name': operation,
    };
    if (ctx.table !== undefined) attributes['db.collection.name'] = ctx.table;
    const named = summary !== undefined && queryText !== 'off' ? summary : ctx.table === undefined ? operation : `${operation} ${ctx.table}`;
    const spanAttributes: Attributes = { ...attributes };
    if (queryText !== 'off' && summary !== undefined) spanAttributes['db.query.summary'] = summary;
    if (queryText === 'full' && ctx.statement !== undefined) spanAttributes['db.query.text'] = ctx.statement;
    if (batch) spanAttributes['db.operation.batch.size'] = ctx.batchSize!;
    // Published synchronously in the caller's call: the active context is the caller's, which parents the span.
    const parent = context.active();
    const span =
      this.#config.requireParentSpan && trace.getSpan(parent) === undefined
        ? undefined
        : this.#tracer.startSpan(named, { kind: SpanKind.CLIENT, attributes: spanAttributes }, parent);
    this.#open.set(ctx, { span, started: performance.now(), attributes });
  }

  #finish(ctx: CrateTraceContext): void {
    const open = this.#open.get(ctx);
    if (open === undefined) return;
    this.#open.delete(ctx);
    const { span, attributes } = open;
    if (ctx.serverAddress !== undefined) attributes['server.address'] = ctx.serverAddress;
    if (ctx.serverPort !== undefined) attributes['server.port'] = ctx.serverPort;
    const failed = ctx.outcome === 'error' || ctx.outcome === 'unknown';
    if (failed) {
      const code = ctx.errorCode !== undefined ? String(ctx.errorCode) : ctx.status !== undefined && ctx.status >= 400 ? String(ctx.status) : undefined;
      if (code !== undefined) attributes['db.response.status_code'] = code;
      attributes['error.type'] = code ?? ctx.errorKind ?? errorName(ctx.error);
    }
    this.#duration.record((performance.now() - open.started) / 1000, attributes);
    if (span === undefined) return;
    span.setAttributes(attributes);
    if (ctx.rowsReturned !== undefined) span.setAttribute('db.response.returned_rows', ctx.rowsReturned);
    if (ctx.rowsWritten !== undefined) span.setAttribute('cratedb.rows_written', ctx.rowsWritten);
    if (ctx.failedItems !== undefined && ctx.failedItems > 0) span.setAttribute('cratedb.bulk.failed_items', ctx.failedItems);
    if (ctx.attempt > 1) span.setAttribute('cratedb.attempts', ctx.attempt);
    if (failed) {
      if (ctx.errorKind !== undefined) span.setAttribute('cratedb.error.kind', ctx.errorKind);
      if (ctx.outcome === 'unknown') span.setAttribute('cratedb.outcome_unknown', true);
      // A fixed description: the error's message may quote CrateDB's, which may quote a value.
      const what = ctx.errorCode !== undefined ? `CrateDB error ${ctx.errorCode}` : 'CrateDB request failed';
      span.setStatus({ code: SpanStatusCode.ERROR, message: `${what}${ctx.errorKind === undefined ? '' : ` (${ctx.errorKind})`}` });
    }
    span.end();
  }

  #failover(event: CrateFailoverEvent): void {
    const span = event.context === undefined ? undefined : this.#open.get(event.context)?.span;
    if (span === undefined) return;
    const [address, port] = splitNode(event.node);
    const attributes: Attributes = { 'server.address': address, 'server.port': port };
    if (event.reason !== undefined) attributes['cratedb.failover.reason'] = event.reason;
    if (event.attempt !== undefined) attributes['cratedb.attempt'] = event.attempt;
    span.addEvent(`cratedb.${event.type}`, attributes);
  }
}

function splitNode(node: string): [string, number] {
  const colon = node.lastIndexOf(':');
  return [node.slice(0, colon), Number(node.slice(colon + 1))];
}

/** The error's class name, or `_OTHER` as the conventions ask when there is none. */
function errorName(error: unknown): string {
  return error instanceof Error && error.name !== '' ? error.name : '_OTHER';
}
