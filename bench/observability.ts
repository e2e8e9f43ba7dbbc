/**
 * What the diagnostics channels and the OpenTelemetry bridge cost (issue 22): a one-row prepared `db.select()`
 * against the bench protocol server, side by side in one run, contenders taking turns in each round:
 *   removed      the channels switched off, as on a runtime without node:diagnostics_channel (nothing is checked)
 *   channels     the channels in place, no subscriber: what every user pays
 *   bridge       CrateDBInstrumentation subscribed, recording into a tracer and meter of the SDK that drop the data
 *                (a span processor that exports nothing, a meter provider without readers): the bridge's own work
 * Reported as queries/s and as ratios to `removed`, whose spread says what counts as noise; and, since the machine is
 * shared and wall-clock rates swing with other load, as this process's CPU time per query (the server runs in a
 * process of its own, so its CPU is not counted), which is what the channels and the bridge add to.
 */
import { eq } from 'drizzle-orm';
import { BasicTracerProvider, NoopSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { CrateClient, drizzle } from '../src/index.js';
import { setChannelsEnabled } from '../src/driver/diagnostics.js';
import { CrateDBInstrumentation } from '../src/otel/index.js';
import { benchSmall } from './schema.js';
import { collectGarbage } from './memory.js';
import { ratio, summarize, timeBatch, type Ratio, type Summary, type Task } from './stats.js';

export const OBSERVABILITY_CONTENDERS = {
  removed: 'channels removed',
  channels: 'channels, no subscriber',
  bridge: 'OpenTelemetry bridge subscribed',
} as const;
type Contender = keyof typeof OBSERVABILITY_CONTENDERS;

export interface ObservabilityResults {
  title: string;
  iterations: number;
  rounds: number;
  /** queries/s per round. */
  figures: Record<Contender, Summary>;
  samples: Record<Contender, number[]>;
  ratios: { channelsVsRemoved: Ratio; bridgeVsRemoved: Ratio };
  /** This process's CPU µs per query, per round. */
  cpu: Record<Contender, Summary>;
  cpuSamples: Record<Contender, number[]>;
  /** CPU per query over `removed`'s: 1.00 is no cost. */
  cpuRatios: { channelsVsRemoved: Ratio; bridgeVsRemoved: Ratio };
  /** Interquartile spread of `removed` itself, in %: a ratio within 1 ± this is noise. */
  noisePct: number;
}

export async function benchObservability(url: string, options: { scale?: number; rounds?: number } = {}): Promise<ObservabilityResults> {
  const scale = options.scale ?? 1;
  const iterations = Math.max(50, Math.round(500 * scale));
  const rounds = options.rounds ?? 9;
  const db = drizzle({ client: new CrateClient({ servers: url }) });
  const prepared = db.select().from(benchSmall).where(eq(benchSmall.id, 1)).prepare('bench_observability');
  const instrumentation = new CrateDBInstrumentation({ enabled: false });
  instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [new NoopSpanProcessor()] }));
  instrumentation.setMeterProvider(new MeterProvider());
  // Each contender puts the switches its way before each query: both calls return at once when already so.
  const contenders: Record<Contender, Task> = {
    removed: () => {
      instrumentation.disable();
      setChannelsEnabled(false);
      return prepared.execute();
    },
    channels: () => {
      instrumentation.disable();
      setChannelsEnabled(true);
      return prepared.execute();
    },
    bridge: () => {
      setChannelsEnabled(true);
      instrumentation.enable();
      return prepared.execute();
    },
  };
  try {
    for (const [name, task] of Object.entries(contenders)) {
      const rows = (await task()) as unknown[];
      if (rows.length !== 1) throw new Error(`observability bench: ${name} got ${rows.length} rows`);
    }
    const names = Object.keys(contenders) as Contender[];
    for (let warmup = 0; warmup < 2; warmup++) for (const name of names) await timeBatch(contenders[name], iterations, 1);
    const samples = { removed: [], channels: [], bridge: [] } as Record<Contender, number[]>;
    const cpuSamples = { removed: [], channels: [], bridge: [] } as Record<Contender, number[]>;
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < names.length; i++) {
        // Each round starts with another contender (see stats.ts, interleave()).
        const name = names[(round + i) % names.length]!;
        collectGarbage();
        const cpuBefore = process.cpuUsage();
        const ms = await timeBatch(contenders[name], iterations, 1);
        const cpu = process.cpuUsage(cpuBefore);
        samples[name].push((iterations / ms) * 1000);
        cpuSamples[name].push((cpu.user + cpu.system) / iterations);
      }
    }
    const summaries = (values: Record<Contender, number[]>) =>
      Object.fromEntries(Object.entries(values).map(([name, series]) => [name, summarize(series)])) as Record<Contender, Summary>;
    const figures = summaries(samples);
    return {
      title: 'one-row prepared db.select(), 1 at a time, protocol server',
      iterations,
      rounds,
      figures,
      samples,
      ratios: { channelsVsRemoved: ratio(samples.channels, samples.removed), bridgeVsRemoved: ratio(samples.bridge, samples.removed) },
      cpu: summaries(cpuSamples),
      cpuSamples,
      cpuRatios: { channelsVsRemoved: ratio(cpuSamples.channels, cpuSamples.removed), bridgeVsRemoved: ratio(cpuSamples.bridge, cpuSamples.removed) },
      noisePct: figures.removed.spreadPct,
    };
  } finally {
    instrumentation.disable();
    setChannelsEnabled(true);
    await db.$client.close();
  }
}

export function observabilityText(results: ObservabilityResults): string {
  const fixed = (value: number) => value.toFixed(3);
  const lines = [`diagnostics channels and the OpenTelemetry bridge: ${results.title} (${results.iterations} queries × ${results.rounds} rounds)`];
  for (const [name, label] of Object.entries(OBSERVABILITY_CONTENDERS) as [Contender, string][]) {
    const figure = results.figures[name];
    const cpu = results.cpu[name];
    lines.push(
      `  ${label.padEnd(34)} ${Math.round(figure.median).toLocaleString('en-US').padStart(8)} queries/s (spread ${figure.spreadPct.toFixed(1)} %)` +
        `  ${cpu.median.toFixed(1).padStart(7)} µs CPU/query (spread ${cpu.spreadPct.toFixed(1)} %)`,
    );
  }
  const line = (label: string, rate: Ratio, cpu: Ratio) =>
    `  ${label.padEnd(34)} rate ${fixed(rate.value)} (rounds ${fixed(rate.roundP25)}-${fixed(rate.roundP75)}), CPU ${fixed(cpu.value)} (rounds ${fixed(cpu.roundP25)}-${fixed(cpu.roundP75)})`;
  lines.push(line('channels, no subscriber / removed', results.ratios.channelsVsRemoved, results.cpuRatios.channelsVsRemoved));
  lines.push(line('bridge / removed', results.ratios.bridgeVsRemoved, results.cpuRatios.bridgeVsRemoved));
  lines.push(`  noise: the spread of "removed" itself, ${results.noisePct.toFixed(1)} % in rate, ${results.cpu.removed.spreadPct.toFixed(1)} % in CPU`);
  return lines.join('\n');
}
