/**
 * Timing and summaries. The machine the bench runs on is shared (2 cores, other load), so single measurements mean
 * little: contenders take turns inside each round, every figure is a median over rounds, and the spread is reported
 * next to it so a reader can tell a real difference from noise.
 */

import { collectGarbage } from './memory.js';

export type Task = () => Promise<unknown>;

export interface Summary {
  median: number;
  p25: number;
  p75: number;
  min: number;
  max: number;
  /** Interquartile range as a percentage of the median: the noise to hold a difference against. */
  spreadPct: number;
  n: number;
}

function quantile(sorted: readonly number[], q: number): number {
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) throw new Error('summarize(): no values');
  const sorted = [...values].sort((a, b) => a - b);
  const median = quantile(sorted, 0.5);
  const p25 = quantile(sorted, 0.25);
  const p75 = quantile(sorted, 0.75);
  return { median, p25, p75, min: sorted[0]!, max: sorted.at(-1)!, spreadPct: median === 0 ? 0 : ((p75 - p25) / median) * 100, n: values.length };
}

/** `iterations` runs of `task`, `concurrency` at a time; resolves to the elapsed ms. */
export async function timeBatch(task: Task, iterations: number, concurrency: number): Promise<number> {
  const started = performance.now();
  let launched = 0;
  const lane = async (): Promise<void> => {
    while (launched++ < iterations) await task();
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, iterations) }, lane));
  return performance.now() - started;
}

export interface InterleaveOptions {
  iterations: number;
  concurrency: number;
  rounds: number;
  /** Untimed batches per contender before the first round (JIT, connection pools). */
  warmupBatches?: number;
}

/**
 * Batch times in ms, per contender and round. Each round runs every contender once, starting with a different one
 * each round, so a burst of outside load or a GC debt left by the previous contender does not always hit the same one.
 */
export async function interleave(contenders: Record<string, Task>, options: InterleaveOptions): Promise<Record<string, number[]>> {
  const names = Object.keys(contenders);
  const { iterations, concurrency, rounds, warmupBatches = 1 } = options;
  for (let i = 0; i < warmupBatches; i++) {
    for (const name of names) await timeBatch(contenders[name]!, iterations, concurrency);
  }
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < names.length; i++) {
      const name = names[(round + i) % names.length]!;
      // Each batch starts on a collected heap, so none pays for the garbage of the contender before it (10,000-row
      // results leave megabytes behind). The collection itself is not timed.
      collectGarbage();
      samples[name]!.push(await timeBatch(contenders[name]!, iterations, concurrency));
    }
  }
  return samples;
}

/** Units per second for each batch time. */
export function rates(batchMs: readonly number[], unitsPerBatch: number): number[] {
  return batchMs.map((ms) => (unitsPerBatch / ms) * 1000);
}

export interface Ratio {
  /** Ratio of the two medians: the headline figure. */
  value: number;
  /** Quartiles of the per-round ratios (both measured in the same round, so under the same load). */
  roundP25: number;
  roundP75: number;
}

/** `numerator / denominator` for two rate series sampled round by round. */
export function ratio(numerator: readonly number[], denominator: readonly number[]): Ratio {
  const perRound = numerator.map((value, i) => value / denominator[i]!);
  const rounds = summarize(perRound);
  return { value: summarize(numerator).median / summarize(denominator).median, roundP25: rounds.p25, roundP75: rounds.p75 };
}

export const round = (value: number, digits = 2): number => {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
};
