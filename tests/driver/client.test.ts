import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ColTypeId, CrateClient, CrateDBError, UNREPORTED_BULK_ERROR } from '../../src/driver/index.js';
import { replies, startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';
import { currentTransport, onlyOn } from '../support/transport.js';

let server: ProtocolServer;
let client: CrateClient;

beforeEach(async () => {
  server = await startProtocolServer();
  client = new CrateClient({ servers: server.url });
});
afterEach(async () => {
  await client.close();
  await server.close();
});

describe('request shape', () => {
  it('POSTs {stmt, args} to /_sql?types as JSON', async () => {
    server.enqueue(replies.rows(['n'], [ColTypeId.INTEGER], [[1]]));
    await client.sql('SELECT $1::int AS n', [1]);
    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/_sql?types');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers.accept).toBe('application/json');
    expect(request!.json).toEqual({ stmt: 'SELECT $1::int AS n', args: [1] });
  });

  it('omits args when there are none', async () => {
    await client.sql('REFRESH TABLE t');
    expect(server.requests[0]!.json).toEqual({ stmt: 'REFRESH TABLE t' });
  });

  it('adds error_trace=true when configured and returns the trace on errors', async () => {
    const traced = new CrateClient({ servers: server.url, errorTrace: true });
    server.enqueue(replies.error(4000, 'SQLParseException[line 1:1: mismatched input]', { trace: 'java.lang.Exception\n\tat Foo' }));
    const error = await traced.sql('SELEC 1').catch((e: unknown) => e);
    expect(server.requests[0]!.url).toBe('/_sql?types&error_trace=true');
    expect(error).toBeInstanceOf(CrateDBError);
    expect((error as CrateDBError).errorTrace).toContain('at Foo');
    await traced.close();
  });

  it('sends bigint arguments as exact JSON numbers', async () => {
    await client.sql('INSERT INTO t (id) VALUES (?)', [2n ** 63n - 1n]);
    expect(server.requests[0]!.body).toBe('{"stmt":"INSERT INTO t (id) VALUES (?)","args":[9223372036854775807]}');
  });

  it('sends dates as ISO strings', async () => {
    await client.sql('INSERT INTO t (ts) VALUES (?)', [new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))]);
    expect(server.requests[0]!.json!.args).toEqual(['2024-01-02T03:04:05.006Z']);
  });

  it.skipIf(currentTransport() === 'fetch')(onlyOn('undici', 'sends Default-Schema only when a schema is configured', 'fetch refuses a schema'), async () => {
    await client.sql('SELECT 1');
    expect(server.requests[0]!.headers['default-schema']).toBeUndefined();
    const scoped = client.withSchema('analytics');
    await scoped.sql('SELECT 1');
    expect(server.requests[1]!.headers['default-schema']).toBe('analytics');
    expect(scoped.config.schema).toBe('analytics');
  });
});

describe('results', () => {
  it('returns cols, colTypes, rows, rowCount and duration', async () => {
    server.enqueue(replies.rows(['name', 'position'], [4, 9], [['North West Ripple', 1], ['Outer Eastern Rim', 2]], { duration: 1.23 }));
    const result = await client.sql('SELECT name, position FROM locations');
    expect(result).toEqual({
      cols: ['name', 'position'],
      colTypes: [4, 9],
      rows: [['North West Ripple', 1], ['Outer Eastern Rim', 2]],
      rowCount: 2,
      duration: 1.23,
    });
  });

  it('decodes timestamps and dates into Date, keeps geo points and objects as JSON gives them', async () => {
    const ms = Date.UTC(1979, 9, 12);
    server.enqueue(replies.rows(['tz', 'ts', 'd', 'p', 'o', 'n'], [11, 15, 24, 13, 12, 11], [[ms, ms, ms, [9.74, 47.41], { a: { b: 1 } }, null]]));
    const { rows } = await client.sql('SELECT ...');
    expect(rows[0]).toEqual([new Date(ms), new Date(ms), new Date(ms), [9.74, 47.41], { a: { b: 1 } }, null]);
  });

  it('decodes nested arrays of timestamps', async () => {
    server.enqueue(replies.rows(['a'], [[100, [100, 11]]], [[[[0, 1000], null, [2000]]]]));
    const { rows } = await client.sql('SELECT a FROM t');
    expect(rows[0]![0]).toEqual([[new Date(0), new Date(1000)], null, [new Date(2000)]]);
  });

  it('decodes multi-byte UTF-8 split across response chunks', async () => {
    const text = 'äöü€😀'.repeat(40_000);
    server.enqueue(replies.rows(['t'], [4], [[text], [text]]));
    const { rows } = await client.sql('SELECT t FROM texts');
    expect(rows).toEqual([[text], [text]]);
  });

  it('returns BIGINT beyond 2^53 exactly, as bigint', async () => {
    server.enqueue({ text: '{"cols":["id","d"],"col_types":[10,6],"rows":[[9223372036854775807,0.30000000000000004],[1,2.5]],"rowcount":2,"duration":1}' });
    const { rows } = await client.sql('SELECT id, d FROM t');
    expect(rows).toEqual([[9223372036854775807n, 0.30000000000000004], [1, 2.5]]);
  });

  it("returns BIGINT beyond 2^53 as a decimal string with bigint: 'string'", async () => {
    const stringly = new CrateClient({ servers: server.url, bigint: 'string' });
    server.enqueue({ text: '{"cols":["id"],"col_types":[10],"rows":[[-9223372036854775808]],"rowcount":1,"duration":1}' });
    const { rows } = await stringly.sql('SELECT id FROM t');
    expect(rows).toEqual([['-9223372036854775808']]);
    await stringly.close();
  });
});

describe('bulk', () => {
  it('sends bulk_args and reports per-item row counts and errors', async () => {
    server.enqueue(
      replies.bulk([
        { rowcount: 1 },
        { rowcount: -2, error: { code: 4091, message: 'DuplicateKeyException[A document with the same primary key exists already]' } },
        { rowcount: -2 },
      ]),
    );
    const result = await client.bulk('INSERT INTO t (id) VALUES (?)', [[1], [1], [2]]);
    expect(server.requests[0]!.json).toEqual({ stmt: 'INSERT INTO t (id) VALUES (?)', bulk_args: [[1], [1], [2]] });
    expect(result.results).toEqual([
      { rowCount: 1 },
      { rowCount: -2, error: { code: 4091, message: 'DuplicateKeyException[A document with the same primary key exists already]' } },
      { rowCount: -2, error: UNREPORTED_BULK_ERROR },
    ]);
    expect(result.duration).toBe(0.7);
  });

  it('does not send an empty bulk', async () => {
    expect(await client.bulk('INSERT INTO t (id) VALUES (?)', [])).toEqual({ results: [], duration: 0 });
    expect(server.requests).toHaveLength(0);
  });
});

describe('serverInfo', () => {
  it('GETs / as JSON and reports node, cluster and version', async () => {
    const info = await client.serverInfo();
    expect(server.requests[0]!.method).toBe('GET');
    expect(server.requests[0]!.path).toBe('/');
    expect(server.requests[0]!.headers.accept).toBe('application/json');
    expect(info).toMatchObject({ server: server.url, nodeName: 'node-1', clusterName: 'crate', version: '6.4.3' });
  });
});

describe('close', () => {
  it('refuses requests after close', async () => {
    await client.close();
    await expect(client.sql('SELECT 1')).rejects.toThrow(/closed/);
  });
});
