/**
 * drizzle-cratedb/otel on a real CrateDB: the spans of a select, an insert with RETURNING, a bulk insert in chunks, a
 * relational query, a cursor read, a blob put and a failed statement, with the attributes CrateDB's answers fill in
 * (rows, error codes, the node). The failover read is in cluster.test.ts, where three nodes run.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { drizzle } from 'drizzle-cratedb';
import type { CrateClient } from '../../src/driver/index.js';
import { blogTables } from '../fixtures/blog-tables.js';
import { crateUrl, describeCrate, testClient, uniqueName } from '../support/crate.js';
import { currentLine } from '../support/lines.js';
import { otelHarness, spanText } from '../support/otel.js';

const otel = otelHarness();
const SECRET_ARG = 'argument-value-kept-out-of-spans';

describeCrate('OpenTelemetry spans on a real CrateDB', () => {
  const prefix = `${uniqueName('otel')}_`;
  const tables = blogTables(prefix);
  const users = `${prefix}users`;
  const posts = `${prefix}posts`;
  const blobTable = uniqueName('otel_blobs');
  let client: CrateClient;
  const port = Number(new URL(crateUrl ?? 'http://x:4200').port || 4200);

  beforeAll(async () => {
    client = testClient();
    otel.instrumentation.disable();
    await client.sql(`CREATE TABLE "${users}" (id INTEGER PRIMARY KEY, name TEXT NOT NULL, invited_by INTEGER, karma BIGINT) WITH (number_of_replicas = '0')`);
    await client.sql(
      `CREATE TABLE "${posts}" (id INTEGER PRIMARY KEY, author_id INTEGER NOT NULL, title TEXT NOT NULL, published_at TIMESTAMP WITH TIME ZONE) WITH (number_of_replicas = '0')`,
    );
    await client.createBlobTable(blobTable, { replicas: 0 });
    otel.instrumentation.enable();
  });

  afterAll(async () => {
    otel.instrumentation.disable();
    await client.sql(`DROP TABLE IF EXISTS "${users}"`);
    await client.sql(`DROP TABLE IF EXISTS "${posts}"`);
    await client.dropBlobTable(blobTable, { ifExists: true });
    await client.close();
  });

  it('an insert with RETURNING, then a select: names, attributes, rows, the node', async () => {
    await client.sql(`INSERT INTO "${users}" (id, name) VALUES (?, ?) RETURNING id`, [1, SECRET_ARG]);
    await client.sql(`REFRESH TABLE "${users}"`);
    const { rows } = await client.sql(`SELECT id, name FROM "${users}" WHERE name = ?`, [SECRET_ARG]);
    expect(rows).toEqual([[1, SECRET_ARG]]);
    const [insert, refresh, select] = otel.dbSpans();
    expect(insert!.name).toBe(`INSERT ${users}`);
    expect(insert!.attributes).toMatchObject({ 'db.operation.name': 'INSERT', 'db.collection.name': users, 'db.response.returned_rows': 1, 'cratedb.rows_written': 1 });
    expect(refresh!.name).toBe(`REFRESH ${users}`);
    expect(select!.name).toBe(`SELECT ${users}`);
    expect(select!.kind).toBe(SpanKind.CLIENT);
    expect(select!.attributes).toMatchObject({
      'db.system.name': 'cratedb',
      'db.namespace': 'doc',
      'db.query.text': `SELECT id, name FROM "${users}" WHERE name = ?`,
      'db.response.returned_rows': 1,
      'server.port': port,
    });
    for (const span of otel.dbSpans()) expect(spanText(span)).not.toContain(SECRET_ARG);
  });

  it('a bulk insert in chunks: a BATCH span per chunk, rows written', async () => {
    const db = drizzle({ client });
    const rows = Array.from({ length: 7 }, (_, i) => ({ id: 100 + i, authorId: 1, title: `${SECRET_ARG} ${i}` }));
    const result = await db.bulkInsert(tables.posts, rows, { chunkSize: 3 });
    expect(result.rowCount).toBe(7);
    const spans = otel.dbSpans();
    expect(spans.map((span) => [span.name, span.attributes['db.operation.batch.size'], span.attributes['cratedb.rows_written']])).toEqual([
      [`BATCH INSERT ${posts}`, 3, 3],
      [`BATCH INSERT ${posts}`, 3, 3],
      [`INSERT ${posts}`, undefined, 1],
    ]);
    for (const span of spans) expect(spanText(span)).not.toContain(SECRET_ARG);
    await client.sql(`REFRESH TABLE "${posts}"`);
  });

  it('a relational query: one span per statement, each named by its table', async () => {
    const line = currentLine();
    const db =
      line === 'v1'
        ? drizzle({ client, relations: (await import(blogModule())).blogSchema(prefix).relations } as never)
        : drizzle({ client, schema: (await import(blogModule())).blogSchema(prefix) } as never);
    const found = await (db as unknown as { query: Record<string, { findMany(o: object): Promise<{ posts: unknown[] }[]> }> }).query.users!.findMany({
      with: { posts: true },
    });
    expect(found).toHaveLength(1);
    expect(found[0]!.posts).toHaveLength(7);
    const names = otel.dbSpans().map((span) => span.name);
    expect(names).toEqual([`SELECT ${users}`, `SELECT ${posts}`]);
    expect(otel.dbSpans()[1]!.attributes['db.response.returned_rows']).toBe(7);
  });

  it('a cursor read: one span for DECLARE, the FETCHes and CLOSE, rows over all batches', async () => {
    let read = 0;
    for await (const batch of client.cursor(`SELECT id FROM "${posts}" WHERE title <> ?`, ['-'], { batchSize: 2 })) read += batch.rows.length;
    expect(read).toBe(7);
    const [span, ...others] = otel.dbSpans();
    expect(others).toEqual([]);
    expect(span!.name).toBe(`SELECT ${posts}`);
    expect(span!.attributes).toMatchObject({ 'db.response.returned_rows': 7, 'server.port': port });
  });

  it('a blob put: "PUT <table>" on the node that took it', async () => {
    await client.blobs(blobTable).put(Buffer.from(SECRET_ARG));
    const [span] = otel.dbSpans();
    expect(span!.name).toBe(`PUT ${blobTable}`);
    expect(span!.attributes).toMatchObject({ 'db.collection.name': blobTable, 'server.port': port });
    expect(span!.status.code).toBe(SpanStatusCode.UNSET);
  });

  it("a failed statement: CrateDB's code as error.type and status code, no message", async () => {
    await expect(client.sql(`INSERT INTO "${users}" (id, name) VALUES (?, ?)`, [1, SECRET_ARG])).rejects.toThrow(/DuplicateKey/);
    await expect(client.sql('SELECT * FROM otel_no_such_table WHERE a = ?', [SECRET_ARG])).rejects.toThrow(/unknown/);
    const [duplicate, unknown] = otel.dbSpans();
    expect(duplicate!.attributes).toMatchObject({ 'error.type': '4091', 'db.response.status_code': '4091' });
    expect(duplicate!.status).toEqual({ code: SpanStatusCode.ERROR, message: 'CrateDB error 4091 (duplicate-key)' });
    expect(unknown!.attributes).toMatchObject({ 'error.type': '4041', 'db.collection.name': 'otel_no_such_table' });
    for (const span of otel.dbSpans()) expect(spanText(span)).not.toContain(SECRET_ARG);
  });

  it('records the duration histogram per operation', async () => {
    const points = await otel.durations();
    const inserts = points.filter((point) => point.attributes['db.operation.name'] === 'BATCH INSERT');
    expect(inserts.reduce((sum, point) => sum + point.value.count, 0)).toBeGreaterThanOrEqual(2);
    for (const point of points) expect(point.attributes['db.system.name']).toBe('cratedb');
  });
});

/**
 * The blog schema of the line this run is on; a specifier in a variable, so that each line's type check does not
 * follow it into the other line's file.
 */
function blogModule(): string {
  return currentLine() === 'v1' ? '../lines/drizzle-v1/blog.js' : '../lines/drizzle-045/blog.js';
}
