/**
 * The two transports side by side: CrateClient.sql over undici's pools and over fetch, on the read workloads of
 * bench/read.ts (one row, one at a time and 16 in flight; 10,000 rows), interleaved round by round and reported as
 * ratios fetch / undici. Against the bench protocol server, and against a real CrateDB when one is given: there the
 * two tables are created under unique names (the same columns and rows as the bench server's) and dropped after.
 */
import { CrateClient } from '../src/index.js';
import { BENCH_COLUMNS, BENCH_LARGE_ROWS, BENCH_LARGE_SQL, BENCH_SMALL_SQL } from './driver.js';
import { interleave, rates, ratio, summarize, type Ratio, type Summary, type Task } from './stats.js';

export interface TransportScenario {
  name: string;
  title: string;
  unit: 'queries/s' | 'rows/s';
  iterations: number;
  concurrency: number;
  rounds: number;
  undici: Summary;
  fetch: Summary;
  /** fetch / undici: below 1, fetch is slower. */
  fetchVsUndici: Ratio;
}

export interface TransportResults {
  server: 'protocol' | 'cratedb';
  serverVersion?: string;
  scenarios: TransportScenario[];
}

export interface TransportOptions {
  url: string;
  server: 'protocol' | 'cratedb';
  scale?: number;
  rounds?: number;
}

const COLUMN_DDL = 'id INT PRIMARY KEY, name TEXT, created_at TIMESTAMP WITH TIME ZONE, big BIGINT, score DOUBLE PRECISION, active BOOLEAN, tags ARRAY(TEXT), attrs OBJECT(DYNAMIC)';

function row(i: number): unknown[] {
  return [i, `name-${i}`, 1_700_000_000_000 + i * 1000, 4_000_000_000 + i, i * 1.25, i % 2 === 0, ['a', `t${i % 10}`], { k: i, s: 'v' }];
}

export async function benchTransports(options: TransportOptions): Promise<TransportResults> {
  const scale = options.scale ?? 1;
  const count = (n: number, min = 1) => Math.max(min, Math.round(n * scale));
  const viaUndici = new CrateClient({ servers: options.url, transport: 'undici' });
  const viaFetch = new CrateClient({ servers: options.url, transport: 'fetch' });
  let small = 'bench_small';
  let large = 'bench_large';
  let serverVersion: string | undefined;
  try {
    if (options.server === 'cratedb') {
      serverVersion = (await viaUndici.serverInfo()).version;
      const suffix = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
      small = `bench_transport_small_${suffix}`;
      large = `bench_transport_large_${suffix}`;
      for (const [table, rows] of [[small, 1], [large, BENCH_LARGE_ROWS]] as const) {
        await viaUndici.sql(`CREATE TABLE ${table} (${COLUMN_DDL}) WITH (number_of_replicas = 0)`);
        const values = Array.from({ length: rows }, (_, i) => row(i + 1));
        for (let at = 0; at < values.length; at += 5_000) {
          await viaUndici.bulk(`INSERT INTO ${table} (${BENCH_COLUMNS.join(', ')}) VALUES (${BENCH_COLUMNS.map(() => '?').join(', ')})`, values.slice(at, at + 5_000));
        }
        await viaUndici.sql(`REFRESH TABLE ${table}`);
      }
    }
    const smallSql = BENCH_SMALL_SQL.replace('bench_small', small);
    const largeSql = BENCH_LARGE_SQL.replace('bench_large', large) + (options.server === 'cratedb' ? ` LIMIT ${BENCH_LARGE_ROWS}` : '');
    const oneRow: Record<'undici' | 'fetch', Task> = {
      undici: () => viaUndici.sql(smallSql, [1]),
      fetch: () => viaFetch.sql(smallSql, [1]),
    };
    const tenThousand: Record<'undici' | 'fetch', Task> = {
      undici: () => viaUndici.sql(largeSql),
      fetch: () => viaFetch.sql(largeSql),
    };
    for (const [name, task] of Object.entries(tenThousand)) {
      const got = ((await task()) as { rows: unknown[] }).rows.length;
      if (got !== BENCH_LARGE_ROWS) throw new Error(`transport bench: ${name} got ${got} rows for the ${BENCH_LARGE_ROWS}-row query`);
    }
    const rounds = options.rounds ?? 9;
    return {
      server: options.server,
      ...(serverVersion !== undefined && { serverVersion }),
      scenarios: [
        await scenario('oneRow', 'one-row SELECT, 1 at a time', 'queries/s', oneRow, count(500), 1, rounds),
        await scenario('oneRow.concurrent16', 'one-row SELECT, 16 in flight', 'queries/s', oneRow, count(1_000, 16), 16, rounds),
        await scenario('tenThousandRows', '10,000-row SELECT, 1 at a time', 'rows/s', tenThousand, count(6, 2), 1, rounds),
      ],
    };
  } finally {
    if (options.server === 'cratedb') {
      for (const table of [small, large]) await viaUndici.sql(`DROP TABLE IF EXISTS ${table}`).catch(() => {});
    }
    await viaUndici.close();
    await viaFetch.close();
  }
}

async function scenario(
  name: string,
  title: string,
  unit: TransportScenario['unit'],
  contenders: Record<'undici' | 'fetch', Task>,
  iterations: number,
  concurrency: number,
  rounds: number,
): Promise<TransportScenario> {
  const batches = await interleave(contenders, { iterations, concurrency, rounds });
  const units = unit === 'rows/s' ? iterations * BENCH_LARGE_ROWS : iterations;
  const undici = rates(batches['undici']!, units);
  const fetch = rates(batches['fetch']!, units);
  return { name, title, unit, iterations, concurrency, rounds, undici: summarize(undici), fetch: summarize(fetch), fetchVsUndici: ratio(fetch, undici) };
}

export function transportsText(results: TransportResults): string {
  const where = results.server === 'cratedb' ? `real CrateDB ${results.serverVersion ?? ''}` : 'bench protocol server';
  const int = (value: number) => Math.round(value).toLocaleString('en-US');
  const lines = [`TRANSPORTS — CrateClient.sql over undici vs fetch, ${where} (medians; ratio fetch / undici with per-round quartiles)`];
  for (const s of results.scenarios) {
    const r = s.fetchVsUndici;
    lines.push(
      `  ${s.title.padEnd(32)} undici ${int(s.undici.median).padStart(10)} ${s.unit}  fetch ${int(s.fetch.median).padStart(10)} ${s.unit}  ` +
        `fetch/undici ${r.value.toFixed(2)} (${r.roundP25.toFixed(2)}–${r.roundP75.toFixed(2)})`,
    );
  }
  return lines.join('\n');
}
