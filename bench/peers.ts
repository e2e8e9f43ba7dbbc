/**
 * The comparison a user makes before choosing: the same reads and writes on one real CrateDB, side by side in one run,
 * through drizzle-cratedb and through what they would pick instead:
 *   drizzle      db.select() built on every call / bulkInsert()
 *   prepared     db.select() prepared once (reads)
 *   client       CrateClient.sql / CrateClient.bulk, no Drizzle
 *   raw          undici + JSON.stringify/JSON.parse on POST /_sql: the HTTP floor, nothing a client can do costs less
 *   nodeCrate    node-crate's execute / executeBulk
 *   nodePg       drizzle-orm/node-postgres over CrateDB's PostgreSQL port (pg)
 *   postgresJs   drizzle-orm/postgres-js over the same port (postgres.js)
 * Every contender is checked to get the rows (reads) or store them exactly once (writes) before anything is timed.
 *
 * The PostgreSQL port is CRATEDB_PG_URL, else CRATEDB_URL's host on 5432; when it cannot be reached the two PG-wire
 * contenders are left out and the report says why.
 */
import { eq, sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import {
  integer as pgInteger,
  pgSchema,
  real as pgReal,
  text as pgText,
} from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgresJs } from 'drizzle-orm/postgres-js';
import pg from 'pg';
import postgres from 'postgres';
import { Pool } from 'undici';
import {
  createTables,
  crateSchema,
  CrateClient,
  dropTables,
  drizzle,
  integer,
  real,
  text,
  withOptions,
  type CrateDB,
} from '../src/index.js';
import { withPeakMemory } from './memory.js';
import { pgReadColumns, readColumns, writeRow } from './schema.js';
import { interleave, rates, ratio, summarize, type Ratio, type Summary, type Task } from './stats.js';

export const PEER_SCHEMA = 'bench_peers';
const LARGE_ROWS = 10_000;

export const PEER_READERS = {
  drizzle: 'drizzle-cratedb db.select()',
  prepared: 'drizzle-cratedb db.select() prepared',
  client: 'drizzle-cratedb CrateClient.sql',
  raw: 'undici + JSON.parse (HTTP floor)',
  nodeCrate: 'node-crate execute',
  nodePg: 'drizzle-orm/node-postgres (PG wire)',
  postgresJs: 'drizzle-orm/postgres-js (PG wire)',
} as const;
export type PeerReader = keyof typeof PEER_READERS;

export const PEER_WRITERS = {
  drizzle: 'drizzle-cratedb bulkInsert()',
  client: 'drizzle-cratedb CrateClient.bulk',
  raw: 'undici bulk_args (HTTP floor)',
  nodeCrate: 'node-crate executeBulk',
  nodePg: 'drizzle-orm/node-postgres insert().values()',
  postgresJs: 'drizzle-orm/postgres-js insert().values()',
} as const;
export type PeerWriter = keyof typeof PEER_WRITERS;

export interface PeerReadScenario {
  name: string;
  title: string;
  unit: 'queries/s' | 'rows/s';
  iterations: number;
  concurrency: number;
  rounds: number;
  figures: Partial<Record<PeerReader, Summary>>;
  /** Each contender over the HTTP floor, round by round. */
  vsFloor: Partial<Record<PeerReader, Ratio>>;
}

export interface PeerWriteFigure {
  title: string;
  rowsPerSec: Summary;
  /** Over the HTTP floor's rate, round by round. */
  vsFloor: Ratio;
  peakHeapMB: number;
  cpuMsPer1000Rows: number;
  /** Rows found in the table after each round: always the rows sent. */
  verifiedRows: number[];
}

export interface PeerResults {
  server: string;
  serverVersion: string | undefined;
  pgWire: { url: string } | { skipped: string };
  read: PeerReadScenario[];
  write: { rows: number; chunkSize: number; pgChunkSize: number; rounds: number; figures: Partial<Record<PeerWriter, PeerWriteFigure>> };
}

export interface PeerOptions {
  url: string;
  /** Multiplies every iteration count; below 1 for quick runs. */
  scale: number;
  readRounds: number;
  writeRows: number;
  writeRounds: number;
}

const crate = crateSchema(PEER_SCHEMA);
const pgs = pgSchema(PEER_SCHEMA);
const oneNode = () => [withOptions({ number_of_replicas: '0' })];
const small = crate.table('peer_small', readColumns(), oneNode);
const large = crate.table('peer_large', readColumns(), oneNode);
const pgSmallTable = pgs.table('peer_small', pgReadColumns());
const pgLargeTable = pgs.table('peer_large', pgReadColumns());
const COLUMN_LIST = 'id, name, created_at, big, score, active, tags, attrs';
const SMALL_SQL = `SELECT ${COLUMN_LIST} FROM ${PEER_SCHEMA}.peer_small WHERE id = ?`;
const LARGE_SQL = `SELECT ${COLUMN_LIST} FROM ${PEER_SCHEMA}.peer_large`;

function writeTable(name: string) {
  return crate.table(name, { ...readColumns(), id: integer('id').primaryKey(), city: text('city'), ratio: real('ratio') }, oneNode);
}
function pgWriteTable(name: string) {
  return pgs.table(name, { ...pgReadColumns(), id: pgInteger('id').primaryKey(), city: pgText('city'), ratio: pgReal('ratio') });
}
const WRITE_COLUMNS = ['id', 'name', 'created_at', 'big', 'score', 'active', 'tags', 'attrs', 'city', 'ratio'];
const row = writeRow;
type Row = ReturnType<typeof row>;
const asArgs = (r: Row): unknown[] => [r.id, r.name, (r.createdAt as Date).getTime(), r.big, r.score, r.active, r.tags, r.attrs, r.city, r.ratio];

interface NodeCrate {
  connect(host: string, port: number): void;
  execute(sql: string, args?: unknown[]): Promise<{ rows: unknown[][] }>;
  executeBulk(sql: string, bulkArgs: unknown[][]): Promise<{ results: { rowcount: number }[] }>;
}

/** The PG-wire connection string, or why there is none. */
async function pgWireUrl(url: string): Promise<{ url: string } | { skipped: string }> {
  const pgUrl = process.env.CRATEDB_PG_URL || `postgres://crate@${new URL(url).hostname}:5432/doc`;
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return { url: pgUrl };
  } catch (error) {
    return { skipped: `PostgreSQL port at ${pgUrl.replace(/\/\/[^@]*@/, '//')} not reachable (${(error as Error).message}); set CRATEDB_PG_URL` };
  } finally {
    await client.end().catch(() => {});
  }
}

export async function benchPeers(options: PeerOptions): Promise<PeerResults> {
  const { url, scale } = options;
  const count = (n: number, min = 1) => Math.max(min, Math.round(n * scale));
  const client = new CrateClient({ servers: url });
  const db = drizzle({ client: new CrateClient({ servers: url }) });
  const pool = new Pool(new URL(url).origin, { connections: 16 });
  // An instance of its own: node-crate's default one adds every connect() to its round-robin, and the read bench
  // connected it to the protocol server, which is gone by now.
  const nodeCrate = ((await import('node-crate' as string)) as { default: { getNewInstance(): NodeCrate } }).default.getNewInstance();
  nodeCrate.connect(new URL(url).hostname, Number(new URL(url).port || 4200));
  const pgWire = await pgWireUrl(url);
  const pgPool = 'url' in pgWire ? new pg.Pool({ connectionString: pgWire.url, max: 16 }) : undefined;
  const pgJs = 'url' in pgWire ? postgres(pgWire.url, { max: 16, onnotice: () => {} }) : undefined;
  const nodePgDb = pgPool && drizzleNodePg(pgPool);
  const postgresJsDb = pgJs && drizzlePostgresJs(pgJs);
  const serverVersion = (await client.serverInfo()).version;

  const raw = async (body: string): Promise<{ rows?: unknown[][]; results?: { rowcount: number }[] }> => {
    const response = await pool.request({
      method: 'POST',
      path: '/_sql?types',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body,
    });
    const parsed = JSON.parse(await response.body.text());
    if (response.statusCode !== 200) throw new Error(`raw: HTTP ${response.statusCode}: ${JSON.stringify(parsed)}`);
    return parsed;
  };

  try {
    await dropTables(db, [small, large], { ifExists: true });
    await createTables(db, [small, large]);
    await db.insert(small).values(row(1));
    await db.bulkInsert(large, Array.from({ length: LARGE_ROWS }, (_, i) => row(i)), { chunkSize: 5_000 });
    await db.refresh(small, large);

    const smallPrepared = db.select().from(small).where(eq(small.id, 1)).prepare('peer_small_by_id');
    const read = (one: boolean): Partial<Record<PeerReader, Task>> => ({
      drizzle: one ? () => db.select().from(small).where(eq(small.id, 1)) : () => db.select().from(large),
      prepared: one ? () => smallPrepared.execute() : () => db.select().from(large).execute(),
      client: one ? () => client.sql(SMALL_SQL, [1]) : () => client.sql(LARGE_SQL),
      raw: one ? () => raw(JSON.stringify({ stmt: SMALL_SQL, args: [1] })) : () => raw(JSON.stringify({ stmt: LARGE_SQL })),
      nodeCrate: one ? () => nodeCrate.execute(SMALL_SQL, [1]) : () => nodeCrate.execute(LARGE_SQL),
      ...(nodePgDb && {
        nodePg: one ? () => nodePgDb.select().from(pgSmallTable).where(eq(pgSmallTable.id, 1)) : () => nodePgDb.select().from(pgLargeTable),
      }),
      ...(postgresJsDb && {
        postgresJs: one
          ? () => postgresJsDb.select().from(pgSmallTable).where(eq(pgSmallTable.id, 1))
          : () => postgresJsDb.select().from(pgLargeTable),
      }),
    });
    const oneRow = read(true);
    const tenThousand = read(false);
    await checkReads(oneRow, 1);
    await checkReads(tenThousand, LARGE_ROWS);

    const scenarios = [
      await readScenario('oneRow', 'one-row SELECT, 1 at a time', 'queries/s', oneRow, count(400), 1, options.readRounds),
      await readScenario('oneRow.concurrent16', 'one-row SELECT, 16 in flight', 'queries/s', oneRow, count(1_600, 16), 16, options.readRounds),
      await readScenario('tenThousandRows', '10,000-row SELECT, 1 at a time', 'rows/s', tenThousand, count(6, 2), 1, options.readRounds),
    ];

    const write = await benchPeerWrites(options, { db, client, raw, nodeCrate, nodePgDb, postgresJsDb });
    return { server: url, serverVersion, pgWire, read: scenarios, write };
  } finally {
    await dropTables(db, [small, large], { ifExists: true }).catch(() => {});
    await client.close();
    await db.$client.close();
    await pool.close();
    await pgPool?.end();
    await pgJs?.end();
  }
}

async function checkReads(contenders: Partial<Record<PeerReader, Task>>, expected: number): Promise<void> {
  for (const [name, task] of Object.entries(contenders)) {
    const answer = (await task()) as unknown[] | { rows?: unknown[] };
    const got = Array.isArray(answer) ? answer.length : Array.isArray(answer.rows) ? answer.rows.length : -1;
    if (got !== expected) throw new Error(`peer bench: ${name} got ${got} rows, expected ${expected}`);
  }
}

async function readScenario(
  name: string,
  title: string,
  unit: PeerReadScenario['unit'],
  contenders: Partial<Record<PeerReader, Task>>,
  iterations: number,
  concurrency: number,
  rounds: number,
): Promise<PeerReadScenario> {
  const batches = await interleave(contenders as Record<string, Task>, { iterations, concurrency, rounds });
  const units = unit === 'rows/s' ? iterations * LARGE_ROWS : iterations;
  const samples = Object.fromEntries(Object.entries(batches).map(([contender, ms]) => [contender, rates(ms, units)])) as Record<PeerReader, number[]>;
  const figures: PeerReadScenario['figures'] = {};
  const vsFloor: PeerReadScenario['vsFloor'] = {};
  for (const [contender, values] of Object.entries(samples) as [PeerReader, number[]][]) {
    figures[contender] = summarize(values);
    vsFloor[contender] = ratio(values, samples.raw);
  }
  return { name, title, unit, iterations, concurrency, rounds, figures, vsFloor };
}

interface Writers {
  db: CrateDB;
  client: CrateClient;
  raw: (body: string) => Promise<{ results?: { rowcount: number }[] }>;
  nodeCrate: NodeCrate;
  nodePgDb: ReturnType<typeof drizzleNodePg> | undefined;
  postgresJsDb: ReturnType<typeof drizzlePostgresJs> | undefined;
}

/**
 * 10-column rows into a fresh table per writer and round, in chunks; afterwards the table is refreshed and counted.
 * The PG-wire writers send multi-row INSERTs of fewer rows: 5,000 rows exceed CrateDB's statement_max_length over the
 * PG wire, and postgres.js reads more than 32,767 parameters as a negative count.
 */
async function benchPeerWrites(options: PeerOptions, writers: Writers): Promise<PeerResults['write']> {
  const rows = Array.from({ length: options.writeRows }, (_, i) => row(i));
  const chunkSize = 5_000;
  const pgChunkSize = 1_000;
  const { db, client, raw, nodeCrate, nodePgDb, postgresJsDb } = writers;
  const insertSql = (table: string) =>
    `INSERT INTO ${PEER_SCHEMA}.${table} (${WRITE_COLUMNS.join(', ')}) VALUES (${WRITE_COLUMNS.map(() => '?').join(', ')})`;
  const chunks = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
  const expectCount = (got: number, sent: number, who: string) => {
    if (got !== sent) throw new Error(`peer bench: ${who} wrote ${got} of ${sent} rows`);
  };

  const paths: Partial<Record<PeerWriter, (tableName: string) => Promise<void>>> = {
    drizzle: async (name) => {
      const result = await db.bulkInsert(writeTable(name), rows, { chunkSize });
      expectCount(result.rowCount, rows.length, 'bulkInsert');
    },
    client: async (name) => {
      for (const chunk of chunks(rows, chunkSize)) await client.bulk(insertSql(name), chunk.map(asArgs));
    },
    raw: async (name) => {
      for (const chunk of chunks(rows, chunkSize)) await raw(JSON.stringify({ stmt: insertSql(name), bulk_args: chunk.map(asArgs) }));
    },
    nodeCrate: async (name) => {
      for (const chunk of chunks(rows, chunkSize)) await nodeCrate.executeBulk(insertSql(name), chunk.map(asArgs));
    },
    ...(nodePgDb && {
      nodePg: async (name: string) => {
        const table = pgWriteTable(name);
        for (const chunk of chunks(rows, pgChunkSize)) await nodePgDb.insert(table).values(chunk);
      },
    }),
    ...(postgresJsDb && {
      postgresJs: async (name: string) => {
        const table = pgWriteTable(name);
        for (const chunk of chunks(rows, pgChunkSize)) await postgresJsDb.insert(table).values(chunk);
      },
    }),
  };

  const names = Object.keys(paths) as PeerWriter[];
  const perWriter: Record<string, { rate: number; heap: number; cpu: number; verified: number }[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < options.writeRounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const writer = names[(round + i) % names.length]!;
      const tableName = `peer_write_${writer.toLowerCase()}_${process.pid}_${round}`;
      const table = writeTable(tableName);
      await createTables(db, [table]);
      try {
        const cpuBefore = process.cpuUsage();
        const started = performance.now();
        const { memory } = await withPeakMemory(() => paths[writer]!(tableName));
        const elapsed = performance.now() - started;
        const cpu = process.cpuUsage(cpuBefore);
        await db.refresh(table);
        const stored = (await db.execute<{ n: number }>(sql`select count(*) as n from ${table}`)).rows[0];
        perWriter[writer]!.push({
          rate: (rows.length / elapsed) * 1000,
          heap: memory.peakHeapMB,
          cpu: (cpu.user + cpu.system) / 1000 / (rows.length / 1000),
          verified: Number(stored!.n),
        });
      } finally {
        await dropTables(db, [table], { ifExists: true });
      }
    }
  }
  const rawRates = perWriter.raw!.map((r) => r.rate);
  const figures: PeerResults['write']['figures'] = {};
  for (const writer of names) {
    const runs = perWriter[writer]!;
    const bad = runs.find((r) => r.verified !== rows.length);
    if (bad) throw new Error(`peer bench: ${writer} stored ${bad.verified} of ${rows.length} rows`);
    const rates = runs.map((r) => r.rate);
    figures[writer] = {
      title: PEER_WRITERS[writer],
      rowsPerSec: summarize(rates),
      vsFloor: ratio(rates, rawRates),
      peakHeapMB: Math.max(...runs.map((r) => r.heap)),
      cpuMsPer1000Rows: summarize(runs.map((r) => r.cpu)).median,
      verifiedRows: runs.map((r) => r.verified),
    };
  }
  return { rows: rows.length, chunkSize, pgChunkSize, rounds: options.writeRounds, figures };
}
