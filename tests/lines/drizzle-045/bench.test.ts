/**
 * Smoke test of the benchmark (bench/): tiny runs against the bench protocol server, in this thread, so that the
 * bench keeps working as the package changes. The figures of such short runs mean nothing and are not checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrateClient } from 'drizzle-cratedb';
import { startServingBenchData } from '../../../bench/driver.js';
import { benchRead } from '../../../bench/read.js';
import { benchLines, LINE_TASKS } from '../../../bench/lines.js';
import { benchRelational } from '../../../bench/relational.js';
import { checkReadSchema } from '../../../bench/schema.js';
import { benchWrite } from '../../../bench/write.js';
import type { ProtocolServer } from '../../support/protocol-server.js';

describe('benchmark smoke test', () => {
  let server: ProtocolServer;

  beforeAll(async () => {
    server = await startServingBenchData();
  });
  afterAll(async () => {
    await server.close();
  });

  it('declares bench tables that match the columns the bench server sends', () => {
    expect(() => checkReadSchema()).not.toThrow();
  });

  it('reads through every contender and judges every read target', async () => {
    const read = await benchRead(server.url, { scale: 0.01, rounds: 1 });
    expect(read.scenarios.map((s) => s.name)).toEqual(['oneRow', 'oneRow.concurrent16', 'tenThousandRows']);
    for (const scenario of read.scenarios) {
      for (const figure of Object.values(scenario.figures)) expect(figure.median).toBeGreaterThan(0);
    }
    expect(read.targets.map((t) => t.id)).toContain('read.tenThousandRows.drizzleVsRaw');
    expect(read.targets.every((t) => typeof t.met === 'boolean' && Number.isFinite(t.value))).toBe(true);
  }, 60_000);

  it('writes along every path and gets every row acknowledged', async () => {
    const write = await benchWrite({ url: server.url, server: 'protocol', rows: 600, chunkSize: 250, perRowSample: 40, perRowConcurrency: 4, rounds: 1 });
    expect(write.paths.values.verifiedRows).toEqual([600]);
    expect(write.paths.bulk.verifiedRows).toEqual([600]);
    expect(write.paths.perRow.verifiedRows).toEqual([40]);
    expect(write.valuesBreakdown?.statementsPerChunk).toBe(1);
  }, 60_000);

  it('has the bench server refuse an insert whose arguments do not fit its statement', async () => {
    const client = new CrateClient({ servers: server.url });
    try {
      await expect(client.sql('INSERT INTO bench_write (a, b) VALUES ($1, $2), ($3, $4)', [1, 2, 3])).rejects.toThrow(/3 args for 2 tuples/);
      await expect(client.bulk('INSERT INTO bench_write (a, b) VALUES ($1, $2)', [[1, 2], [3]])).rejects.toThrow(/bulk_args\[1\]/);
      expect((await client.sql('INSERT INTO bench_write (a, b) VALUES ($1, $2), ($3, $4)', [1, 2, 3, 4])).rowCount).toBe(2);
    } finally {
      await client.close();
    }
  });

  it('loads the same relational tree both ways and counts their requests', async () => {
    const result = await benchRelational({ url: undefined, users: 30, postsPerUser: 3, rounds: 1, naiveRounds: 1, naiveConcurrency: 4 });
    expect([result.users, result.posts]).toEqual([30, 90]);
    // findMany: users, posts, comments. The naive loader: users, then one query per user and one per post.
    expect(result.findMany.requests).toBe(3);
    expect(result.naive.requests).toBe(1 + 30 + 90);
    expect(result.findMany.rowsReceived).toBe(30 + 90 + result.comments);
    expect(result.naive.rowsReceived).toBe(result.findMany.rowsReceived);
    expect(result.perParentLimit).toBeUndefined();
  }, 60_000);

  it('runs the same workload on both Drizzle lines, each in its own process, and reports every task', async () => {
    // Each run checks that its process loaded the line it was asked for, and that every task returned the whole result.
    const result = await benchLines({ url: server.url, runs: 1, rounds: 1, scale: 0.05 });
    expect(result.drizzleOrm['0.45']).toMatch(/^0\.45\./);
    expect(result.drizzleOrm.v1).toMatch(/^1\./);
    expect(Object.keys(result.figures)).toEqual(Object.keys(LINE_TASKS));
    for (const figure of Object.values(result.figures)) {
      expect(figure['0.45'].median).toBeGreaterThan(0);
      expect(figure.v1.median).toBeGreaterThan(0);
    }
  }, 120_000);
});
