/**
 * drizzle-cratedb/otel against the in-process protocol server: the span, attributes, events and duration metric of a
 * select, an insert with RETURNING, a bulk insert in chunks, a relational query, a cursor read, a blob put, a failed
 * statement and a failover; context propagation; the query-text options; registerInstrumentations().
 */
import { readFileSync } from 'node:fs';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { describe, expect, it } from 'vitest';
import { crateTable, drizzle, integer, text } from 'drizzle-cratedb';
import { CrateDBInstrumentation, INSTRUMENTATION_VERSION } from 'drizzle-cratedb/otel';
import { cursorHandler } from '../support/cursor-server.js';
import { fleet } from '../support/fleet.js';
import { currentLine } from '../support/lines.js';
import { otelHarness, spanText } from '../support/otel.js';
import { blobHandler, refusedServerUrl, replies } from '../support/protocol-server.js';
import { serveTables } from '../support/table-server.js';
import { currentTransport } from '../support/transport.js';

const otel = otelHarness();
const { servers, clientFor, onCleanup } = fleet();
const SECRET_ARG = 'value-that-must-stay-out-of-spans';
const onUndici = currentTransport() === 'undici';

async function oneServer() {
  const [server] = await servers(1);
  return { server: server!, client: clientFor([server!.url]) };
}

describe('a span per operation', () => {
  it('a select: CLIENT span "SELECT users" with the stable database attributes, no parameter value', async () => {
    const { server, client } = await oneServer();
    server.enqueue(replies.rows(['id', 'name'], [9, 4], [[1, 'a']]));
    await client.sql('SELECT id, name FROM users WHERE name = ?', [SECRET_ARG]);
    const [span] = otel.dbSpans();
    expect(span).toBeDefined();
    expect(span!.name).toBe('SELECT users');
    expect(span!.kind).toBe(SpanKind.CLIENT);
    expect(span!.attributes).toMatchObject({
      'db.system.name': 'cratedb',
      'db.namespace': 'doc',
      'db.collection.name': 'users',
      'db.operation.name': 'SELECT',
      'db.query.text': 'SELECT id, name FROM users WHERE name = ?',
      'db.query.summary': 'SELECT users',
      'db.response.returned_rows': 1,
      'server.address': '127.0.0.1',
      'server.port': server.port,
    });
    expect(span!.attributes['error.type']).toBeUndefined();
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
    expect(spanText(span!)).not.toContain(SECRET_ARG);
  });

  it('an insert with RETURNING: rows returned and rows written', async () => {
    const { server, client } = await oneServer();
    server.enqueue(replies.rows(['id'], [9], [[7]], { rowcount: 1 }));
    await client.sql('INSERT INTO doc.users (id, name) VALUES (?, ?) RETURNING id', [7, SECRET_ARG]);
    const [span] = otel.dbSpans();
    expect(span!.name).toBe('INSERT doc.users');
    expect(span!.attributes).toMatchObject({
      'db.operation.name': 'INSERT',
      'db.collection.name': 'doc.users',
      'db.response.returned_rows': 1,
      'cratedb.rows_written': 1,
    });
    expect(spanText(span!)).not.toContain(SECRET_ARG);
  });

  it('a bulk insert in three chunks: one BATCH span per chunk with its batch size', async () => {
    const { server } = await oneServer();
    const people = crateTable('people', { id: integer().primaryKey(), name: text() });
    const db = drizzle({ connection: server.url });
    onCleanup(() => db.$client.close());
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: i, name: `${SECRET_ARG}-${i}` }));
    const result = await db.bulkInsert(people, rows, { chunkSize: 2 });
    expect(result.rowCount).toBe(5);
    const spans = otel.dbSpans();
    expect(spans.map((span) => span.name)).toEqual(['BATCH INSERT people', 'BATCH INSERT people', 'INSERT people']);
    expect(spans.map((span) => span.attributes['db.operation.batch.size'])).toEqual([2, 2, undefined]);
    expect(spans[0]!.attributes).toMatchObject({ 'db.operation.name': 'BATCH INSERT', 'db.query.summary': 'BATCH INSERT people', 'cratedb.rows_written': 2 });
    expect(spans[0]!.attributes['db.query.text']).toMatch(/^insert into "people"/i);
    for (const span of spans) expect(spanText(span)).not.toContain(SECRET_ARG);
  });

  it('a relational query: a span per statement, named by the tables it reads', async () => {
    const { server } = await oneServer();
    serveTables(server, {
      users: [{ id: 1, name: 'u', invited_by: null, karma: null }],
      posts: [{ id: 10, author_id: 1, title: 't', published_at: null }],
    });
    const db =
      currentLine() === 'v1'
        ? drizzle({ connection: server.url, relations: (await import(blogModule())).blogSchema().relations } as never)
        : drizzle({ connection: server.url, schema: (await import(blogModule())).blogSchema() } as never);
    onCleanup(() => (db as { $client: { close(): Promise<void> } }).$client.close());
    const users = await (db as unknown as { query: { users: { findMany(o: object): Promise<unknown[]> } } }).query.users.findMany({ with: { posts: true } });
    expect(users).toHaveLength(1);
    const spans = otel.dbSpans();
    expect(spans.map((span) => span.name)).toEqual(['SELECT users', 'SELECT posts']);
    expect(spans[1]!.attributes).toMatchObject({ 'db.collection.name': 'posts', 'db.response.returned_rows': 1 });
  });

  it.runIf(onUndici)('a cursor read: one span from DECLARE to CLOSE, rows over all batches', async () => {
    const { server, client } = await oneServer();
    const state = cursorHandler({ cols: ['n'], colTypes: [9], rows: Array.from({ length: 5 }, (_, i) => [i]) });
    server.handle(state.handler);
    let rows = 0;
    for await (const batch of client.cursor('SELECT n FROM numbers WHERE n > ?', [SECRET_ARG], { batchSize: 2 })) rows += batch.rows.length;
    expect(rows).toBe(5);
    const [span, ...others] = otel.dbSpans();
    expect(others).toEqual([]);
    expect(span!.name).toBe('SELECT numbers');
    expect(span!.attributes).toMatchObject({ 'db.query.text': 'SELECT n FROM numbers WHERE n > ?', 'db.response.returned_rows': 5 });
    expect(spanText(span!)).not.toContain(SECRET_ARG);
  });

  it.runIf(onUndici)('a cursor loop that breaks early still ends its span', async () => {
    const { server, client } = await oneServer();
    server.handle(cursorHandler({ cols: ['n'], colTypes: [9], rows: Array.from({ length: 6 }, (_, i) => [i]) }).handler);
    for await (const batch of client.cursor('SELECT n FROM numbers', [], { batchSize: 2 })) {
      expect(batch.rows).toHaveLength(2);
      break;
    }
    const [span] = otel.dbSpans();
    expect(span!.attributes['db.response.returned_rows']).toBe(2);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it.runIf(onUndici)('a blob put: "PUT media" with the blob table', async () => {
    const { server, client } = await oneServer();
    server.handle(blobHandler(new Map([['media', new Map()]])));
    await client.blobs('media').put(Buffer.from('contents'));
    const [span] = otel.dbSpans();
    expect(span!.name).toBe('PUT media');
    expect(span!.attributes).toMatchObject({ 'db.operation.name': 'PUT', 'db.collection.name': 'media', 'server.port': server.port });
    expect(span!.attributes['db.query.text']).toBeUndefined();
  });

  it('a failed statement: status ERROR, CrateDB code as error.type, no message in the span', async () => {
    const { server, client } = await oneServer();
    server.enqueue(replies.error(4091, `DuplicateKeyException[A document with the same primary key exists already: ${SECRET_ARG}]`, { status: 409 }));
    await expect(client.sql('INSERT INTO users (id) VALUES (?)', [SECRET_ARG])).rejects.toThrow(/DuplicateKey/);
    const [span] = otel.dbSpans();
    expect(span!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'CrateDB error 4091 (duplicate-key)' });
    expect(span!.attributes).toMatchObject({ 'error.type': '4091', 'db.response.status_code': '4091', 'cratedb.error.kind': 'duplicate-key' });
    expect(spanText(span!)).not.toContain(SECRET_ARG);
    expect(spanText(span!)).not.toContain('DuplicateKeyException');
  });

  it('a connection failure: error.type is the error kind', async () => {
    const client = clientFor([await refusedServerUrl()]);
    await expect(client.sql('SELECT 1')).rejects.toThrow();
    const [span] = otel.dbSpans();
    expect(span!.attributes['error.type']).toBe('connection');
    expect(span!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('a read that fails over: events for the node set aside and the resend, the last node on the span', async () => {
    const refused = await refusedServerUrl();
    const [good] = await servers(1);
    const client = clientFor([refused, good!.url]);
    await client.sql('SELECT name FROM sys.nodes');
    const [span] = otel.dbSpans();
    expect(span!.attributes).toMatchObject({ 'server.port': good!.port, 'cratedb.attempts': 2 });
    const events = span!.events.map((event) => ({ name: event.name, ...event.attributes }));
    expect(events).toEqual([
      expect.objectContaining({ name: 'cratedb.node-set-aside', 'server.port': Number(new URL(refused).port), 'cratedb.failover.reason': expect.stringMatching(/refused/) }),
      expect.objectContaining({ name: 'cratedb.resend', 'server.port': good!.port, 'cratedb.attempt': 2 }),
    ]);
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('a transient cluster error sent again: the resend says why by exception name only', async () => {
    const { server, client } = await oneServer();
    server.enqueue(replies.error(5000, `NodeNotConnectedException[[node-2] Node not connected ${SECRET_ARG}]`, { status: 500 }));
    await client.sql('SELECT 1');
    const [span] = otel.dbSpans();
    expect(span!.events.map((event) => [event.name, event.attributes?.['cratedb.failover.reason']])).toEqual([
      ['cratedb.resend', 'HTTP 500 5000: NodeNotConnectedException'],
    ]);
    expect(spanText(span!)).not.toContain(SECRET_ARG);
  });
});

describe('context and metrics', () => {
  it("the application's active span parents the query's span", async () => {
    const { client } = await oneServer();
    await otel.tracer.startActiveSpan('handle request', async (parent) => {
      await client.sql('SELECT 1');
      await Promise.all([client.sql('SELECT 2'), client.sql('SELECT 3')]);
      parent.end();
    });
    const app = otel.spans().find((span) => span.name === 'handle request')!;
    const db = otel.dbSpans();
    expect(db).toHaveLength(3);
    for (const span of db) {
      expect(span.spanContext().traceId).toBe(app.spanContext().traceId);
      expect(span.parentSpanContext?.spanId).toBe(app.spanContext().spanId);
    }
  });

  it('without a parent, a query starts its own trace', async () => {
    const { client } = await oneServer();
    await client.sql('SELECT 1');
    expect(otel.dbSpans()[0]!.parentSpanContext).toBeUndefined();
  });

  it('records db.client.operation.duration in seconds with the span attributes, without the query text', async () => {
    const { client, server } = await oneServer();
    await client.sql('SELECT * FROM metric_probe');
    const points = await otel.durations();
    const point = points.find((p) => p.attributes['db.collection.name'] === 'metric_probe');
    expect(point).toBeDefined();
    expect(point!.attributes).toMatchObject({ 'db.system.name': 'cratedb', 'db.operation.name': 'SELECT', 'server.port': server.port });
    expect(point!.attributes['db.query.text']).toBeUndefined();
    expect(point!.value.count).toBe(1);
  });
});

describe('configuration', () => {
  it("queryText 'summary' drops the text, 'off' the summary too; the span is then named by operation and table", async () => {
    const { client } = await oneServer();
    otel.instrumentation.setConfig({ queryText: 'summary' });
    await client.sql('SELECT * FROM t1 WHERE a = ?', [1]);
    otel.instrumentation.setConfig({ queryText: 'off' });
    await client.sql('SELECT * FROM t1 WHERE a = ?', [1]);
    otel.instrumentation.setConfig({});
    const [summary, off] = otel.dbSpans();
    expect(summary!.attributes['db.query.text']).toBeUndefined();
    expect(summary!.attributes['db.query.summary']).toBe('SELECT t1');
    expect(off!.attributes['db.query.text']).toBeUndefined();
    expect(off!.attributes['db.query.summary']).toBeUndefined();
    expect(off!.name).toBe('SELECT t1');
  });

  it('requireParentSpan: no span for a query outside any trace', async () => {
    const { client } = await oneServer();
    otel.instrumentation.setConfig({ requireParentSpan: true });
    try {
      await client.sql('SELECT 1');
      expect(otel.dbSpans()).toEqual([]);
    } finally {
      otel.instrumentation.setConfig({});
    }
  });

  it('disable() stops the spans, enable() brings them back', async () => {
    const { client } = await oneServer();
    otel.instrumentation.disable();
    await client.sql('SELECT 1');
    expect(otel.dbSpans()).toEqual([]);
    otel.instrumentation.enable();
    await client.sql('SELECT 1');
    expect(otel.dbSpans()).toHaveLength(1);
  });

  it('works with registerInstrumentations(), which disables it again', async () => {
    const { client } = await oneServer();
    otel.instrumentation.disable();
    const other = new CrateDBInstrumentation({ enabled: false });
    expect(other.getConfig().enabled).toBe(false);
    const { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } = await import('@opentelemetry/sdk-trace-base');
    const exporter = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const unregister = registerInstrumentations({ instrumentations: [other], tracerProvider });
    try {
      expect(other.getConfig().enabled).toBe(true);
      await client.sql('SELECT 1');
      expect(exporter.getFinishedSpans().map((span) => span.name)).toEqual(['SELECT']);
    } finally {
      unregister();
      otel.instrumentation.enable();
    }
    await client.sql('SELECT 1');
    expect(exporter.getFinishedSpans()).toHaveLength(1);
  });

  it('names itself after the package, at its version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(INSTRUMENTATION_VERSION).toBe(pkg.version);
    expect(otel.instrumentation.instrumentationName).toBe('drizzle-cratedb');
  });
});

/**
 * The blog schema of the line this run is on; a specifier in a variable, so that each line's type check does not
 * follow it into the other line's file.
 */
function blogModule(): string {
  return currentLine() === 'v1' ? '../lines/drizzle-v1/blog.js' : '../lines/drizzle-045/blog.js';
}
