/**
 * OpenTelemetry's SDK in memory, for tests of drizzle-cratedb/otel: an in-memory span exporter, a metric reader
 * collected on demand, and AsyncLocalStorage as the context manager (as the Node SDK sets it up), with one
 * CrateDBInstrumentation wired to them.
 *
 *   const otel = otelHarness();      // at the top of a test file; resets spans before each test, disables after all
 *   await client.sql('SELECT 1');
 *   otel.spans()                     // finished spans, oldest first
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader, type HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeEach } from 'vitest';
import { CrateDBInstrumentation, type CrateDBInstrumentationConfig } from 'drizzle-cratedb/otel';

class OnDemandReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export function otelHarness(config: CrateDBInstrumentationConfig = {}) {
  const contextManager = new AsyncLocalStorageContextManager().enable();
  context.setGlobalContextManager(contextManager);
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const reader = new OnDemandReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const instrumentation = new CrateDBInstrumentation(config);
  instrumentation.setTracerProvider(tracerProvider);
  instrumentation.setMeterProvider(meterProvider);
  beforeEach(() => exporter.reset());
  afterAll(async () => {
    instrumentation.disable();
    await tracerProvider.shutdown();
    await meterProvider.shutdown();
    context.disable();
  });
  return {
    instrumentation,
    tracer: tracerProvider.getTracer('test'),
    /** Finished spans, oldest first. */
    spans: (): ReadableSpan[] => exporter.getFinishedSpans(),
    /** The spans of drizzle-cratedb only. */
    dbSpans: (): ReadableSpan[] => exporter.getFinishedSpans().filter((span) => span.instrumentationScope.name === 'drizzle-cratedb'),
    /** Data points of `db.client.operation.duration` collected so far (cumulative). */
    async durations(): Promise<HistogramMetricData['dataPoints']> {
      const { resourceMetrics } = await reader.collect();
      const metric = resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics).find((m) => m.descriptor.name === 'db.client.operation.duration');
      return (metric as HistogramMetricData | undefined)?.dataPoints ?? [];
    },
    trace,
  };
}

/** Everything a span carries, as one string: to search it for what must not be there. */
export function spanText(span: ReadableSpan): string {
  return JSON.stringify({ name: span.name, attributes: span.attributes, events: span.events, status: span.status, links: span.links });
}
