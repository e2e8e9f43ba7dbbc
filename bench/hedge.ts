/**
 * What hedged reads (issue 23, src/driver/hedge.ts) cost on a healthy single node: one-row and 10,000-row read rates
 * through CrateClient.sql with hedging on (the default) and off, taking turns round by round, and the hedges sent.
 *
 * With one server there is nowhere to hedge to, so "on" measures the bookkeeping alone (the delay's latency samples,
 * a timer per read). A third contender lists the same node under two addresses (127.0.0.1 and localhost), so that
 * hedges can actually be sent: it shows what the hedges that fire on a healthy node cost.
 *
 * On the real CrateDB (CRATEDB_URL) the table bench_hedge.rows is created with 10,000 rows and dropped afterwards;
 * without one, the bench protocol server's bench_small and bench_large answer.
 */
import { CrateClient } from '../src/driver/index.js';
import type { HedgeStats } from '../src/driver/hedge.js';
import { BENCH_LARGE_SQL, BENCH_SMALL_SQL } from './driver.js';
import { interleave, rates, ratio, summarize, type Ratio, type Summary, type Task } from './stats.js';

const ROWS = 10_000;
const TABLE = 'bench_hedge.rows';

export const HEDGE_CONTENDERS = {
  off: 'hedgedReads: false',
  on: 'hedging on (default), one address',
  twoAddresses: 'hedging on, the node under two addresses',
} as const;
type Contender = keyof typeof HEDGE_CONTENDERS;

export interface HedgeScenario {
  name: string;
  title: string;
  unit: 'queries/s' | 'rows/s';
  iterations: number;
  concurrency: number;
  rounds: number;
  figures: Partial<Record<Contender, Summary>>;
  /** Each contender over hedging off, round by round. */
  vsOff: Partial<Record<Contender, Ratio>>;
}

export interface HedgeResults {
  server: 'protocol' | 'cratedb';
  scenarios: HedgeScenario[];
  /** Hedge statistics of each client at the end of the run (all scenarios, warm-up included). */
  hedges: Partial<Record<Contender, HedgeStats>>;
}

export interface HedgeBenchOptions {
  url: string;
  server: 'protocol' | 'cratedb';
  scale?: number;
  rounds?: number;
}

/** The same server under another address, when it has one here (loopback); undefined otherwise. */
function otherAddress(url: string): string | undefined {
  const parsed = new URL(url);
  if (parsed.hostname === '127.0.0.1') parsed.hostname = 'localhost';
  else if (parsed.hostname === 'localhost') parsed.hostname = '127.0.0.1';
  else return undefined;
  return parsed.toString().replace(/\/$/, '');
}

export async function benchHedging(options: HedgeBenchOptions): Promise<HedgeResults> {
  const scale = options.scale ?? 1;
  const count = (n: number, min = 1) => Math.max(min, Math.round(n * scale));
  const alias = otherAddress(options.url);
  const clients: Partial<Record<Contender, CrateClient>> = {
    off: new CrateClient({ servers: options.url, hedgedReads: false }),
    on: new CrateClient({ servers: options.url }),
    ...(alias !== undefined && { twoAddresses: new CrateClient({ servers: [options.url, alias] }) }),
  };
  const real = options.server === 'cratedb';
  const small = real ? `SELECT id, name FROM ${TABLE} WHERE id = ?` : BENCH_SMALL_SQL;
  const large = real ? `SELECT id, name FROM ${TABLE}` : BENCH_LARGE_SQL;
  const admin = clients.off!;
  try {
    if (real) {
      await admin.sql(`CREATE TABLE IF NOT EXISTS ${TABLE} (id INTEGER PRIMARY KEY, name TEXT)`);
      await admin.sql(`DELETE FROM ${TABLE}`);
      await admin.bulk(`INSERT INTO ${TABLE} (id, name) VALUES (?, ?)`, Array.from({ length: ROWS }, (_, id) => [id, `row ${id}`]));
      await admin.sql(`REFRESH TABLE ${TABLE}`);
    }
    const tasks = (stmt: string, args: unknown[]): Record<string, Task> =>
      Object.fromEntries(Object.entries(clients).map(([name, client]) => [name, () => client.sql(stmt, args)]));
    for (const [name, client] of Object.entries(clients)) {
      const one = await client.sql(small, [1]);
      const all = await client.sql(large);
      if (one.rows.length !== 1 || all.rows.length !== ROWS) throw new Error(`hedge bench: ${name} got ${one.rows.length} and ${all.rows.length} rows`);
    }
    const scenarios = [
      await scenario('oneRow', 'one-row SELECT, 1 at a time', 'queries/s', tasks(small, [1]), count(500), 1, options.rounds ?? 9),
      await scenario('oneRow.concurrent16', 'one-row SELECT, 16 in flight', 'queries/s', tasks(small, [1]), count(1_000, 16), 16, options.rounds ?? 7),
      await scenario('tenThousandRows', '10,000-row SELECT, 1 at a time', 'rows/s', tasks(large, []), count(6, 2), 1, options.rounds ?? 9),
    ];
    const hedges = Object.fromEntries(Object.entries(clients).map(([name, client]) => [name, client.hedgeStats()]));
    return { server: options.server, scenarios, hedges };
  } finally {
    if (real) await admin.sql(`DROP TABLE IF EXISTS ${TABLE}`).catch(() => {});
    await Promise.all(Object.values(clients).map((client) => client.close()));
  }
}

async function scenario(
  name: string,
  title: string,
  unit: HedgeScenario['unit'],
  tasks: Record<string, Task>,
  iterations: number,
  concurrency: number,
  rounds: number,
): Promise<HedgeScenario> {
  const batches = await interleave(tasks, { iterations, concurrency, rounds });
  const units = unit === 'rows/s' ? iterations * ROWS : iterations;
  const perRound = Object.fromEntries(Object.entries(batches).map(([contender, ms]) => [contender, rates(ms, units)])) as Partial<Record<Contender, number[]>>;
  const figures = Object.fromEntries(Object.entries(perRound).map(([contender, values]) => [contender, summarize(values!)]));
  const vsOff = Object.fromEntries(
    Object.entries(perRound)
      .filter(([contender]) => contender !== 'off')
      .map(([contender, values]) => [contender, ratio(values!, perRound.off!)]),
  );
  return { name, title, unit, iterations, concurrency, rounds, figures, vsOff };
}

export function hedgingText(results: HedgeResults): string {
  const int = (value: number) => Math.round(value).toLocaleString('en-US');
  const lines = [`Hedged reads on a healthy single node (${results.server === 'cratedb' ? 'real CrateDB' : 'bench protocol server'}): rates, and each over hedging off`];
  for (const scenario of results.scenarios) {
    lines.push(`  ${scenario.title} (${scenario.unit}, median of ${scenario.rounds} rounds):`);
    for (const [contender, figure] of Object.entries(scenario.figures)) {
      const versus = scenario.vsOff[contender as Contender];
      const ratioText = versus ? `  ×${versus.value.toFixed(3)} (rounds ${versus.roundP25.toFixed(3)}–${versus.roundP75.toFixed(3)})` : '';
      lines.push(`    ${HEDGE_CONTENDERS[contender as Contender].padEnd(42)} ${int(figure!.median).padStart(12)}  spread ${figure!.spreadPct.toFixed(1)}%${ratioText}`);
    }
  }
  lines.push('  hedges (whole run, all scenarios):');
  for (const [contender, stats] of Object.entries(results.hedges)) {
    lines.push(`    ${HEDGE_CONTENDERS[contender as Contender].padEnd(42)} reads ${int(stats!.reads)}, sent ${int(stats!.sent)}, won ${int(stats!.won)}, delay now ${stats!.delayMs} ms`);
  }
  return lines.join('\n');
}
