/**
 * Streaming reads on a real CrateDB: client.cursor() and .iterator() over several batches give exactly what one
 * query gives, and a loop that stops early (break, abort) or loses its connection leaves no cursor open. CrateDB
 * 6.4.3 lists the cursors of every session of a node in pg_catalog.pg_cursors (measured: a cursor declared on one
 * connection is listed to another), so the test client watches them from its own connection.
 */
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import { asc, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bigint, CrateClient, CrateCursorError, crateTable, createTables, drizzle, dropTables, integer, text, timestamp, withOptions, type CrateDB } from 'drizzle-cratedb';
import { crateUrl, describeCrate, testClient, uniqueName } from '../support/crate.js';

const ROWS = 2_500;

describeCrate('streaming reads on a real CrateDB', () => {
  const items = crateTable(
    uniqueName('stream_items'),
    { id: integer().primaryKey(), label: text(), big: bigint({ mode: 'bigint' }), at: timestamp({ withTimezone: true }) },
    () => [withOptions({ number_of_replicas: '0' })],
  );
  const tableName = items[Symbol.for('drizzle:Name') as never] as unknown as string;
  let db: CrateDB;
  let client: CrateClient;

  /** Our cursors still open on the server: those reading this suite's table. */
  async function openCursors(): Promise<number> {
    const result = await client.sql('SELECT count(*) FROM pg_catalog.pg_cursors WHERE statement LIKE ?', [`%${tableName}%`]);
    return Number(result.rows[0]![0]);
  }
  async function eventuallyNoCursor(): Promise<void> {
    for (let i = 0; i < 50 && (await openCursors()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await openCursors()).toBe(0);
  }

  beforeAll(async () => {
    client = testClient();
    db = drizzle({ client });
    await createTables(db, [items]);
    const rows = Array.from({ length: ROWS }, (_, i) => ({
      id: i,
      label: i % 10 === 0 ? null : `item ${i}`,
      big: 2n ** 60n + BigInt(i),
      at: new Date(Date.UTC(2024, 0, 1) + i * 1000),
    }));
    await db.bulkInsert(items, rows);
    await db.refresh(items);
  });
  afterAll(async () => {
    await dropTables(db, [items]);
    await client.close();
  });

  it('client.cursor() reads the result in batches equal to one sql() of it, bigints and timestamps decoded alike', async () => {
    const stmt = `SELECT id, label, big, at FROM "${tableName}" WHERE id >= ? ORDER BY id`;
    const whole = await client.sql(stmt, [0]);
    const sizes: number[] = [];
    const rows: unknown[][] = [];
    for await (const batch of client.cursor(stmt, [0], { batchSize: 1000 })) {
      sizes.push(batch.rows.length);
      rows.push(...batch.rows);
      expect(batch.cols).toEqual(whole.cols);
      expect(batch.colTypes).toEqual(whole.colTypes);
    }
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(rows).toEqual(whole.rows);
    expect(rows[3]![2]).toBe(2n ** 60n + 3n);
    expect(await openCursors()).toBe(0);
  });

  it('select().iterator() yields the rows execute() returns', async () => {
    const query = db.select().from(items).orderBy(asc(items.id));
    const streamed = [];
    for await (const row of query.iterator({ batchSize: 700 })) streamed.push(row);
    const executed = await query;
    expect(streamed).toHaveLength(ROWS);
    expect(streamed).toEqual(executed);
    expect(streamed[5]!.big).toBe(2n ** 60n + 5n);
    expect(streamed[5]!.at).toBeInstanceOf(Date);
  });

  it('db.iterator(sql) yields the rows db.execute() returns', async () => {
    const query = sql`SELECT id, big FROM ${items} WHERE id < ${1200} ORDER BY id`;
    const streamed = [];
    for await (const row of db.iterator(query, { batchSize: 500 })) streamed.push(row);
    expect(streamed).toEqual((await db.execute(query)).rows);
    expect(streamed).toHaveLength(1200);
  });

  it('a loop that breaks leaves no cursor open', async () => {
    let seen = 0;
    for await (const _row of db.select().from(items).iterator({ batchSize: 100 })) {
      if (seen === 0) expect(await openCursors()).toBe(1);
      if (++seen === 150) break;
    }
    expect(seen).toBe(150);
    expect(await openCursors()).toBe(0);
  });

  it('an abort between batches leaves no cursor open and ends the loop with the reason', async () => {
    const controller = new AbortController();
    const reason = new Error('enough');
    let seen = 0;
    const loop = (async () => {
      for await (const _batch of client.cursor(`SELECT id FROM "${tableName}"`, [], { batchSize: 100, signal: controller.signal })) {
        if (++seen === 2) {
          controller.abort(reason);
          await eventuallyNoCursor();
        }
      }
    })();
    await expect(loop).rejects.toBe(reason);
    expect(seen).toBe(2);
  });

  describe('through a proxy that can cut the connection', () => {
    let proxyUrl: string;
    const sockets = new Set<Socket>();
    const proxy = createServer((inbound) => {
      const target = new URL(crateUrl!);
      const outbound = createConnection({ host: target.hostname, port: Number(target.port) });
      for (const socket of [inbound, outbound]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
      }
      inbound.pipe(outbound).pipe(inbound);
    });
    beforeAll(async () => {
      await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
      proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => proxy.close(resolve));
    });

    it('a connection lost mid-stream raises CrateCursorError with the rows delivered, and the server drops the cursor', async () => {
      const proxied = new CrateClient({ servers: proxyUrl });
      try {
        let delivered = 0;
        const error = await (async () => {
          for await (const batch of proxied.cursor(`SELECT id FROM "${tableName}" ORDER BY id`, [], { batchSize: 400 })) {
            delivered += batch.rows.length;
            if (delivered === 800) for (const socket of sockets) socket.destroy();
          }
        })().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(CrateCursorError);
        expect((error as CrateCursorError).rowsDelivered).toBe(800);
        expect(delivered).toBe(800);
        // CrateDB ends the session, and its cursors, with the connection.
        await eventuallyNoCursor();
      } finally {
        await proxied.close();
      }
    });
  });
});
