/**
 * CrateDB as plain processes from an unpacked release (`bin/crate`), one node or a cluster on loopback: the path
 * for machines without Docker. Each node gets free HTTP, PostgreSQL and transport ports and its own data and log
 * folders under one temporary folder, which `stop()` removes, and which a watchdog removes if this process dies
 * first. A node's console output is read all along (a child writing into a full pipe would block) and its last
 * lines go into every error about it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { CrateRuntimeError } from '../shared/errors.js';
import type { NodeUser } from './node-user.js';
import { freePorts } from './ports.js';
import type { CrateTestNode, NodesPlan } from './node.js';
import { startWatchdog } from './watchdog.js';

export interface ProcessPlan extends NodesPlan {
  /** The unpacked CrateDB: the folder holding `bin/crate`. */
  home: string;
  /** The account to run as, when this process is root. */
  user: NodeUser | undefined;
}

export interface StartedProcesses {
  nodes: ProcessNode[];
  /** The temporary folder holding every node's data and logs. */
  folder: string;
  stop(): Promise<void>;
}

interface Ports {
  http: number;
  psql: number;
  transport: number;
}

/** Lines in a node's console output that mean it will never serve: it cannot bind a port, or it failed to start. */
const BIND_FAILURE = /Bind\w*Exception|Address already in use|Failed to bind/;
const STARTUP_FAILURE = /StartupException|uncaught exception in thread \[main\]|Could not create the Java Virtual Machine|Error opening log file/;

const LOG_LINES_KEPT = 60;
const LOG_LINES_SHOWN = 25;

/** Why a node did not come up; `bind` failures on ports chosen here are worth another try on new ports. */
class NodeStartFailure extends CrateRuntimeError {
  constructor(
    message: string,
    readonly bind: boolean,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * One request to a node's HTTP port on loopback, on a connection of its own that is closed after it: the status and
 * the body, or undefined when the node does not answer within `timeout` (readiness checks only wait and ask again).
 */
function ask(port: number, timeout: number, stmt?: string): Promise<{ status: number | undefined; text: string } | undefined> {
  return new Promise((resolve) => {
    const headers = { connection: 'close', ...(stmt === undefined ? {} : { 'content-type': 'application/json' }) };
    const req = request({ host: '127.0.0.1', port, path: stmt === undefined ? '/' : '/_sql', method: stmt === undefined ? 'GET' : 'POST', agent: false, timeout, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode, text }));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(undefined));
    req.end(stmt === undefined ? undefined : JSON.stringify({ stmt }));
  });
}

/** The rows of one statement, for readiness checks; undefined on any failure. */
async function queryRows(port: number, stmt: string): Promise<unknown[][] | undefined> {
  const answer = await ask(port, 5_000, stmt);
  if (answer?.status !== 200) return undefined;
  try {
    return (JSON.parse(answer.text) as { rows: unknown[][] }).rows;
  } catch {
    return undefined;
  }
}

export class ProcessNode implements CrateTestNode {
  readonly name: string;
  readonly #ports: Ports;
  #child: ChildProcess | undefined;
  #exited: Promise<void> = Promise.resolve();
  readonly #log: string[] = [];
  /** Set when the process could not be spawned at all (EACCES, ENOENT). */
  #spawnError: Error | undefined;
  /** Lines logged since the last spawn, including those no longer kept. */
  #logged = 0;
  readonly #launch: () => ChildProcess;
  readonly #startupTimeout: number;

  constructor(name: string, ports: Ports, startupTimeout: number, launch: () => ChildProcess) {
    this.name = name;
    this.#ports = ports;
    this.#startupTimeout = startupTimeout;
    this.#launch = launch;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#ports.http}`;
  }

  get ports(): Readonly<Ports> {
    return this.#ports;
  }

  /** The JVM's process id while it runs (`bin/crate` ends in `exec`, so this is the JVM, not a shell). */
  get pid(): number | undefined {
    return this.#running ? this.#child?.pid : undefined;
  }

  get #running(): boolean {
    return this.#child !== undefined && this.#spawnError === undefined && this.#child.exitCode === null && this.#child.signalCode === null;
  }

  /** The node's last console lines, oldest first. */
  logTail(lines = LOG_LINES_SHOWN): string[] {
    return this.#log.slice(-lines);
  }

  /** Spawns the node; `ready()` waits for it to serve. */
  spawn(): void {
    const child = this.#launch();
    this.#child = child;
    // A program that forgets stop() still ends; its exit handler (or the watchdog) then stops the node.
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as { unref?: () => void } | null)?.unref?.();
    this.#spawnError = undefined;
    this.#exited = new Promise((resolve) => {
      // 'exit', not 'close': the output pipes are unreferenced, so nothing would keep the loop alive until they close.
      child.once('exit', () => resolve());
      // Without a listener, a failed spawn would be thrown at the event loop; here it ends the start with the reason.
      child.once('error', (error) => {
        this.#spawnError = error;
        this.#log.push(`could not run bin/crate: ${error.message}`);
        resolve();
      });
    });
    for (const stream of [child.stdout, child.stderr]) {
      if (!stream) continue;
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        this.#log.push(line);
        this.#logged++;
        if (this.#log.length > LOG_LINES_KEPT) this.#log.splice(0, this.#log.length - LOG_LINES_KEPT);
      });
    }
  }

  /**
   * Resolves when the node answers `GET /` with 200 (503 means it has not joined a cluster with a master yet).
   * Rejects, with the node's last log lines, when it exits, logs a failure to bind or start, or runs out of time;
   * the node is killed then.
   */
  async ready(): Promise<void> {
    const deadline = Date.now() + this.#startupTimeout;
    let scanned = 0;
    for (;;) {
      const fresh = this.#log.slice(Math.max(0, scanned - (this.#logged - this.#log.length)));
      scanned = this.#logged;
      if (fresh.some((line) => BIND_FAILURE.test(line) || STARTUP_FAILURE.test(line))) {
        // The cause follows the first line of a stack trace: read a little more before judging.
        await sleep(500);
        const bind = this.#log.some((line) => BIND_FAILURE.test(line));
        // A node that cannot bind its HTTP port keeps running, holding its other ports: only its log tells.
        await this.#forceStop();
        throw this.#failure(bind ? 'could not bind its ports' : 'failed to start', bind);
      }
      if (!this.#running) {
        await this.#untilExit();
        const how = this.#spawnError ? `could not be run (${this.#spawnError.message})` : `exited during startup (${this.#child?.signalCode ?? `exit code ${this.#child?.exitCode}`})`;
        throw this.#failure(how, false);
      }
      if ((await ask(this.#ports.http, 1_000))?.status === 200) return;
      if (Date.now() > deadline) {
        await this.#forceStop();
        throw this.#failure(`did not answer GET / with 200 within ${Math.round(this.#startupTimeout / 1000)} s`, false);
      }
      await sleep(250);
    }
  }

  #failure(what: string, bind: boolean): NodeStartFailure {
    const { http, psql, transport } = this.#ports;
    const tail = this.logTail();
    return new NodeStartFailure(
      `CrateDB node ${this.name} (HTTP ${http}, PostgreSQL ${psql}, transport ${transport}) ${what}.` +
        (tail.length ? ` Its last log lines:\n${tail.map((line) => `  ${line}`).join('\n')}` : ' It wrote no log lines.'),
      bind,
    );
  }

  async #forceStop(): Promise<void> {
    if (this.#running) this.#child!.kill('SIGKILL');
    await this.#untilExit();
  }

  /** Waits for the process to end, holding the event loop open meanwhile (the child is unreferenced otherwise). */
  async #untilExit(): Promise<void> {
    this.#child?.ref();
    await this.#exited;
  }

  async kill(): Promise<void> {
    if (!this.#running) throw new CrateRuntimeError(`kill(): CrateDB node ${this.name} is not running`);
    await this.#forceStop();
  }

  /** Starts a killed (or stopped) node again on the same ports and data; resolves when it answers. */
  async start(): Promise<void> {
    if (this.#running) throw new CrateRuntimeError(`start(): CrateDB node ${this.name} is already running; kill() it first`);
    this.#log.length = 0;
    this.#logged = 0;
    this.spawn();
    await this.ready();
  }

  async pause(): Promise<void> {
    if (!this.#running) throw new CrateRuntimeError(`pause(): CrateDB node ${this.name} is not running`);
    this.#child!.kill('SIGSTOP');
  }

  async resume(): Promise<void> {
    if (!this.#running) throw new CrateRuntimeError(`resume(): CrateDB node ${this.name} is not running`);
    this.#child!.kill('SIGCONT');
  }

  /** SIGTERM (after SIGCONT, in case it is paused), then SIGKILL if it has not ended within `grace` ms. */
  async stop(grace = 10_000): Promise<void> {
    if (!this.#running) return this.#untilExit();
    this.#child!.kill('SIGCONT');
    this.#child!.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    const ended = await Promise.race([
      this.#untilExit().then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
    ]);
    // Not left pending: it would hold a finished program open for the whole grace period.
    clearTimeout(timer);
    if (!ended) await this.#forceStop();
  }

  /** For an exit handler: no waiting. */
  killNow(): void {
    if (this.#running) this.#child!.kill('SIGKILL');
  }
}

function nodeSettings(plan: ProcessPlan, folder: string, names: string[], ports: Ports[], clusterName: string, index: number): string[] {
  const own = ports[index]!;
  const nodeFolder = join(folder, names[index]!);
  const settings: Record<string, string | number | boolean> = {
    'cluster.name': clusterName,
    'node.name': names[index]!,
    'network.host': '127.0.0.1',
    'http.port': own.http,
    'psql.port': own.psql,
    'transport.tcp.port': own.transport,
    'path.data': join(nodeFolder, 'data'),
    'path.logs': join(nodeFolder, 'logs'),
    // A test machine's disk may be fuller than a server's; the watermarks would block writes.
    'cluster.routing.allocation.disk.threshold_enabled': false,
    ...(plan.nodes === 1
      ? { 'discovery.type': 'single-node' }
      : {
          'discovery.seed_hosts': ports.map((port) => `127.0.0.1:${port.transport}`).join(','),
          'cluster.initial_master_nodes': names.join(','),
        }),
    ...plan.settings,
  };
  return Object.entries(settings).map(([key, value]) => `-C${key}=${String(value)}`);
}

/** Checks, as the nodes' user, that it can run `bin/crate` (every folder above must be searchable by it). */
function checkUserCanRun(home: string, user: NodeUser): void {
  const bin = join(home, 'bin', 'crate');
  const java = join(home, 'jdk', 'bin', 'java');
  const probe = spawnSync('/bin/sh', ['-c', 'test -x "$1" && test -r "$2" && test -x "$3"', 'sh', bin, join(home, 'lib'), java], {
    uid: user.uid,
    gid: user.gid,
    stdio: 'ignore',
  });
  if (probe.status !== 0) {
    throw new CrateRuntimeError(
      `User ${user.name} (uid ${user.uid}) cannot run ${bin}: it and every folder above it must be readable by that user. ` +
        'Unpack CrateDB where it can read it (CRATEDB_CACHE_DIR names where tarballs and downloads are unpacked), or name another user in CRATEDB_USER.',
    );
  }
}

export async function startProcesses(plan: ProcessPlan): Promise<StartedProcesses> {
  if (process.platform === 'win32') {
    // No SIGSTOP or SIGKILL semantics, and bin/crate.bat needs a shell: the controls could not keep their promise.
    throw new CrateRuntimeError('drizzle-cratedb/testing runs CrateDB as processes on Linux and macOS only; on Windows set CRATEDB_URL, or use Docker');
  }
  const bin = join(plan.home, 'bin', 'crate');
  if (!existsSync(bin)) throw new CrateRuntimeError(`${plan.home} is not an unpacked CrateDB: it has no ${join('bin', 'crate')}`);
  if (plan.user) checkUserCanRun(plan.home, plan.user);

  const folder = mkdtempSync(join(tmpdir(), 'drizzle-cratedb-'));
  const owned = (path: string) => {
    mkdirSync(path, { recursive: true });
    if (plan.user) chownSync(path, plan.user.uid, plan.user.gid);
  };
  owned(folder);
  const watchdog = startWatchdog(folder);
  const names = Array.from({ length: plan.nodes }, (_, index) => `crate${index + 1}`);
  const clusterName = `drizzle-cratedb-${Math.random().toString(36).slice(2, 10)}`;
  let nodes: ProcessNode[] = [];

  const onExit = () => {
    for (const node of nodes) node.killNow();
    rmSync(folder, { recursive: true, force: true });
  };
  process.once('exit', onExit);

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      process.removeListener('exit', onExit);
      await Promise.all(nodes.map((node) => node.stop()));
      rmSync(folder, { recursive: true, force: true, maxRetries: 3 });
      watchdog.dismiss();
    })());

  const choosePorts = async (): Promise<Ports[]> => {
    const free = await freePorts(plan.nodes * 3, new Set(plan.hostPorts ?? []));
    return names.map((_, index) => ({
      http: plan.hostPorts?.[index] ?? free[index * 3]!,
      psql: free[index * 3 + 1]!,
      transport: free[index * 3 + 2]!,
    }));
  };

  try {
    const attempts = 3;
    for (let attempt = 1; ; attempt++) {
      const ports = await choosePorts();
      nodes = names.map((name, index) => {
        const nodeFolder = join(folder, name);
        owned(join(nodeFolder, 'data'));
        owned(join(nodeFolder, 'logs'));
        return new ProcessNode(name, ports[index]!, plan.startupTimeout, () => {
          const args = nodeSettings(plan, folder, names, ports, clusterName, index);
          const env: NodeJS.ProcessEnv = {
            ...process.env,
            CRATE_HEAP_SIZE: plan.heapSize,
            // The GC log goes under the install folder by default, which the nodes' user may not be able to write.
            CRATE_DISABLE_GC_LOGGING: '1',
          };
          delete env.CRATE_CLASSPATH; // bin/crate refuses to start with it set
          if (plan.user) env.HOME = nodeFolder;
          return spawn(bin, args, {
            cwd: nodeFolder,
            env,
            stdio: ['ignore', 'pipe', 'pipe'],
            // A group of its own: a terminal's Ctrl-C reaches the test run, whose teardown stops the node.
            detached: true,
            ...(plan.user ? { uid: plan.user.uid, gid: plan.user.gid } : {}),
          });
        });
      });
      for (const node of nodes) node.spawn();
      const results = await Promise.allSettled(nodes.map((node) => node.ready()));
      const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
      if (failures.length === 0) break;
      await Promise.all(nodes.map((node) => node.stop(2_000)));
      const bindOnly = failures.every((failure) => failure instanceof NodeStartFailure && failure.bind);
      // Ports chosen here can be taken by someone else before a node binds them: choose again.
      if (bindOnly && plan.hostPorts === undefined && attempt < attempts) continue;
      throw failures[0];
    }
    if (plan.nodes > 1) await waitForCluster(nodes, plan.startupTimeout);
    return { nodes, folder, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Every node answers; this waits until the first one sees all of them in `sys.nodes`. */
async function waitForCluster(nodes: ProcessNode[], timeout: number): Promise<void> {
  const deadline = Date.now() + timeout;
  let seen: unknown;
  while (Date.now() < deadline) {
    const rows = await queryRows(nodes[0]!.ports.http, 'SELECT count(*) FROM sys.nodes');
    seen = rows?.[0]?.[0];
    if (seen === nodes.length) return;
    await sleep(250);
  }
  throw new CrateRuntimeError(`The ${nodes.length} CrateDB nodes did not form one cluster within ${Math.round(timeout / 1000)} s (the first sees ${String(seen ?? 'no')} node(s))`);
}
