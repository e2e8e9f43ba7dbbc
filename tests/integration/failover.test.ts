/**
 * Failover against a real CrateDB: a cluster member that is gone (a port nobody listens on) is skipped for reads and
 * writes alike, since a refused connection provably sent nothing.
 */
import { createServer } from 'node:net';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { CrateClient, drizzle } from 'drizzle-cratedb';
import { crateUrl, describeCrate, uniqueName } from '../support/crate.js';

/** A loopback port that refuses connections: bound once, then released. */
async function deadServer(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describeCrate('failover on a real CrateDB', () => {
  it('reads and writes go on when one server is gone, and each write applies once', async () => {
    const dead = await deadServer();
    const client = new CrateClient({ servers: [dead, crateUrl!], retryInterval: 60_000 });
    const db = drizzle({ client });
    const table = uniqueName('failover');
    try {
      await db.execute(sql.raw(`CREATE TABLE "${table}" (id INT PRIMARY KEY) WITH (number_of_replicas = '0')`));
      for (let id = 0; id < 10; id++) await db.execute(sql`insert into ${sql.identifier(table)} (id) values (${id})`);
      await db.execute(sql.raw(`REFRESH TABLE "${table}"`));
      const result = await db.execute<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM "${table}"`));
      // Every insert applied exactly once, although half of them were first routed to the dead server.
      expect(result.rows).toEqual([{ n: 10 }]);
    } finally {
      await db.execute(sql.raw(`DROP TABLE IF EXISTS "${table}"`));
      await client.close();
    }
  });
});
