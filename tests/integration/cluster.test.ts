/**
 * The driver on a real three-node CrateDB cluster with faults injected (issue 11): a node killed during 1,000 reads,
 * a node hung (SIGSTOP) under load, and connections reset by a proxy during 1,000 writes. See tests/support/cluster.ts
 * for how the cluster is found and controlled. Each test prints its figures as one `cluster-figures` JSON line.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { CrateClient, CrateDBError, type HedgeEvent } from '../../src/driver/index.js';
import { describeCluster, describeOwnCluster, startCluster, type Cluster } from '../support/cluster.js';
import { startResettingProxy } from '../support/tcp-proxy.js';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { CrateDBInstrumentation } from 'drizzle-cratedb/otel';

const READS = 1_000;
const ROWS = 1_000;
/**
 * The bounds documented in docs/connecting.md ("Clusters, failover and timeouts") with default options: a request sent to
 * the hung node moves on after probeAfter + probeTimeout (3 s); a statement a healthy node runs with a shard copy on
 * the hung node waits until CrateDB drops that node (its follower checks: about 30 s), then is retried.
 */
const HUNG_NODE_MOVE_ON_MS = 3_000;
const HUNG_NODE_BOUND_MS = 45_000;
/**
 * A table without replicas (docs/connecting.md, "Hedged reads"): its shards on a hung node can be read nowhere else. A
 * read waits until CrateDB drops the node (about 30 s, longer when the hung node is the master and a new one must be
 * elected first: 64 s measured), then its "shard not available" errors are retried for retryTimeout (10 s).
 */
const NO_REPLICA_BOUND_MS = 90_000;

let cluster: Cluster;
let admin: CrateClient;
const table = `cluster_reads_${process.pid}`;
const expectedSum = (ROWS * (ROWS - 1)) / 2;

function report(name: string, figures: Record<string, unknown>): void {
  console.log(`cluster-figures ${JSON.stringify({ test: name, ...figures })}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until every node answers, the cluster has three nodes, and every table is fully replicated. */
async function waitForHealthyCluster(timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const probes = cluster.urls.map((url) => new CrateClient({ servers: url, timeout: 2_000, retryTimeout: 0 }));
      try {
        const counts = await Promise.all(probes.map((client) => client.sql('SELECT count(*) FROM sys.nodes')));
        const health = await probes[0]!.sql("SELECT count(*) FROM sys.health WHERE health <> 'GREEN'");
        if (counts.every((result) => result.rows[0]![0] === 3) && health.rows[0]![0] === 0) return;
        last = `nodes ${counts.map((result) => result.rows[0]![0]).join('/')}, tables not green ${health.rows[0]![0]}`;
      } finally {
        await Promise.all(probes.map((client) => client.close()));
      }
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
    }
    await sleep(1_000);
  }
  throw new Error(`the cluster did not become healthy: ${last}`);
}

/**
 * Per read (the events' `read`), for reads hedged during the pause: how many copies they sent, hedges the budget held
 * back, and the five slowest reads' event lines, to see whether a slow read ran out of copies or of budget.
 */
function summarizeHedgeEvents(events: readonly (HedgeEvent & { at: number })[], from: number, to: number): Record<string, unknown> {
  const reads = new Map<number, (HedgeEvent & { at: number })[]>();
  for (const event of events) if (event.at >= from && event.at < to) reads.set(event.read, [...(reads.get(event.read) ?? []), event]);
  const copies: Record<number, number> = {};
  const skipped = { budget: 0, 'no-server': 0, busy: 0 };
  let slowest: { ms: number; lines: string[] }[] = [];
  for (const list of reads.values()) {
    const won = list.find((event) => event.type === 'won');
    const sent = list.filter((event) => event.type === 'sent').length + 1;
    copies[sent] = (copies[sent] ?? 0) + 1;
    for (const event of list) if (event.type === 'skipped') skipped[event.reason]++;
    const ms = won?.afterMs ?? Infinity;
    slowest.push({ ms, lines: list.map((event) => event.message) });
  }
  slowest = slowest.sort((a, b) => b.ms - a.ms).slice(0, 5);
  return { hedgedReads: reads.size, readsByCopies: copies, skipped, slowest };
}

/** 1-based position of the master node in the URL list. */
async function masterNode(): Promise<number> {
  const names = await nodeNames();
  const { rows } = await admin.sql('SELECT n.name FROM sys.cluster c JOIN sys.nodes n ON n.id = c.master_node');
  return names.indexOf(rows[0]![0] as string) + 1;
}

/** The node names, in the order of `cluster.urls`. */
function nodeNames(): Promise<string[]> {
  return Promise.all(
    cluster.urls.map(async (url) => {
      const client = new CrateClient({ servers: url });
      try {
        return (await client.serverInfo()).nodeName;
      } finally {
        await client.close();
      }
    }),
  );
}

/**
 * One read of three kinds in turn, each checked: an aggregate over every shard, a GROUP BY (executed in a
 * distributed phase on several nodes, the kind CrateDB kills when a participating node goes), a primary-key lookup.
 */
async function checkedRead(client: CrateClient, i: number): Promise<void> {
  const kind = i % 3;
  if (kind === 0) {
    const { rows } = await client.sql(`SELECT count(*), sum(id) FROM "${table}"`);
    if (rows[0]![0] !== ROWS || Number(rows[0]![1]) !== expectedSum) throw new Error(`wrong answer ${JSON.stringify(rows)}`);
  } else if (kind === 1) {
    const { rows } = await client.sql(`SELECT id % 100 AS g, count(*) AS n FROM "${table}" GROUP BY 1 ORDER BY 1`);
    if (rows.length !== 100 || rows.some(([g, n], index) => g !== index || n !== ROWS / 100)) throw new Error(`wrong groups (${rows.length})`);
  } else {
    const id = (i * 7919) % ROWS;
    const { rows } = await client.sql(`SELECT id, v FROM "${table}" WHERE id = ?`, [id]);
    if (rows.length !== 1 || rows[0]![0] !== id) throw new Error(`wrong row ${JSON.stringify(rows)}`);
  }
}

/** A node's place in the order of every shard's copies (see {@link copyOrderPlaces}). */
type Place = 'first' | 'middle' | 'last';

/**
 * Where each node (in the order of `cluster.urls`) sits in the order of every shard's copies. CrateDB (6.4.3 source) lists a shard's copies in the
 * master's HashMap order of node ids (RoutingTable.Builder.updateNodes iterating RoutingNodes), and a statement takes
 * copy number `seed mod copies` of every shard, one random seed per statement (RoutingProvider, Lists.rotate). With
 * one replica on three nodes, the first node's copies are all copy 0 and the last node's all copy 1: half of the seeds
 * avoid it. The middle node holds copy 0 of some shards and copy 1 of others: no seed avoids it, and every multi-shard
 * read needs it. Java's String.hashCode, spread and masked into a 16-bucket table, gives that order.
 */
async function copyOrderPlaces(): Promise<Place[]> {
  const names = await nodeNames();
  const { rows } = await admin.sql('SELECT id, name FROM sys.nodes');
  const idOf = new Map(rows.map(([id, name]) => [name as string, id as string]));
  const bucket = (id: string) => {
    let h = 0;
    for (let i = 0; i < id.length; i++) h = (Math.imul(h, 31) + id.charCodeAt(i)) | 0;
    return (h ^ (h >>> 16)) & 15;
  };
  // Nodes in one bucket keep the order they were put in the map, which this cannot see: the stable sort keeps theirs.
  const order = names.map((name, index) => ({ index, bucket: bucket(idOf.get(name)!) })).sort((a, b) => a.bucket - b.bucket);
  return names.map((_, index) => {
    const place = order.findIndex((entry) => entry.index === index);
    return place === 0 ? 'first' : place === order.length - 1 ? 'last' : 'middle';
  });
}

/**
 * `count` readers doing checkedRead in a loop until `stop()` (which resolves once each has finished its read): every
 * read's start, duration and outcome, and the first failures' messages.
 */
function loopingReaders(client: CrateClient, count: number) {
  const durations: { started: number; ms: number; ok: boolean }[] = [];
  const failures: string[] = [];
  let stopped = false;
  let reads = 0;
  const reader = async (): Promise<void> => {
    while (!stopped) {
      const started = performance.now();
      let ok = true;
      try {
        await checkedRead(client, reads++);
      } catch (error) {
        ok = false;
        if (failures.length < 10) failures.push(error instanceof Error ? error.message.slice(0, 300) : String(error));
      }
      durations.push({ started, ms: performance.now() - started, ok });
    }
  };
  const running = Array.from({ length: count }, reader);
  return {
    durations,
    failures,
    async stop(): Promise<void> {
      stopped = true;
      await Promise.all(running);
    },
  };
}

/** Checks that the control script did what it said: a killed node refuses connections, a paused one is silent. */
async function expectNodeState(node: number, state: 'dead' | 'silent'): Promise<void> {
  const client = new CrateClient({ servers: cluster.urls[node - 1]!, timeout: 1_000, retryTimeout: 0, probeAfter: 0 });
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const error = await client.serverInfo().then(
        () => undefined,
        (e: unknown) => e as CrateDBError,
      );
      if (state === 'dead' && error?.kind === 'connection') return;
      if (state === 'silent' && error?.kind === 'timeout') return;
      if (Date.now() > deadline) throw new Error(`node ${node} is not ${state} after the control script ran: ${error?.message ?? 'it answers'}`);
      await sleep(200);
    }
  } finally {
    await client.close();
  }
}

interface ReadRun {
  failed: number;
  failures: string[];
  longestMs: number;
  reads: number;
}

/** `count` reads over `concurrency` workers; `during(i)` runs when read i starts (not awaited by the read). */
async function readLoad(client: CrateClient, count: number, concurrency: number, during: (i: number) => void): Promise<ReadRun> {
  const run: ReadRun = { failed: 0, failures: [], longestMs: 0, reads: 0 };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      during(i);
      const started = performance.now();
      try {
        await checkedRead(client, i);
      } catch (error) {
        run.failed++;
        if (run.failures.length < 10) run.failures.push(error instanceof Error ? error.message.slice(0, 300) : String(error));
      }
      run.longestMs = Math.max(run.longestMs, performance.now() - started);
      run.reads++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return run;
}

/**
 * The node to pause: the one in the middle of the shard-copy order (see {@link copyOrderPlaces}), whose copies every
 * multi-shard read needs whatever CrateDB's per-statement seed, unless it is the master. A paused master stalls every
 * read on every node until a new one is elected, which no client can help; then one at an end of the order, which half
 * of the seeds avoid.
 */
async function worstNodeToPause(): Promise<{ node: number; master: number; place: Place }> {
  const master = await masterNode();
  const places = (await copyOrderPlaces()).map((place, index) => ({ node: index + 1, place }));
  const candidates = places.filter((entry) => entry.node !== master);
  const chosen = candidates.find((entry) => entry.place === 'middle') ?? candidates[0]!;
  return { node: chosen.node, master, place: chosen.place };
}

/**
 * 8 readers (checkedRead) and a writer on default options; the node {@link worstNodeToPause} names is paused 30 s.
 * Asserts that no read failed and that every write was applied once and reported as it ended; returns the figures of
 * the reads started in the pause, and prints them as `name`.
 */
async function hedgedPause(name: string) {
  const { node, master, place } = await worstNodeToPause();
  const writes = `cluster_hedge_writes_${process.pid}`;
  // No primary key: a write applied twice would show as two rows.
  await admin.sql(`CREATE TABLE "${writes}" (id INTEGER, v TEXT) CLUSTERED INTO 6 SHARDS WITH (number_of_replicas = '1')`);
  await waitForHealthyCluster();
  // Default options; the event hook only records, so that the slowest reads can be told apart in the figures.
  const events: (HedgeEvent & { at: number })[] = [];
  const client = new CrateClient({ servers: [...cluster.urls], hedge: { onEvent: (event) => events.push({ ...event, at: performance.now() }) } });
  const pauseMs = 30_000;
  let pausedAt = Infinity;
  let resumedAt = Infinity;
  let readers: ReturnType<typeof loopingReaders> | undefined;
  const outcomes = new Map<number, 'applied' | 'failed' | 'unknown'>();
  let stop = false;
  let nextWrite = 0;
  const writer = async (): Promise<void> => {
    while (!stop) {
      const id = nextWrite++;
      try {
        await client.sql(`INSERT INTO "${writes}" (id, v) VALUES (?, ?)`, [id, `write ${id}`]);
        outcomes.set(id, 'applied');
      } catch (error) {
        if (!(error instanceof CrateDBError)) throw error;
        outcomes.set(id, error.outcomeUnknown ? 'unknown' : 'failed');
      }
      await sleep(50);
    }
  };
  try {
    const writing = writer();
    readers = loopingReaders(client, 8);
    // Long enough for the hedge delay to learn the cluster's read latency.
    await sleep(5_000);
    const before = client.hedgeStats();
    await cluster.control('pause', node);
    pausedAt = performance.now();
    await sleep(pauseMs - (performance.now() - pausedAt));
    await cluster.control('resume', node);
    resumedAt = performance.now();
    const atResume = client.hedgeStats();
    await sleep(5_000);
    stop = true;
    await Promise.all([readers.stop(), writing]);
    const { durations, failures } = readers;
    await waitForHealthyCluster();
    await admin.sql(`REFRESH TABLE "${writes}"`);
    const { rows } = await admin.sql(`SELECT id, count(*) FROM "${writes}" GROUP BY id LIMIT 100000`);
    const stored = new Map(rows.map(([id, count]) => [id as number, Number(count)]));
    const during = durations.filter((d) => d.started >= pausedAt && d.started < resumedAt).map((d) => d.ms).sort((a, b) => a - b);
    const percentile = (p: number) => Math.round(during[Math.min(during.length - 1, Math.ceil((p / 100) * during.length) - 1)] ?? 0);
    const count = (kind: string) => [...outcomes.values()].filter((outcome) => outcome === kind).length;
    const figures = {
      node,
      master,
      place,
      reads: durations.length,
      failed: durations.filter((d) => !d.ok).length,
      failures,
      readsDuringPause: during.length,
      p50DuringPauseMs: percentile(50),
      p99DuringPauseMs: percentile(99),
      maxDuringPauseMs: Math.round(during.at(-1) ?? 0),
      over1500ms: during.filter((ms) => ms > 1_500).length,
      // When the slowest reads started, after the pause began: at its start (waiting for CrateDB to drop the node) or not.
      slowestReads: durations
        .filter((d) => d.started >= pausedAt && d.started < resumedAt)
        .sort((a, b) => b.ms - a.ms)
        .slice(0, 5)
        .map((d) => ({ startedAfterPauseMs: Math.round(d.started - pausedAt), ms: Math.round(d.ms) })),
      longestOverallMs: Math.round(Math.max(...durations.map((d) => d.ms))),
      hedgesBeforePause: before,
      hedgesDuringPause: { sent: atResume.sent - before.sent, won: atResume.won - before.won, deniedByBudget: atResume.deniedByBudget - before.deniedByBudget },
      hedges: client.hedgeStats(),
      writes: { applied: count('applied'), failed: count('failed'), outcomeUnknown: count('unknown') },
      appliedTwice: [...stored.values()].filter((n) => n > 1).length,
    };
    report(name, { ...figures, hedgeEvents: summarizeHedgeEvents(events, pausedAt, resumedAt) });
    if (process.env.HEDGE_EVENT_LOG) writeFileSync(process.env.HEDGE_EVENT_LOG, events.map((event) => `${Math.round(event.at - pausedAt)} ${event.message}`).join('\n'));
    // Without the stuck-mode budget, hedges tripped CrateDB's circuit breaker on the healthy nodes (539 failed reads
    // in one run): this is what the failure count guards.
    expect(failures).toEqual([]);
    expect(figures.failed).toBe(0);
    console.log(`${name}: node ${node} (${place} in the shard-copy order) paused; ${figures.readsDuringPause} reads started in the pause, median ${figures.p50DuringPauseMs} ms, p99 ${figures.p99DuringPauseMs} ms, max ${figures.maxDuringPauseMs} ms`);
    expect(figures.appliedTwice).toBe(0);
    for (const [id, outcome] of outcomes) {
      if (outcome === 'applied') expect(stored.get(id), `write ${id} reported applied`).toBe(1);
      if (outcome === 'failed') expect(stored.has(id), `write ${id} reported failed`).toBe(false);
    }
    return figures;
  } finally {
    stop = true;
    const stopping = readers?.stop();
    if (resumedAt === Infinity) await cluster.control('resume', node);
    await stopping;
    await client.close();
    await waitForHealthyCluster();
    await admin.sql(`DROP TABLE IF EXISTS "${writes}"`).catch(() => {});
  }
}

/**
 * A table without replicas, node 3 paused: a read of its shards from the two healthy nodes fails within `boundMs` with
 * CrateDB's "shard not available", and the error says that the table has no replica.
 */
async function noReplicaRead(name: string, boundMs: number): Promise<void> {
  const node = 3;
  const single = `cluster_no_replica_${process.pid}`;
  await admin.sql(`CREATE TABLE "${single}" (id INTEGER PRIMARY KEY) CLUSTERED INTO 6 SHARDS WITH (number_of_replicas = '0')`);
  await admin.bulk(`INSERT INTO "${single}" (id) VALUES (?)`, Array.from({ length: 600 }, (_, id) => [id]));
  await admin.sql(`REFRESH TABLE "${single}"`);
  await waitForHealthyCluster();
  const names = await nodeNames();
  const { rows: held } = await admin.sql(`SELECT count(*) FROM sys.shards WHERE table_name = ? AND node['name'] = ?`, [single, names[node - 1]]);
  // The two healthy nodes only: the question is what a read of the hung node's shards does, not a request to it.
  const client = new CrateClient({ servers: cluster.urls.filter((_, index) => index !== node - 1) });
  let pausedAt = Infinity;
  try {
    await cluster.control('pause', node);
    pausedAt = performance.now();
    const started = performance.now();
    const error = await client.sql(`SELECT count(*) FROM "${single}"`).then(
      () => undefined,
      (e: unknown) => e as CrateDBError,
    );
    const ms = Math.round(performance.now() - started);
    report(name, { node, shardsOnHungNode: held[0]![0], ms, kind: error?.kind, code: error?.serverCode, message: error?.message.slice(0, 600), hedges: client.hedgeStats() });
    expect(Number(held[0]![0])).toBeGreaterThan(0);
    expect(error).toBeInstanceOf(CrateDBError);
    expect(ms).toBeLessThan(boundMs);
    expect(error!.message).toMatch(/UnavailableShardsException|NoShardAvailableActionException/);
    expect(error!.message).toMatch(/if the table has no replica \(number_of_replicas = 0\)/);
  } finally {
    if (pausedAt !== Infinity) await cluster.control('resume', node);
    await client.close();
    await waitForHealthyCluster();
    await admin.sql(`DROP TABLE IF EXISTS "${single}"`).catch(() => {});
  }
}

/** Starts the cluster (with static node `settings`) and fills the reads' table: 6 shards, 1 replica. */
async function setUp(settings: Readonly<Record<string, string | number>> = {}): Promise<void> {
  cluster = await startCluster(settings);
  admin = new CrateClient({ servers: [...cluster.urls] });
  await waitForHealthyCluster();
  await admin.sql(`CREATE TABLE "${table}" (id INTEGER PRIMARY KEY, v TEXT) CLUSTERED INTO 6 SHARDS WITH (number_of_replicas = '1')`);
  await admin.bulk(
    `INSERT INTO "${table}" (id, v) VALUES (?, ?)`,
    Array.from({ length: ROWS }, (_, id) => [id, `row ${id}`]),
  );
  await admin.sql(`REFRESH TABLE "${table}"`);
  await waitForHealthyCluster();
}

async function tearDown(): Promise<void> {
  await admin?.sql(`DROP TABLE IF EXISTS "${table}"`).catch(() => {});
  await admin?.close();
  await cluster?.stop();
}

describeCluster('a three-node CrateDB cluster with faults', () => {
  beforeAll(() => setUp(), 600_000);
  afterAll(tearDown, 300_000);

  it('OpenTelemetry: a read that fails over from a killed node shows the node set aside and the resend in its span', async () => {
    const exporter = new InMemorySpanExporter();
    const instrumentation = new CrateDBInstrumentation({ enabled: false });
    instrumentation.setTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
    const node = ((await masterNode()) % 3) + 1;
    // The dead node first: round-robin starts there, so the read has to fail over.
    const client = new CrateClient({ servers: [cluster.urls[node - 1]!, ...cluster.urls.filter((_, i) => i !== node - 1)] });
    try {
      await cluster.control('kill', node);
      await expectNodeState(node, 'dead');
      instrumentation.enable();
      const { rows } = await client.sql(`SELECT count(*) FROM "${table}"`);
      instrumentation.disable();
      expect(rows).toEqual([[ROWS]]);
      const [span] = exporter.getFinishedSpans();
      const deadPort = Number(new URL(cluster.urls[node - 1]!).port);
      report('otel-failover', { node, events: span!.events.map((event) => event.name), attributes: span!.attributes });
      expect(exporter.getFinishedSpans()).toHaveLength(1);
      expect(span!.name).toBe(`SELECT ${table}`);
      expect(span!.attributes['server.port']).not.toBe(deadPort);
      // The dead node is set aside, then the read is sent again; a shard still being reallocated after the kill may
      // answer a transient error and take another resend, so each resend is one more attempt.
      const events = span!.events.map((event) => [event.name, event.attributes?.['server.port']]);
      expect(events[0]).toEqual(['cratedb.node-set-aside', deadPort]);
      const resends = events.filter(([name]) => name === 'cratedb.resend');
      expect(resends.length).toBeGreaterThanOrEqual(1);
      expect(resends.at(-1)).toEqual(['cratedb.resend', span!.attributes['server.port']]);
      expect(span!.attributes['cratedb.attempts']).toBe(resends.length + 1);
      expect(String(span!.events[0]!.attributes?.['cratedb.failover.reason'])).toMatch(/refused|connection/);
    } finally {
      instrumentation.disable();
      await client.close();
      await cluster.control('start', node);
      await waitForHealthyCluster();
    }
  }, 600_000);

  for (const [concurrency, victim] of [
    [1, 'a node that is not the master'],
    [8, 'the master'],
  ] as const) {
    it(`a node is killed during ${READS} reads (${concurrency} in flight), killing ${victim}: no read fails`, async () => {
      const master = await masterNode();
      const node = concurrency === 1 ? (master % 3) + 1 : master;
      const client = new CrateClient({ servers: [...cluster.urls] });
      let killed: Promise<void> | undefined;
      try {
        const run = await readLoad(client, READS, concurrency, (i) => {
          if (i === 200) killed = cluster.control('kill', node).then(() => expectNodeState(node, 'dead'));
        });
        await killed;
        report(`kill-${concurrency}`, { node, master, ...run });
        expect(run.failures).toEqual([]);
        expect(run.failed).toBe(0);
      } finally {
        await client.close();
        await cluster.control('start', node);
        await waitForHealthyCluster();
      }
    }, 600_000);
  }

  it(`a node hangs (SIGSTOP) under 8 reads in flight: no read waits past ${HUNG_NODE_BOUND_MS / 1000} s, and reads succeed elsewhere`, async () => {
    const master = await masterNode();
    const node = (master % 3) + 1;
    const client = new CrateClient({ servers: [...cluster.urls] });
    const pauseMs = 40_000;
    let pausedAt = Infinity;
    let resumedAt = Infinity;
    const movedOnMs: number[] = [];
    const readers = loopingReaders(client, 8);
    const { durations, failures } = readers;
    try {
      await sleep(3_000);
      await cluster.control('pause', node);
      pausedAt = performance.now();
      await expectNodeState(node, 'silent');
      // A statement without a table, from a new client whose first server is the hung node: how long it takes to
      // move on, free of any wait for shards.
      const other = cluster.urls[node % 3]!;
      for (let i = 0; i < 5; i++) {
        const fresh = new CrateClient({ servers: [cluster.urls[node - 1]!, other] });
        const started = performance.now();
        await fresh.sql('SELECT 1');
        movedOnMs.push(Math.round(performance.now() - started));
        await fresh.close();
      }
      await sleep(pauseMs - (performance.now() - pausedAt));
      await cluster.control('resume', node);
      resumedAt = performance.now();
      await sleep(10_000);
      await readers.stop();
      const during = durations.filter((d) => d.started >= pausedAt && d.started < resumedAt);
      const figures = {
        node,
        master,
        reads: durations.length,
        failed: durations.filter((d) => !d.ok).length,
        failures,
        longestMs: Math.round(Math.max(...durations.map((d) => d.ms))),
        readsDuringPause: during.length,
        succeededDuringPause: during.filter((d) => d.ok).length,
        // Reads that started within the pause and ended within it, i.e. served without waiting for the node.
        servedWhilePaused: during.filter((d) => d.ok && d.started + d.ms < resumedAt).length,
        over3s: durations.filter((d) => d.ms > 3_100).length,
        movedOnMs,
      };
      report('pause', figures);
      for (const ms of movedOnMs) expect(ms).toBeLessThan(HUNG_NODE_MOVE_ON_MS + 500);
      expect(figures.longestMs).toBeLessThan(HUNG_NODE_BOUND_MS);
      expect(figures.servedWhilePaused).toBeGreaterThan(0);
      expect(failures).toEqual([]);
    } finally {
      const stopping = readers.stop();
      if (resumedAt === Infinity) await cluster.control('resume', node);
      await stopping;
      await client.close();
      await waitForHealthyCluster();
    }
  }, 600_000);

  it('hedged reads, CrateDB\'s default fault detection: a node paused 30 s under 8 readers on default options (the middle of the shard-copy order unless that is the master): no read fails (the hedge budget keeps the healthy nodes out of their circuit breakers), no write is applied twice; the latency of reads started in the pause is printed', async () => {
    // Latency is printed, not asserted: a multi-shard read that needs the paused node's shard copies waits on every
    // healthy node until CrateDB drops the node (follower checks: about 30 s), and when the paused node is in the middle
    // of the shard-copy order, every such read needs them, whichever node and whenever it is sent (docs/connecting.md,
    // "Hedged reads"). The suite below shows the latencies with CrateDB's fault detection shortened.
    await hedgedPause('hedged-pause');
  }, 600_000);

  it(`a table without replicas: a read needing the hung node's shards waits the documented bound (${NO_REPLICA_BOUND_MS / 1000} s), and the error says the table has no replica`, async () => {
    await noReplicaRead('no-replica', NO_REPLICA_BOUND_MS);
  }, 600_000);

  it('connections are reset during 1,000 writes: each write is applied at most once and reported as it ended', async () => {
    const writes = `cluster_writes_${process.pid}`;
    // No primary key: a write applied twice would show as two rows.
    await admin.sql(`CREATE TABLE "${writes}" (id INTEGER, v TEXT) CLUSTERED INTO 6 SHARDS WITH (number_of_replicas = '1')`);
    await waitForHealthyCluster();
    const proxies = await Promise.all(cluster.urls.map((target, index) => startResettingProxy({ target, resetRate: 0.05, seed: index + 1 })));
    const client = new CrateClient({ servers: proxies.map((proxy) => proxy.url) });
    const outcomes: ('applied' | 'failed' | 'unknown')[] = new Array(READS);
    try {
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < READS) {
          const id = next++;
          try {
            await client.sql(`INSERT INTO "${writes}" (id, v) VALUES (?, ?)`, [id, `write ${id}`]);
            outcomes[id] = 'applied';
          } catch (error) {
            if (!(error instanceof CrateDBError)) throw error;
            outcomes[id] = error.outcomeUnknown ? 'unknown' : 'failed';
          }
        }
      };
      await Promise.all(Array.from({ length: 8 }, worker));
      await admin.sql(`REFRESH TABLE "${writes}"`);
      const { rows } = await admin.sql(`SELECT id, count(*) FROM "${writes}" GROUP BY id LIMIT 10000`);
      const stored = new Map(rows.map(([id, count]) => [id as number, Number(count)]));
      const count = (kind: string) => outcomes.filter((outcome) => outcome === kind).length;
      const unknownApplied = outcomes.filter((outcome, id) => outcome === 'unknown' && stored.has(id)).length;
      const figures = {
        applied: count('applied'),
        failed: count('failed'),
        outcomeUnknown: count('unknown'),
        outcomeUnknownThatWereApplied: unknownApplied,
        appliedTwice: [...stored.values()].filter((n) => n > 1).length,
        resets: proxies.map((proxy) => proxy.resets),
      };
      report('writes', figures);
      expect(figures.appliedTwice).toBe(0);
      expect(figures.applied + figures.failed + figures.outcomeUnknown).toBe(READS);
      for (const [id, outcome] of outcomes.entries()) {
        if (outcome === 'applied') expect(stored.get(id), `write ${id} reported applied`).toBe(1);
        if (outcome === 'failed') expect(stored.has(id), `write ${id} reported failed`).toBe(false);
      }
      expect(proxies.reduce((sum, proxy) => sum + proxy.resets.beforeServer + proxy.resets.beforeResponse + proxy.resets.midResponse, 0)).toBeGreaterThan(0);
    } finally {
      await client.close();
      await Promise.all(proxies.map((proxy) => proxy.close()));
      await admin.sql(`DROP TABLE IF EXISTS "${writes}"`).catch(() => {});
    }
  }, 600_000);
});

/**
 * CrateDB's fault detection (follower and leader checks, and the publication timeout: static node settings from
 * Elasticsearch; CrateDB 6.4.3 takes them as `-C` options or in crate.yml) is what bounds a hung node's cost: a check
 * every 500 ms, failed after 500 ms without an answer, the node dropped after 2 failed checks in a row, instead of
 * every 1 s, 10 s and 3 (about 30 s).
 * docs/connecting.md, "Hedged reads", gives the trade-off.
 */
const SHORT_FAULT_DETECTION = {
  'cluster.fault_detection.follower_check.interval': '500ms',
  'cluster.fault_detection.follower_check.timeout': '500ms',
  'cluster.fault_detection.follower_check.retry_count': 2,
  'cluster.fault_detection.leader_check.interval': '500ms',
  'cluster.fault_detection.leader_check.timeout': '500ms',
  'cluster.fault_detection.leader_check.retry_count': 2,
  // A new master's first cluster state waits this long for the paused old master before the next one (which drops
  // it) can go out: measured with the master paused, 25.5 s at the default (30 s), 4.3 s at 2 s.
  'cluster.publish.timeout': '2s',
};
/**
 * The no-replica bound with the checks above: the node dropped within about 2 s (longer when it is the master: a new
 * one is elected first), then the "shard not available" answers retried for retryTimeout (10 s).
 */
const SHORT_NO_REPLICA_BOUND_MS = 25_000;
/** Issue 23's targets for reads started while a node is paused. */
const PAUSE_P99_MS = 1_500;
const PAUSE_MAX_MS = 3_000;

describeOwnCluster('a three-node CrateDB cluster whose fault detection is shortened', () => {
  beforeAll(() => setUp(SHORT_FAULT_DETECTION), 600_000);
  afterAll(tearDown, 300_000);

  it(`hedged reads: a node paused 30 s under 8 readers on default options (the middle of the shard-copy order unless that is the master): reads started in the pause answer with a p99 of at most ${PAUSE_P99_MS} ms and within ${PAUSE_MAX_MS} ms, none fails, no write is applied twice`, async () => {
    const figures = await hedgedPause('hedged-pause-short-fault-detection');
    expect(figures.readsDuringPause).toBeGreaterThan(0);
    expect(figures.p99DuringPauseMs).toBeLessThanOrEqual(PAUSE_P99_MS);
    expect(figures.maxDuringPauseMs).toBeLessThanOrEqual(PAUSE_MAX_MS);
  }, 600_000);

  it(`a table without replicas: a read needing the hung node's shards fails within ${SHORT_NO_REPLICA_BOUND_MS / 1000} s, and the error says the table has no replica`, async () => {
    await noReplicaRead('no-replica-short-fault-detection', SHORT_NO_REPLICA_BOUND_MS);
  }, 600_000);
});
