import { afterEach, describe, expect, it } from 'vitest';
import { CrateConnectionError, CrateCursorError, CrateDBError, CrateClient, ColTypeId, type CursorBatch } from '../../src/driver/index.js';
import { checkCursorStatement } from '../../src/driver/cursor.js';
import { CrateArgumentError, CrateConfigError } from '../../src/shared/errors.js';
import { cursorHandler, type CursorServerState } from '../support/cursor-server.js';
import { expectCrateSql } from '../support/grammar.js';
import { refusedServerUrl, replies, startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const TABLE = {
  cols: ['id', 'at', 'name'],
  colTypes: [ColTypeId.BIGINT, ColTypeId.TIMESTAMP_TZ, ColTypeId.TEXT],
  rows: Array.from({ length: 25 }, (_, i) => [i, 1_700_000_000_000 + i, `row ${i}`]),
};

async function setup(options: { rows?: unknown[][]; timeout?: number } = {}): Promise<{ crate: ProtocolServer; state: CursorServerState; client: CrateClient }> {
  const table = { ...TABLE, rows: options.rows ?? TABLE.rows };
  const crate = await startProtocolServer();
  cleanups.push(() => crate.close());
  const state = cursorHandler(table, () => replies.rows(table.cols, table.colTypes, table.rows));
  crate.handle(state.handler);
  const client = new CrateClient({ servers: crate.url, ...(options.timeout !== undefined && { timeout: options.timeout }) });
  cleanups.push(() => client.close());
  return { crate, state, client };
}

const sqlRequests = (crate: ProtocolServer) => crate.requests.filter((request) => request.path === '/_sql');
const openCursors = (state: CursorServerState) => [...state.open.values()].reduce((sum, cursors) => sum + cursors.size, 0);

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('checkCursorStatement', () => {
  // CrateDB's DECLARE takes a query starting with SELECT or VALUES; the first word is found past whitespace and comments.
  it.each([
    'select 1',
    '\n\t SELECT 1',
    '-- why\nSELECT 1',
    '/* a */ /* b */ -- c\n values (1)',
    'VALUES(1)',
    // `$` is not part of a word in CrateDB: SELECT followed by a parameter.
    'SELECT$1',
  ])('accepts %j', (stmt) => expect(() => checkCursorStatement(stmt)).not.toThrow());

  it.each([
    ['(SELECT 1)', /and \( is not one/],
    ["'SELECT'", /and ' is not one/],
    ['"select" FROM t', /and " is not one/],
    ['1', /and 1 is not one/],
    ['::', /and : is not one/],
    ['selectx 1', /and SELECTX is not one/],
    // CrateDB reads `select1` as one identifier, so DECLARE would fail on it.
    ['select1', /and SELECT1 is not one/],
    ['explain select 1', /and EXPLAIN is not one/],
    ['with x as (select 1) select * from x', /not WITH/],
    ['-- SELECT 1', /the statement is empty/],
    ['/* SELECT 1 */', /the statement is empty/],
    ['/* unterminated SELECT 1', /the statement is empty/],
    ['', /the statement is empty/],
  ])('refuses %j', (stmt, why) => {
    expect(() => checkCursorStatement(stmt)).toThrow(CrateArgumentError);
    expect(() => checkCursorStatement(stmt)).toThrow(why);
  });
});

describe('client.cursor()', () => {
  it('declares, fetches batch by batch and closes, all on one connection, rows decoded as sql() decodes them', async () => {
    const { crate, state, client } = await setup();
    const batches: CursorBatch[] = [];
    for await (const batch of client.cursor('SELECT id, at, name FROM t WHERE id >= ?', [0], { batchSize: 10 })) {
      batches.push(batch);
      // Requests of the pool in between never touch the cursor's connection.
      await client.sql('SELECT 1');
    }
    expect(batches.map((batch) => batch.rows.length)).toEqual([10, 10, 5]);
    expect(batches[0]!.cols).toEqual(TABLE.cols);
    expect(batches[0]!.colTypes).toEqual(TABLE.colTypes);
    const whole = await client.sql('SELECT id, at, name FROM t');
    expect(batches.flatMap((batch) => batch.rows)).toEqual(whole.rows);
    expect(whole.rows[0]![1]).toBeInstanceOf(Date);

    const cursorRequests = sqlRequests(crate).filter((request) => !request.stmt!.startsWith('SELECT'));
    const statements = cursorRequests.map((request) => request.stmt!);
    expect(statements[0]).toMatch(/^DECLARE "drizzle_cratedb_cursor_[0-9a-f]{16}" NO SCROLL CURSOR WITH HOLD FOR SELECT id, at, name FROM t WHERE id >= \?$/);
    const name = /^DECLARE ("[^"]+")/.exec(statements[0]!)![1];
    expect(statements.slice(1)).toEqual([`FETCH 10 FROM ${name}`, `FETCH 10 FROM ${name}`, `FETCH 10 FROM ${name}`, `CLOSE ${name}`]);
    expect(cursorRequests[0]!.json!.args).toEqual([0]);
    for (const statement of statements) expectCrateSql(statement);
    const connection = cursorRequests[0]!.connectionId;
    expect(cursorRequests.every((request) => request.connectionId === connection)).toBe(true);
    expect(sqlRequests(crate).filter((request) => request.stmt === 'SELECT 1').every((request) => request.connectionId !== connection)).toBe(true);
    expect(openCursors(state)).toBe(0);
  });

  it('ends without an empty batch when the result is a multiple of the batch size', async () => {
    const { crate, state, client } = await setup({ rows: TABLE.rows.slice(0, 20) });
    const sizes: number[] = [];
    for await (const batch of client.cursor('SELECT * FROM t', [], { batchSize: 10 })) sizes.push(batch.rows.length);
    expect(sizes).toEqual([10, 10]);
    expect(crate.statements().filter((stmt) => stmt.startsWith('CLOSE'))).toHaveLength(1);
    expect(openCursors(state)).toBe(0);
  });

  it('gives every cursor its own name and its own connection', async () => {
    const { crate, client } = await setup();
    const first = client.cursor('SELECT 1', [], { batchSize: 5 })[Symbol.asyncIterator]();
    const second = client.cursor('SELECT 1', [], { batchSize: 5 })[Symbol.asyncIterator]();
    await first.next();
    await second.next();
    await first.return!();
    await second.return!();
    const declares = sqlRequests(crate).filter((request) => request.stmt!.startsWith('DECLARE'));
    expect(declares).toHaveLength(2);
    expect(declares[0]!.stmt).not.toBe(declares[1]!.stmt);
    expect(declares[0]!.connectionId).not.toBe(declares[1]!.connectionId);
  });

  it('closes the cursor when the loop breaks', async () => {
    const { crate, state, client } = await setup();
    for await (const batch of client.cursor('SELECT * FROM t', [], { batchSize: 10 })) {
      expect(batch.rows).toHaveLength(10);
      break;
    }
    expect(crate.statements().filter((stmt) => stmt.startsWith('FETCH'))).toHaveLength(1);
    expect(crate.statements().at(-1)).toMatch(/^CLOSE "drizzle_cratedb_cursor_/);
    expect(openCursors(state)).toBe(0);
  });

  it('closes the cursor when the loop body throws, and the error comes through', async () => {
    const { crate, state, client } = await setup();
    const failure = new Error('caller failed');
    await expect(async () => {
      for await (const _batch of client.cursor('SELECT * FROM t', [], { batchSize: 10 })) throw failure;
    }).rejects.toBe(failure);
    expect(crate.statements().at(-1)).toMatch(/^CLOSE /);
    expect(openCursors(state)).toBe(0);
  });

  it('closes the cursor at once when the signal aborts between batches, and ends with the abort reason', async () => {
    const { crate, state, client } = await setup();
    const controller = new AbortController();
    const reason = new Error('stop reading');
    const iterator = client.cursor('SELECT * FROM t', [], { batchSize: 10, signal: controller.signal })[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    controller.abort(reason);
    // The CLOSE goes out while the caller still holds the batch, before it asks for the next one.
    await until(() => openCursors(state) === 0);
    expect(crate.statements().at(-1)).toMatch(/^CLOSE /);
    await expect(iterator.next()).rejects.toBe(reason);
    expect(crate.statements().filter((stmt) => stmt.startsWith('FETCH'))).toHaveLength(1);
  });

  it('stops a FETCH in flight when the signal aborts, dropping the connection (and the cursor with it)', async () => {
    const { crate, client } = await setup();
    const controller = new AbortController();
    const reason = new Error('stop now');
    crate.handle((request) => (request.stmt?.startsWith('FETCH') ? replies.hang() : replies.rowCount(0)));
    const iterator = client.cursor('SELECT * FROM t', [], { signal: controller.signal })[Symbol.asyncIterator]();
    const pending = iterator.next();
    await until(() => crate.statements().some((stmt) => stmt.startsWith('FETCH')));
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    // No CLOSE on a fresh connection: the session that held the cursor is gone.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(crate.statements().filter((stmt) => stmt.startsWith('CLOSE'))).toHaveLength(0);
    expect(new Set(crate.requests.map((request) => request.connectionId)).size).toBe(1);
  });

  it('refuses to start when the signal is already aborted, sending nothing', async () => {
    const { crate, client } = await setup();
    const reason = new Error('already');
    await expect(client.cursor('SELECT 1', [], { signal: AbortSignal.abort(reason) })[Symbol.asyncIterator]().next()).rejects.toBe(reason);
    expect(sqlRequests(crate)).toHaveLength(0);
  });

  it('raises CrateCursorError with the rows delivered when the connection is lost mid-stream', async () => {
    const { state, client } = await setup();
    state.onFetch = (index) => (index === 2 ? replies.reset('mid-response') : undefined);
    const seen: number[] = [];
    const error = await (async () => {
      for await (const batch of client.cursor('SELECT * FROM t', [], { batchSize: 10 })) seen.push(batch.rows.length);
    })().catch((caught: unknown) => caught);
    expect(seen).toEqual([10, 10]);
    expect(error).toBeInstanceOf(CrateCursorError);
    expect(error).toBeInstanceOf(CrateConnectionError);
    const lost = error as CrateCursorError;
    expect(lost.rowsDelivered).toBe(20);
    expect(lost.code).toBe('CRATE_ERR_CONNECTION');
    expect(lost.kind).toBe('connection');
    expect(lost.message).toMatch(/cut short after 20 rows were delivered/);
    expect(lost.statement).toBe('SELECT * FROM t');
  });

  it('treats a FETCH answered on another connection ("No cursor named") as a lost cursor, never as the end', async () => {
    const { state, client } = await setup();
    // As if the socket had been replaced: the session holding the cursor is gone.
    state.onFetch = (index) => (index === 1 ? replies.error(4000, 'SQLParseException[No cursor named `x` available]') : undefined);
    const error = await (async () => {
      for await (const _batch of client.cursor('SELECT * FROM t', [], { batchSize: 10 })) {
        // reading on
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrateCursorError);
    expect((error as CrateCursorError).rowsDelivered).toBe(10);
  });

  it("times a FETCH out after the client's timeout, saying how many rows were delivered", async () => {
    const { state, client } = await setup({ timeout: 300 });
    state.onFetch = (index) => (index === 1 ? replies.hang() : undefined);
    const error = await (async () => {
      for await (const _batch of client.cursor('SELECT * FROM t', [], { batchSize: 10 })) {
        // reading on
      }
    })().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrateCursorError);
    expect((error as CrateCursorError).kind).toBe('timeout');
    expect((error as CrateCursorError).rowsDelivered).toBe(10);
    expect((error as CrateCursorError).message).toMatch(/timeout of 300 ms/);
  });

  it('gives up on a FETCH when the server stops answering probes (hang detection), with the rows delivered', async () => {
    const { crate } = await setup();
    const client = new CrateClient({ servers: crate.url, timeout: 30_000, probeAfter: 100, probeTimeout: 150 });
    cleanups.push(() => client.close());
    const iterator = client.cursor('SELECT * FROM t', [], { batchSize: 10 })[Symbol.asyncIterator]();
    expect((await iterator.next()).value.rows).toHaveLength(10);
    crate.pause();
    const error = await iterator.next().catch((caught: unknown) => caught);
    crate.resume();
    expect(error).toBeInstanceOf(CrateCursorError);
    expect((error as CrateCursorError).rowsDelivered).toBe(10);
    expect((error as CrateCursorError).message).toMatch(/stopped answering/);
  });

  it('passes a server error on DECLARE through as CrateDBError', async () => {
    const { crate, client } = await setup();
    crate.handle(() => replies.error(4041, "RelationUnknown[Relation 'nope' unknown]"));
    const error = await client.cursor('SELECT * FROM nope')[Symbol.asyncIterator]().next().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrateDBError);
    expect((error as CrateDBError).kind).toBe('unknown-table');
    expect((error as CrateDBError).statement).toBe('SELECT * FROM nope');
  });

  it('declares on the next server when the first answers 503, as a read fails over', async () => {
    const { crate } = await setup();
    const unavailable = await startProtocolServer();
    cleanups.push(() => unavailable.close());
    unavailable.handle(() => replies.unavailable(503));
    const client = new CrateClient({ servers: [unavailable.url, crate.url] });
    cleanups.push(() => client.close());
    let rows = 0;
    for await (const batch of client.cursor('SELECT * FROM t', [], { batchSize: 10 })) rows += batch.rows.length;
    expect(rows).toBe(25);
    expect(unavailable.statements()).toHaveLength(1);
    expect(unavailable.statements()[0]).toMatch(/^DECLARE /);
  });

  it('retries a DECLARE answered with a transient cluster error, then reads on the connection that declared it', async () => {
    const { crate, client } = await setup();
    crate.enqueue(replies.error(5000, 'NodeNotConnectedException[[node2][127.0.0.1:4302] Node not connected]'));
    let rows = 0;
    for await (const batch of client.cursor('SELECT * FROM t', [], { batchSize: 10 })) rows += batch.rows.length;
    expect(rows).toBe(25);
    const statements = crate.statements();
    expect(statements.filter((stmt) => stmt.startsWith('DECLARE'))).toHaveLength(2);
    // FETCH and CLOSE stayed on the connection of the second DECLARE.
    const declared = sqlRequests(crate).filter((request) => request.stmt?.startsWith('DECLARE')).at(-1)!;
    for (const request of sqlRequests(crate).filter((r) => /^(FETCH|CLOSE)/.test(r.stmt ?? ''))) expect(request.connectionId).toBe(declared.connectionId);
  });

  it('does not move a FETCH to another server when its node is unavailable', async () => {
    const { crate, state } = await setup();
    const other = await startProtocolServer();
    cleanups.push(() => other.close());
    const client = new CrateClient({ servers: [crate.url, other.url] });
    cleanups.push(() => client.close());
    state.onFetch = (index) => (index === 1 ? replies.unavailable(503) : undefined);
    const error = await (async () => {
      for await (const _batch of client.cursor('SELECT * FROM t', [], { batchSize: 10 })) {
        // reading on
      }
    })().catch((caught: unknown) => caught);
    expect(error).toMatchObject({ kind: 'service-unavailable', status: 503 });
    expect(other.requests).toEqual([]);
  });

  it('declares on the next server when the first cannot be reached', async () => {
    const { crate } = await setup();
    const client = new CrateClient({ servers: [await refusedServerUrl(), crate.url] });
    cleanups.push(() => client.close());
    let rows = 0;
    for await (const batch of client.cursor('SELECT * FROM t', [], { batchSize: 10 })) rows += batch.rows.length;
    expect(rows).toBe(25);
  });

  it.each([
    ['INSERT INTO t (a) VALUES (1)', /INSERT is not one/],
    ['  -- comment\n DELETE FROM t', /DELETE is not one/],
    ['WITH x AS (SELECT 1) SELECT * FROM x', /not WITH/],
    ['SHOW TABLES', /SHOW is not one/],
    ['(SELECT 1)', /\( is not one/],
    ['   ', /empty/],
  ])('refuses %j before sending anything', async (stmt, why) => {
    const { crate, client } = await setup();
    expect(() => client.cursor(stmt)).toThrow(CrateArgumentError);
    expect(() => client.cursor(stmt)).toThrow(why);
    expect(sqlRequests(crate)).toHaveLength(0);
  });

  it('accepts SELECT and VALUES, after comments', async () => {
    const { client } = await setup();
    for (const stmt of ['/* a */ select 1', 'VALUES (1), (2)']) expect(() => client.cursor(stmt)).not.toThrow();
  });

  it.each([0, -1, 1.5, '10'])('refuses batchSize %j', async (batchSize) => {
    const { client } = await setup();
    expect(() => client.cursor('SELECT 1', [], { batchSize: batchSize as number })).toThrow(/batchSize must be a whole number of at least 1/);
  });
});

describe('client.cursor() on the fetch transport', () => {
  it('is refused before anything is sent, naming the transport and what to do instead', async () => {
    const server = await startProtocolServer();
    const client = new CrateClient({ servers: [server.url], transport: 'fetch' });
    try {
      expect(() => client.cursor('SELECT 1')).toThrow(CrateConfigError);
      expect(() => client.cursor('SELECT 1')).toThrow(/a cursor needs one connection .* which the undici transport \(Node\.js\) pins and fetch cannot/);
      expect(server.requests).toEqual([]);
    } finally {
      await client.close();
      await server.close();
    }
  });
});
