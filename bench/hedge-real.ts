/**
 * `node --expose-gc --import tsx bench/hedge-real.ts`: bench/hedge.ts against a real single CrateDB started for the
 * run from CRATEDB_TARBALL or CRATEDB_HOME (src/testing), for machines without a CrateDB at CRATEDB_URL. Writes
 * bench/results.hedging.json like `BENCH_ONLY=hedging npm run bench`.
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { startCrateDB } from '../src/testing/index.js';
import { benchHedging, hedgingText } from './hedge.js';

const crate = await startCrateDB({ reuse: false });
try {
  const results = await benchHedging({ url: crate.url, server: 'cratedb', scale: process.env.BENCH_QUICK === '1' ? 0.25 : 1 });
  console.log(hedgingText(results));
  const file = fileURLToPath(new URL('./results.hedging.json', import.meta.url));
  await writeFile(file, `${JSON.stringify({ date: new Date().toISOString(), node: process.version, loadAverage: loadavg(), results }, null, 2)}\n`);
  console.log(`every figure in ${file}`);
} finally {
  await crate.stop();
}
