/**
 * The fetch transport against the real CrateDB: values, bulk requests with gzip bodies, typed errors; and the server
 * behaviour behind its one refusal, `schema`: CrateDB takes `Default-Schema` from the first request of a connection
 * only, and fetch reuses connections as it likes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CrateDBError, type CrateClient } from '../../src/driver/index.js';
import { crateUrl, describeCrate, testClient, uniqueName } from '../support/crate.js';

describeCrate('the fetch transport against CrateDB', () => {
  let client: CrateClient;
  const table = uniqueName('fetch_t');
  const schema = uniqueName('fetch_s');

  beforeAll(async () => {
    client = testClient({ transport: 'fetch' });
    await client.sql(`CREATE TABLE ${table} (id BIGINT PRIMARY KEY, name TEXT, o OBJECT(DYNAMIC)) WITH (number_of_replicas = 0)`);
    await client.sql(`CREATE TABLE ${schema}.marker (id INT) WITH (number_of_replicas = 0)`);
  });
  afterAll(async () => {
    await client.sql(`DROP TABLE IF EXISTS ${table}`);
    await client.sql(`DROP TABLE IF EXISTS ${schema}.marker`);
    await client.close();
  });

  it('writes a gzipped bulk request, reads exact bigints and decoded types back', async () => {
    expect(client.config.transport).toBe('fetch');
    const rows = Array.from({ length: 400 }, (_, i) => [9_007_199_254_740_993n + BigInt(i), `name ${i} ${'ä'.repeat(20)}`, { i }]);
    // 400 rows of ~80 characters: above the 8 KiB threshold, so the body goes gzipped (CompressionStream here).
    const bulk = await client.bulk(`INSERT INTO ${table} (id, name, o) VALUES (?, ?, ?)`, rows);
    expect(bulk.results.every((item) => item.rowCount === 1)).toBe(true);
    await client.sql(`REFRESH TABLE ${table}`);
    const { rows: read } = await client.sql(`SELECT id, name, o, now() AS ts FROM ${table} ORDER BY id LIMIT 2`);
    expect(read[0]!.slice(0, 3)).toEqual([9_007_199_254_740_993n, `name 0 ${'ä'.repeat(20)}`, { i: 0 }]);
    expect(read[1]![0]).toBe(9_007_199_254_740_994n);
    expect(read[0]![3]).toBeInstanceOf(Date);
  });

  it('reports CrateDB errors typed, as on undici', async () => {
    const error = await client.sql(`INSERT INTO ${table} (id) VALUES (?)`, [9_007_199_254_740_993n]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CrateDBError);
    expect((error as CrateDBError).kind).toBe('duplicate-key');
    expect((error as CrateDBError).serverCode).toBe(4091);
  });

  it('schema-qualified names work; Default-Schema would not be reliable, so fetch refuses it', async () => {
    await client.sql(`INSERT INTO ${schema}.marker (id) VALUES (1)`);
    await client.sql(`REFRESH TABLE ${schema}.marker`);
    expect((await client.sql(`SELECT count(*) FROM ${schema}.marker`)).rows).toEqual([[1]]);
    // Raw fetch, one request after the other on the runtime's pooled connection: the first one fixes the session's
    // schema, the header of the second is ignored.
    const currentSchema = async (headers: Record<string, string>) => {
      const answer = await fetch(`${crateUrl}/_sql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ stmt: 'SELECT current_schema' }),
      });
      return ((await answer.json()) as { rows: string[][] }).rows[0]![0]!;
    };
    const wanted = Array.from({ length: 12 }, (_, i) => (i % 3 === 1 ? schema : 'doc'));
    const seen: string[] = [];
    for (const expected of wanted) seen.push(await currentSchema(expected === 'doc' ? {} : { 'default-schema': expected }));
    // Were the header honoured on every request, each would see the schema it asked for.
    expect(seen).not.toEqual(wanted);
  });
});
