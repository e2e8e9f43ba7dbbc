/**
 * A watchdog per set of nodes, so that a test run that dies (SIGKILL, a crash, Ctrl-C before teardown) leaves no
 * CrateDB process and no data folder behind: a JVM outlives its Node.js parent otherwise. It is a small Node.js process of its
 * own, in a session of its own (so a terminal's Ctrl-C does not reach it). Every half second it checks that the
 * parent is alive and the folder still exists. When the parent is gone, it kills every process whose command line
 * names the folder (each node has `-Cpath.data=<folder>/...`) and removes the folder. When the folder is gone,
 * `stop()` has cleaned up, and it exits.
 *
 * The program is passed with `-e`, not as a file, so it runs the same from src/ under a test runner, from the ESM
 * build and from the CommonJS build.
 */
import { spawn } from 'node:child_process';

const PROGRAM = String.raw`
const { readdirSync, readFileSync, rmSync, existsSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const [parent, folder] = [Number(process.argv[1]), process.argv[2]];
const alive = (pid) => { try { process.kill(pid, 0); return true; } catch (e) { return e.code === 'EPERM'; } };
function holders() {
  const found = [];
  if (existsSync('/proc/self/cmdline')) {
    for (const entry of readdirSync('/proc')) {
      const pid = Number(entry);
      if (!Number.isInteger(pid) || pid === process.pid) continue;
      try { if (readFileSync('/proc/' + pid + '/cmdline', 'utf8').includes(folder)) found.push(pid); } catch {}
    }
  } else {
    try {
      for (const line of execFileSync('ps', ['-axww', '-o', 'pid=,command='], { encoding: 'utf8' }).split('\n')) {
        const m = /^\s*(\d+)\s+(.*)$/.exec(line);
        if (m && Number(m[1]) !== process.pid && m[2].includes(folder)) found.push(Number(m[1]));
      }
    } catch {}
  }
  return found;
}
function cleanUp() {
  for (let round = 0; round < 50; round++) {
    const pids = holders();
    if (pids.length === 0) break;
    for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch {} }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  try { rmSync(folder, { recursive: true, force: true, maxRetries: 3 }); } catch {}
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => { cleanUp(); process.exit(0); });
setInterval(() => {
  if (!existsSync(folder)) process.exit(0);
  if (!alive(parent)) { cleanUp(); process.exit(0); }
}, 500);
`;

export interface Watchdog {
  /** Ends the watchdog without cleaning up (`stop()` has done so). */
  dismiss(): void;
}

/** Starts the watchdog for `folder`, which every node's command line names. */
export function startWatchdog(folder: string): Watchdog {
  const child = spawn(process.execPath, ['-e', PROGRAM, String(process.pid), folder], {
    detached: true,
    stdio: 'ignore',
    // Node.js options of the test runner (loaders, inspectors) have no business here.
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  child.unref();
  return {
    dismiss() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
