/**
 * The driver's diagnostics channels (src/driver/diagnostics.ts), as a subscriber sees them: the five events of each
 * operation with one context object, the context's fields, the failover channel, the statement summary, and no
 * secret in anything published, for every credentialed URL shape the driver refuses to echo.
 */
import diagnostics from 'node:diagnostics_channel';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CrateClient } from '../../src/driver/index.js';
import { CHANNEL_NAMES, isTraced, type CrateFailoverEvent, type CrateTraceContext } from '../../src/driver/diagnostics.js';
import { summarizeStatement } from '../../src/driver/statement-summary.js';
import { cursorHandler } from '../support/cursor-server.js';
import { fleet } from '../support/fleet.js';
import { blobHandler, refusedServerUrl, replies } from '../support/protocol-server.js';
import { currentTransport } from '../support/transport.js';

const { servers, clientFor, onCleanup } = fleet();
const onUndici = currentTransport() === 'undici';
const KINDS = ['query', 'bulk', 'cursor', 'blob', 'copy'] as const;

type Recorded = { channel: string; event: string; message: unknown; snapshot: string };

/** Subscribes to every channel; `published` gets every message with a JSON and an inspect() snapshot. */
function listen(): { published: Recorded[]; contexts: () => CrateTraceContext[]; failovers: () => CrateFailoverEvent[] } {
  const published: Recorded[] = [];
  const record = (channel: string, event: string) => (message: unknown) => {
    published.push({ channel, event, message, snapshot: `${JSON.stringify(message, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}\n${inspect(message, { depth: Infinity, showHidden: true })}` });
  };
  const subscriptions = KINDS.map((kind) => {
    const name = CHANNEL_NAMES[kind];
    const handlers = {
      start: record(name, 'start'),
      end: record(name, 'end'),
      asyncStart: record(name, 'asyncStart'),
      asyncEnd: record(name, 'asyncEnd'),
      error: record(name, 'error'),
    };
    diagnostics.tracingChannel(name).subscribe(handlers);
    return () => diagnostics.tracingChannel(name).unsubscribe(handlers);
  });
  const onFailover = record(CHANNEL_NAMES.failover, 'publish');
  diagnostics.subscribe(CHANNEL_NAMES.failover, onFailover);
  subscriptions.push(() => diagnostics.unsubscribe(CHANNEL_NAMES.failover, onFailover));
  onCleanup(async () => subscriptions.forEach((unsubscribe) => unsubscribe()));
  const contexts = () => [...new Set(published.filter((p) => p.channel !== CHANNEL_NAMES.failover).map((p) => p.message as CrateTraceContext))];
  const failovers = () => published.filter((p) => p.channel === CHANNEL_NAMES.failover).map((p) => p.message as CrateFailoverEvent);
  return { published, contexts, failovers };
}

describe('tracing channels', () => {
  it('nothing is traced without a subscriber', () => {
    for (const kind of KINDS) expect(isTraced(kind)).toBe(false);
  });

  it('a query: start, end, asyncStart, asyncEnd with one context, filled in by the end', async () => {
    const { published, contexts } = listen();
    const [server] = await servers(1);
    server!.enqueue(replies.rows(['id'], [9], [[1], [2]]));
    await clientFor([server!.url]).sql('SELECT id FROM doc.users WHERE id > ?', [0]);
    expect(published.map((p) => `${p.channel} ${p.event}`)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd'].map((e) => `drizzle-cratedb:query ${e}`));
    const [ctx, ...others] = contexts();
    expect(others).toEqual([]);
    expect(ctx).toMatchObject({
      kind: 'query',
      statement: 'SELECT id FROM doc.users WHERE id > ?',
      operationName: 'SELECT',
      table: 'doc.users',
      summary: 'SELECT doc.users',
      node: `127.0.0.1:${server!.port}`,
      serverAddress: '127.0.0.1',
      serverPort: server!.port,
      attempt: 1,
      outcome: 'success',
      status: 200,
      rowsReturned: 2,
    });
    expect(ctx!.bytesSent).toBe(Buffer.byteLength(server!.requests[0]!.body));
    expect(ctx!.bytesReceived).toBeGreaterThan(20);
    expect(ctx).not.toHaveProperty('result');
  });

  it('a COPY goes to the copy channel, rows written counted', async () => {
    const { contexts } = listen();
    const [server] = await servers(1);
    server!.enqueue(replies.rowCount(42));
    await clientFor([server!.url]).sql("COPY doc.events FROM ? WITH (format = 'json')", ['file:///tmp/x.json']);
    expect(contexts().map((ctx) => [ctx.kind, ctx.operationName, ctx.table, ctx.rowsWritten])).toEqual([['copy', 'COPY', 'doc.events', 42]]);
  });

  it('a bulk write: batch size, rows written and failed items', async () => {
    const { contexts } = listen();
    const [server] = await servers(1);
    server!.enqueue(replies.bulk([{ rowcount: 1 }, { rowcount: -2, error: { code: 4091, message: 'dup' } }, { rowcount: 1 }]));
    await clientFor([server!.url]).bulk('INSERT INTO t (a) VALUES (?)', [[1], [2], [3]]);
    expect(contexts()).toEqual([expect.objectContaining({ kind: 'bulk', batchSize: 3, rowsWritten: 2, failedItems: 1, outcome: 'success' })]);
  });

  it('a failed statement: the error event, CrateDB code, status and kind', async () => {
    const { published, contexts } = listen();
    const [server] = await servers(1);
    server!.enqueue(replies.error(4041, "RelationUnknown[Relation 'nope' unknown]", { status: 404 }));
    const error = await clientFor([server!.url]).sql('SELECT * FROM nope').catch((e: unknown) => e);
    expect(published.map((p) => p.event)).toEqual(['start', 'end', 'error', 'asyncStart', 'asyncEnd']);
    expect(contexts()[0]).toMatchObject({ outcome: 'error', errorCode: 4041, status: 404, errorKind: 'unknown-table', error });
  });

  it('a write whose outcome is unknown says so', async () => {
    const { contexts } = listen();
    const [server] = await servers(1);
    server!.enqueue(replies.reset('before-response'));
    await expect(clientFor([server!.url]).sql('INSERT INTO t (a) VALUES (1)')).rejects.toThrow();
    expect(contexts()[0]).toMatchObject({ outcome: 'unknown', errorKind: 'connection' });
  });

  it.runIf(onUndici)('a cursor: one operation over DECLARE, every FETCH and CLOSE', async () => {
    const { published, contexts } = listen();
    const [server] = await servers(1);
    server!.handle(cursorHandler({ cols: ['n'], colTypes: [9], rows: [[1], [2], [3]] }).handler);
    for await (const _batch of clientFor([server!.url]).cursor('SELECT n FROM t', [], { batchSize: 2 })) {
      // read to the end
    }
    expect(published.map((p) => p.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    const ctx = contexts()[0]!;
    expect(ctx).toMatchObject({ kind: 'cursor', statement: 'SELECT n FROM t', rowsReturned: 3, outcome: 'success', attempt: 1 });
    // DECLARE, two FETCHes and CLOSE.
    const bodies = server!.requests.reduce((sum, request) => sum + request.rawBody.length, 0);
    expect(ctx.bytesSent).toBe(bodies);
  });

  it.runIf(onUndici)('blob requests: method, table, bytes sent', async () => {
    const { contexts } = listen();
    const [server] = await servers(1);
    server!.handle(blobHandler(new Map([['media', new Map()]])));
    const blobs = clientFor([server!.url]).blobs('media');
    const { digest } = await blobs.put(Buffer.from('twelve bytes'));
    expect(await blobs.exists(digest)).toBe(true);
    expect(await blobs.delete(digest)).toBe(true);
    expect(contexts().map((ctx) => [ctx.kind, ctx.operationName, ctx.table, ctx.bytesSent, ctx.status])).toEqual([
      ['blob', 'PUT', 'media', 12, 201],
      ['blob', 'HEAD', 'media', 0, 200],
      ['blob', 'DELETE', 'media', 0, 204],
    ]);
  });
});

describe('the failover channel', () => {
  it('a node set aside, the resend, and the node back once it answers again', async () => {
    const { failovers, contexts } = listen();
    const [flaky, good] = await servers(2);
    const client = clientFor([flaky!.url, good!.url], { retryInterval: 0 } as never);
    flaky!.enqueue(replies.unavailable(503));
    await client.sql('SELECT 1');
    const ctx = contexts()[0]!;
    expect(ctx.attempt).toBe(2);
    expect(failovers()).toEqual([
      { type: 'node-set-aside', node: `127.0.0.1:${flaky!.port}`, reason: expect.stringMatching(/^HTTP 503 5030/), attempt: undefined, context: ctx },
      { type: 'resend', node: `127.0.0.1:${good!.port}`, reason: expect.stringMatching(/^HTTP 503/), attempt: 2, context: ctx },
    ]);
    // retryInterval 0: the flaky node is back in rotation at once, and answers.
    await client.sql('SELECT 2');
    await client.sql('SELECT 3');
    expect(failovers().slice(2).map((event) => [event.type, event.node])).toEqual([['node-back', `127.0.0.1:${flaky!.port}`]]);
  });

  it('publishes without a traced operation too (context undefined)', async () => {
    const published: CrateFailoverEvent[] = [];
    const onEvent = (message: unknown) => void published.push(message as CrateFailoverEvent);
    diagnostics.subscribe(CHANNEL_NAMES.failover, onEvent);
    onCleanup(async () => void diagnostics.unsubscribe(CHANNEL_NAMES.failover, onEvent));
    const [good] = await servers(1);
    await clientFor([await refusedServerUrl(), good!.url]).sql('SELECT 1');
    expect(published.map((event) => [event.type, event.context])).toEqual([
      ['node-set-aside', undefined],
      ['resend', undefined],
    ]);
  });
});

describe('nothing secret is published', () => {
  const password = 'Pa55-w0rd-never-publish';
  const token = 'eyJ0eXAi.never-publish-token.sig';
  const argument = 'argument-value-never-published';
  const secretsOf = (secret: string) => [secret, encodeURIComponent(secret), ...['crate', 'john'].map((user) => Buffer.from(`${user}:${secret}`).toString('base64'))];

  const url = (port: number, userinfo = '') => `http://${userinfo}127.0.0.1:${port}`;
  const inUrl = `john:${encodeURIComponent(password)}@`;
  // Each shape for a list of nodes (the first one answering); URL strings name one node, so their failover run
  // carries the same credentials in a list of URLs.
  const shapes: [string, (ports: number[]) => ConstructorParameters<typeof CrateClient>[0]][] = [
    ['options: user and password', (ports) => ({ servers: ports.map((port) => url(port)), username: 'john', password })],
    ['options: token', (ports) => ({ servers: ports.map((port) => url(port)), token })],
    ['http:// URL with user:password', (ports) => (ports.length === 1 ? url(ports[0]!, inUrl) : { servers: ports.map((port) => url(port, inUrl)) })],
    ['crate:// URL with user:password', (ports) => (ports.length === 1 ? `crate://${inUrl}127.0.0.1:${ports[0]}` : { servers: ports.map((port) => url(port, inUrl)) })],
    ['crate:// URL with a password only', (ports) => (ports.length === 1 ? `crate://:${encodeURIComponent(password)}@127.0.0.1:${ports[0]}` : { servers: ports.map((port) => url(port, `:${encodeURIComponent(password)}@`)) })],
    ['servers: [URLs with user:password]', (ports) => ({ servers: ports.map((port) => url(port, inUrl)) })],
  ];

  it.each(shapes)('%s: every operation, failure and failover', async (_shape, config) => {
    const { published } = listen();
    const [server, second] = await servers(2);
    const store = new Map([['media', new Map<string, Buffer>()]]);
    const cursors = cursorHandler({ cols: ['n'], colTypes: [9], rows: [[1], [2], [3]] }, blobHandler(store));
    server!.handle(cursors.handler);
    second!.handle(cursors.handler);
    const client = new CrateClient(config([server!.port]));
    onCleanup(() => client.close());
    await client.sql('SELECT * FROM t WHERE a = ?', [argument]);
    await client.bulk('INSERT INTO t (a) VALUES (?)', [[argument], [argument]]);
    server!.enqueue(replies.error(4000, 'SQLParseException[line 1:8: mismatched input]'));
    await client.sql('SELECT ?', [argument]).catch(() => undefined);
    server!.enqueue(replies.unauthorized('password authentication failed for user "john"'));
    await client.sql('SELECT ?', [argument]).catch(() => undefined);
    if (onUndici) {
      for await (const _batch of client.cursor('SELECT n FROM t WHERE a = ?', [argument], { batchSize: 2 })) {
        // read to the end
      }
      await client.blobs('media').put(Buffer.from(argument));
    }
    const refused = Number(new URL(await refusedServerUrl()).port);
    const failing = new CrateClient(config([refused, second!.port]));
    onCleanup(() => failing.close());
    await failing.sql('SELECT * FROM t WHERE a = ?', [argument]);
    // The credentials did go out, so the search below looks where they could have been.
    expect(second!.requests.at(-1)!.headers.authorization).toBeDefined();

    expect(published.filter((p) => p.channel === CHANNEL_NAMES.failover).length).toBe(2);
    expect(published.filter((p) => p.event === 'error').length).toBe(2);
    expect(published.length).toBeGreaterThan(20);
    for (const { snapshot } of published) {
      for (const secret of [...secretsOf(password), ...secretsOf(token), argument]) expect(snapshot).not.toContain(secret);
    }
  });
});

describe('statement summaries', () => {
  it.each([
    ['SELECT * FROM users WHERE id = ?', 'SELECT', 'users', 'SELECT users'],
    ['select "id", (select array_agg(x) from (select * from "posts" where "posts"."a" = "users"."id") as t) from "users"', 'SELECT', undefined, 'SELECT posts users'],
    ['INSERT INTO doc.orders (a, b) VALUES (?, ?) ON CONFLICT (a) DO UPDATE SET b = excluded.b RETURNING a', 'INSERT', 'doc.orders', 'INSERT doc.orders'],
    ['UPDATE "t" SET x = ? WHERE y IN (SELECT y FROM z)', 'UPDATE', undefined, 'UPDATE t SELECT z'],
    ['DELETE FROM t WHERE extract(year from ts) = ?', 'DELETE', 't', 'DELETE t'],
    ["COPY t FROM 'file:///x' WITH (format = 'json')", 'COPY', 't', 'COPY t'],
    ['CREATE TABLE IF NOT EXISTS "doc"."u" (id INT)', 'CREATE', 'doc.u', 'CREATE doc.u'],
    ['SELECT count(*) FROM unnest(?) AS u', 'SELECT', undefined, 'SELECT'],
    ['  -- a comment\n insert into x select * from y', 'INSERT', undefined, 'INSERT x SELECT y'],
    ["SELECT 'secret literal' FROM t", 'SELECT', 't', 'SELECT t'],
  ])('%s', (statement, operation, table, summary) => {
    expect(summarizeStatement(statement)).toEqual({ operation, table, summary });
  });

  it('stops at 255 characters without cutting a name', () => {
    const statement = Array.from({ length: 40 }, (_, i) => `SELECT * FROM table_number_${i}`).join(' UNION ALL ');
    const { summary } = summarizeStatement(statement);
    expect(summary.length).toBeLessThanOrEqual(255);
    expect(summary.length).toBeGreaterThan(230);
    for (const word of summary.split(' ')) expect(word).toMatch(/^(SELECT|table_number_\d+)$/);
  });
});
