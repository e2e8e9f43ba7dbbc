/**
 * Peak client memory while a piece of work runs, over a baseline taken right after a full GC.
 *
 * Sampling is a 10 ms timer on the same event loop, so it cannot fire during a long synchronous step (serializing a
 * 5,000-row body, say); it fires right after, and since nothing is collected in between the heap is still as large,
 * so the peak is seen late rather than missed. A final sample after the work catches the last step.
 */

export interface MemoryPeak {
  /** Heap and RSS right after `gc()`, before the work, in MB. */
  baselineHeapMB: number;
  baselineRssMB: number;
  /** Highest heapUsed / rss seen during the work, minus the baseline, in MB. */
  peakHeapMB: number;
  peakRssMB: number;
  samples: number;
}

const MB = 1024 * 1024;

/** Full collection, twice: the first one may only promote what the second frees. Needs `node --expose-gc`. */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}

export async function withPeakMemory<T>(work: () => Promise<T>, intervalMs = 10): Promise<{ result: T; memory: MemoryPeak }> {
  collectGarbage();
  const baseline = process.memoryUsage();
  let peakHeap = baseline.heapUsed;
  let peakRss = baseline.rss;
  let samples = 0;
  const sample = (): void => {
    const usage = process.memoryUsage();
    if (usage.heapUsed > peakHeap) peakHeap = usage.heapUsed;
    if (usage.rss > peakRss) peakRss = usage.rss;
    samples++;
  };
  const timer = setInterval(sample, intervalMs);
  try {
    const result = await work();
    sample();
    return {
      result,
      memory: {
        baselineHeapMB: baseline.heapUsed / MB,
        baselineRssMB: baseline.rss / MB,
        peakHeapMB: (peakHeap - baseline.heapUsed) / MB,
        peakRssMB: (peakRss - baseline.rss) / MB,
        samples,
      },
    };
  } finally {
    clearInterval(timer);
  }
}
