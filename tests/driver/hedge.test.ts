/**
 * Hedged reads (issue 23): a read that has not answered after the hedge delay is sent to another healthy server too,
 * the first answer wins and the other copy is aborted. Against in-process protocol servers; a paused server is a hung
 * node. Bounds are generous: without hedging, each of these reads would wait for its 30 s timeout.
 */
import diagnostics_channel from 'node:diagnostics_channel';
import { describe, expect, it } from 'vitest';
import type { CrateFailoverEvent } from '../../src/driver/diagnostics.js';
import { CrateClient, CrateConnectionError, parseConnectionString, type CursorBatch } from '../../src/driver/index.js';
import { Hedger, DEFAULT_HEDGE_CONFIG, type HedgeEvent } from '../../src/driver/hedge.js';
import { ServerHealth } from '../../src/driver/servers.js';
import { CrateConfigError } from '../../src/shared/errors.js';
import { cursorHandler } from '../support/cursor-server.js';
import { fleet } from '../support/fleet.js';
import { blobHandler, replies, type ProtocolServer } from '../support/protocol-server.js';
import { currentTransport, onlyOn } from '../support/transport.js';

const { servers, clientFor } = fleet();

/** Far below the 30 s a hung read would otherwise wait; far above a hedge delay of 100-200 ms on a loaded machine. */
const ANSWERED_BY_HEDGE_MS = 5_000;
/** No probe, a long deadline: only a hedge can rescue a read from a hung server. */
const NO_RESCUE = { probeAfter: 0, timeout: 30_000 } as const;

async function timed<T>(work: Promise<T>): Promise<{ value: T | undefined; error: unknown; ms: number }> {
  const started = performance.now();
  try {
    return { value: await work, error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { value: undefined, error, ms: performance.now() - started };
  }
}

async function until(condition: () => boolean, ms = 3_000): Promise<boolean> {
  const deadline = performance.now() + ms;
  while (!condition() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  return condition();
}

const posted = (server: ProtocolServer) => server.requests.filter((request) => request.method === 'POST');

/**
 * A hung first server and two more whose first copy of SELECT 2 is answered "a participating node left" (as CrateDB
 * answers when it drops a hung node) and every later one with a row count; `copiesOfTwo()` counts the copies.
 */
async function hungAndNodeLeftOnce(): Promise<{ urls: string[]; copiesOfTwo: () => number }> {
  const [hung, b, c] = await servers(3);
  hung!.pause();
  let copies = 0;
  for (const node of [b!, c!]) {
    node.handle((request) => {
      if (request.stmt !== 'SELECT 2') return request.method === 'POST' ? replies.rowCount(1) : replies.mainInfo();
      return ++copies === 1 ? replies.error(5005, 'JobKilledException[Job killed. Participating node x3Qn7QfGQmWp3pD1Yq0J3A disconnected]') : replies.rowCount(1);
    });
  }
  return { urls: [hung!.url, b!.url, c!.url], copiesOfTwo: () => copies };
}

describe('hedged reads', () => {
  it('a read on a hung server is answered by the hedge, and the hung copy is aborted', async () => {
    const [hung, healthy] = await servers(2);
    hung!.pause();
    const events: HedgeEvent[] = [];
    const client = clientFor([hung!.url, healthy!.url], { ...NO_RESCUE, hedge: { maxDelay: 200, onEvent: (event) => events.push(event) } });
    const { value, ms } = await timed(client.sql('SELECT 1'));
    expect(value?.rowCount).toBe(1);
    expect(ms).toBeLessThan(ANSWERED_BY_HEDGE_MS);
    // Cold start: no latencies seen yet, so the delay is the ceiling.
    expect(ms).toBeGreaterThanOrEqual(200 - 5);
    expect(healthy!.statements()).toEqual(['SELECT 1']);
    expect(client.hedgeStats()).toMatchObject({ reads: 1, sent: 1, won: 1 });
    // The losing copy's HTTP request was aborted: the hung server sees its connection closed.
    expect(await until(() => hung!.abandoned.length === 1)).toBe(true);
    expect(hung!.abandoned[0]!.stmt).toBe('SELECT 1');
    expect(events.map((event) => event.type)).toEqual(['sent', 'won']);
    expect(events[0]).toMatchObject({ type: 'sent', server: healthy!.url, first: hung!.url, copy: 1 });
    expect(events[1]).toMatchObject({ type: 'won', server: healthy!.url, copy: 1, copies: 2 });
    expect(events[1]!.message).toMatch(/answered after \d+ ms by hedge 1 .* 1 other copy aborted/);
  });

  it('hedges are published on the drizzle-cratedb:failover channel, by host:port, with no URL or message', async () => {
    const [hung, healthy] = await servers(2);
    hung!.pause();
    const published: CrateFailoverEvent[] = [];
    const listen = (message: unknown) => void published.push(message as CrateFailoverEvent);
    diagnostics_channel.subscribe('drizzle-cratedb:failover', listen);
    try {
      const client = clientFor([hung!.url, healthy!.url], { ...NO_RESCUE, hedge: { maxDelay: 200 } });
      await client.sql('SELECT 1');
    } finally {
      diagnostics_channel.unsubscribe('drizzle-cratedb:failover', listen);
    }
    const node = new URL(healthy!.url).host;
    expect(published.filter((event) => event.type.startsWith('hedge-'))).toEqual([
      { type: 'hedge-sent', node, reason: undefined, attempt: 1, afterMs: expect.any(Number), context: undefined },
      { type: 'hedge-won', node, reason: undefined, attempt: 1, afterMs: expect.any(Number), context: undefined },
    ]);
  });

  it('when the first copy answers first, the hedge is aborted and the answer is the first copy’s', async () => {
    const [slow, hanging] = await servers(2);
    slow!.handle(() => replies.delay(400, replies.rows(['n'], [9], [[1]])));
    hanging!.handle(() => replies.hang());
    const client = clientFor([slow!.url, hanging!.url], { ...NO_RESCUE, hedge: { maxDelay: 100, maxPerRead: 1 } });
    const { value } = await timed(client.sql('SELECT n FROM t'));
    expect(value?.rows).toEqual([[1]]);
    expect(client.hedgeStats()).toMatchObject({ sent: 1, won: 0 });
    expect(await until(() => hanging!.abandoned.length === 1)).toBe(true);
  });

  it('writes are never hedged, not even when marked idempotent; COPY neither', async () => {
    const [hung, healthy] = await servers(2);
    hung!.pause();
    const client = clientFor([hung!.url, healthy!.url], { probeAfter: 0, timeout: 600, hedge: { maxDelay: 50 } });
    for (const [stmt, opts] of [
      ['INSERT INTO t (id) VALUES (1)', {}],
      ['UPDATE t SET v = 1 WHERE id = 1', { idempotent: true }],
      ["COPY t TO DIRECTORY '/tmp/t'", { idempotent: true }],
    ] as const) {
      // Round-robin: every other call starts on the healthy server; send each one to the hung one.
      const { error } = await timed(client.sql(stmt, [], opts));
      if (error === undefined) {
        const again = await timed(client.sql(stmt, [], opts));
        expect((again.error as CrateConnectionError).kind).toBe('timeout');
      } else {
        expect((error as CrateConnectionError).kind).toBe('timeout');
      }
    }
    expect(client.hedgeStats()).toMatchObject({ reads: 0, sent: 0 });
    expect(posted(hung!)).toHaveLength(3);
  });

  it('bulk requests are never hedged', async () => {
    const [hung, other] = await servers(2);
    hung!.pause();
    const client = clientFor([hung!.url, other!.url], { probeAfter: 0, timeout: 400, hedge: { maxDelay: 50 } });
    await timed(client.bulk('INSERT INTO t (id) VALUES (?)', [[1], [2]], { idempotent: true }));
    expect(client.hedgeStats().sent).toBe(0);
  });

  it('the per-second budget limits hedges across the client', async () => {
    const nodes = await servers(3);
    for (const node of nodes) node.handle((request) => (request.method === 'POST' ? replies.hang() : replies.mainInfo()));
    const client = clientFor(
      nodes.map((node) => node.url),
      { probeAfter: 0, timeout: 400, hedge: { maxDelay: 50, perSecond: 2, maxPerRead: 2 } },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => timed(client.sql(`SELECT ${i}`))));
    const stats = client.hedgeStats();
    // Two tokens at the start, a refill of 2 per second: 10 reads wanting 20 hedges within 400 ms get 2 or 3.
    expect(stats.sent).toBeGreaterThanOrEqual(2);
    expect(stats.sent).toBeLessThanOrEqual(3);
    expect(stats.deniedByBudget).toBeGreaterThanOrEqual(10);
  });

  it('a read gets at most maxPerRead hedges', async () => {
    const nodes = await servers(4);
    for (const node of nodes) node.handle((request) => (request.method === 'POST' ? replies.hang() : replies.mainInfo()));
    const client = clientFor(
      nodes.map((node) => node.url),
      { probeAfter: 0, timeout: 700, hedge: { maxDelay: 50, maxPerRead: 2 } },
    );
    const { error } = await timed(client.sql('SELECT 1'));
    expect((error as CrateConnectionError).kind).toBe('timeout');
    expect(client.hedgeStats().sent).toBe(2);
    expect(nodes.reduce((sum, node) => sum + posted(node).length, 0)).toBe(3);
  });

  it('while a server is set aside, a read is re-sent every delay to the healthy servers in turn until one answers, past maxPerRead', async () => {
    const [dead, b, c] = await servers(3);
    await dead!.close();
    // Each copy of SELECT 2 needs the hung node's shards, until the fifth: CrateDB picks shard copies per request.
    let copiesOfTwo = 0;
    for (const node of [b!, c!]) {
      node.handle((request) => {
        if (request.stmt === 'SELECT 2') return ++copiesOfTwo < 5 ? replies.hang() : replies.rowCount(1);
        return request.method === 'POST' ? replies.rowCount(1) : replies.mainInfo();
      });
    }
    const client = clientFor([dead!.url, b!.url, c!.url], { probeAfter: 0, timeout: 5_000, hedge: { maxDelay: 50, maxPerRead: 1 } });
    // Goes to the dead server first, which is set aside, then elsewhere.
    expect((await client.sql('SELECT 1')).rowCount).toBe(1);
    const { value, ms } = await timed(client.sql('SELECT 2'));
    expect(value?.rowCount).toBe(1);
    expect(ms).toBeLessThan(ANSWERED_BY_HEDGE_MS);
    expect(client.hedgeStats()).toMatchObject({ sent: 4, won: 1 });
    // Alternating: both healthy servers got copies, the dead one none.
    expect(b!.statements().filter((stmt) => stmt === 'SELECT 2').length).toBeGreaterThanOrEqual(2);
    expect(c!.statements().filter((stmt) => stmt === 'SELECT 2').length).toBeGreaterThanOrEqual(2);
    // The losers were aborted.
    expect(await until(() => b!.abandoned.length + c!.abandoned.length === 4)).toBe(true);
  });

  it('when hedges answer many reads, reads look stuck and may send more than maxPerRead hedges; a healthy fleet never looks stuck', async () => {
    const [hung, healthy, other] = await servers(3);
    hung!.handle((request) => (request.method === 'POST' ? replies.hang() : replies.mainInfo()));
    const client = clientFor([hung!.url, healthy!.url], { probeAfter: 0, timeout: 5_000, hedge: { maxDelay: 50, maxPerRead: 1 } });
    for (let i = 0; i < 5; i++) await client.sql('SELECT 1');
    // Reads that started on the hung server were answered by their hedge; five of the last 64 is not yet stuck.
    expect(client.hedgeStats().stuck).toBe(false);
    for (let i = 0; i < 12; i++) await client.sql('SELECT 1');
    expect(client.hedgeStats().won).toBeGreaterThanOrEqual(6);
    expect(client.hedgeStats().stuck).toBe(true);

    const calm = clientFor([healthy!.url, other!.url], { hedge: { maxDelay: 50 } });
    for (let i = 0; i < 100; i++) await calm.sql('SELECT 1');
    expect(calm.hedgeStats()).toMatchObject({ sent: 0, stuck: false });
  });

  it("a statement read often enough is hedged after its own percentile, however long; others after the client's", () => {
    const hedger = new Hedger({ ...DEFAULT_HEDGE_CONFIG, minDelay: 50, maxDelay: 1_000 });
    for (let i = 0; i < 30; i++) hedger.record(5, 'SELECT fast');
    expect(hedger.delay).toBe(50);
    for (let i = 0; i < 7; i++) hedger.record(3_000 + i, 'SELECT slow');
    // Seven reads are not enough: the client's delay, which the slow reads pushed to its ceiling.
    expect(hedger.delayFor('SELECT slow')).toBe(hedger.delay);
    expect(hedger.delay).toBe(1_000);
    hedger.record(3_007, 'SELECT slow');
    expect(hedger.delayFor('SELECT slow')).toBe(3_007);
    // While stuck: twice the statement's median if that is shorter (here it is not).
    expect(hedger.delayFor('SELECT slow', true)).toBe(3_007);
    // Its own percentile, floored at minDelay.
    expect(hedger.delayFor('SELECT fast')).toBe(50);
    expect(hedger.delayFor('SELECT never seen')).toBe(hedger.delay);
    // A fast statement with one read that waited 30 s (on a hung node) is not left unhedged for its next 31 reads:
    // past maxDelay, a statement's delay goes no further than twice its median.
    for (let i = 0; i < 7; i++) hedger.record(20, 'SELECT spiky');
    hedger.record(30_000, 'SELECT spiky');
    expect(hedger.delayFor('SELECT spiky')).toBe(1_000);
    expect(hedger.delayFor(undefined)).toBe(hedger.delay);
    // A statement too long to keep (values written into it) shares the client's latencies.
    const long = `SELECT ${'1,'.repeat(3_000)}1`;
    for (let i = 0; i < 10; i++) hedger.record(3_000, long);
    expect(hedger.delayFor(long)).toBe(hedger.delay);
  });

  it('the statements kept are the 256 read last', () => {
    const hedger = new Hedger({ ...DEFAULT_HEDGE_CONFIG, minDelay: 1, maxDelay: 1_000 });
    for (let n = 0; n <= 256; n++) for (let i = 0; i < 8; i++) hedger.record(2_000 + n, `SELECT ${n}`);
    expect(hedger.delayFor('SELECT 0')).toBe(hedger.delay);
    expect(hedger.delayFor('SELECT 1')).toBe(2_001);
    expect(hedger.delayFor('SELECT 256')).toBe(2_256);
    // Reading a statement again keeps it: SELECT 1 is now the last read, SELECT 2 the first to go.
    hedger.record(2_001, 'SELECT 1');
    for (let i = 0; i < 8; i++) hedger.record(5, 'SELECT new');
    expect(hedger.delayFor('SELECT 1')).toBe(2_001);
    expect(hedger.delayFor('SELECT 2')).toBe(hedger.delay);
  });

  it('a read of a statement known to be slow is not hedged before its own delay; an unknown one is', async () => {
    const health = new ServerHealth(['a', 'b'], 30_000, () => performance.now());
    const hedger = new Hedger({ ...DEFAULT_HEDGE_CONFIG, minDelay: 10, maxDelay: 10 });
    for (let i = 0; i < 8; i++) hedger.record(600, 'SELECT slow');
    const race = (statement: string) =>
      hedger.race<string>('a', {
        statement,
        health,
        tried: ['a'],
        // Every copy answers after 200 ms.
        attempt: (_server, cancel) =>
          new Promise((resolve) => {
            const timer = setTimeout(() => resolve('answer'), 200);
            cancel.addEventListener('abort', () => (clearTimeout(timer), resolve('aborted')));
          }),
        classify: (outcome) => (outcome === 'answer' ? 'answer' : 'failure'),
        sideFailure: () => {},
        discard: () => {},
      });
    const sentBefore = hedger.stats().sent;
    await race('SELECT slow');
    expect(hedger.stats().sent).toBe(sentBefore);
    await race('SELECT other');
    expect(hedger.stats().sent).toBeGreaterThan(sentBefore);
  });

  it("a hedge is not sent to a server whose connections all carry running copies: it would only queue", async () => {
    const health = new ServerHealth(['a', 'b', 'c'], 30_000, () => performance.now());
    const events: HedgeEvent[] = [];
    const hedger = new Hedger({ ...DEFAULT_HEDGE_CONFIG, minDelay: 10, maxDelay: 10, maxPerRead: 3 }, (event) => events.push(event), 1);
    const answers = new Map<string, (outcome: string) => void>();
    const raced = hedger.race<string>('a', {
      statement: undefined,
      health,
      tried: ['a'],
      attempt: (server, cancel) =>
        new Promise((resolve) => {
          answers.set(server, resolve);
          cancel.addEventListener('abort', () => resolve('aborted'));
        }),
      classify: (outcome) => (outcome === 'answer' ? 'answer' : 'failure'),
      sideFailure: () => {},
      discard: () => {},
    });
    expect(await until(() => events.some((event) => event.type === 'skipped'))).toBe(true);
    expect(events.map((event) => (event.type === 'skipped' ? event.reason : `${event.type} ${'server' in event ? event.server : ''}`))).toEqual(['sent b', 'sent c', 'busy']);
    answers.get('c')!('answer');
    expect(await raced).toEqual({ server: 'c', outcome: 'answer' });
  });

  it('hedgedReads: false turns hedging off; hedge: false per call too', async () => {
    const [hung, healthy] = await servers(2);
    hung!.pause();
    const off = clientFor([hung!.url, healthy!.url], { probeAfter: 0, timeout: 600, hedgedReads: false, hedge: { maxDelay: 50 } });
    const { error } = await timed(off.sql('SELECT 1'));
    expect((error as CrateConnectionError).kind).toBe('timeout');
    expect(off.hedgeStats()).toMatchObject({ reads: 0, sent: 0 });
    expect(healthy!.statements()).toEqual([]);

    const on = clientFor([hung!.url, healthy!.url], { probeAfter: 0, timeout: 600, hedge: { maxDelay: 50 } });
    const perCall = await timed(on.sql('SELECT 2', [], { hedge: false }));
    expect((perCall.error as CrateConnectionError).kind).toBe('timeout');
    expect(on.hedgeStats().sent).toBe(0);
  });

  it('with a single server there is nowhere to hedge to: the read is not raced, waits, and nothing is sent twice', async () => {
    const [hung] = await servers(1);
    hung!.pause();
    const events: HedgeEvent[] = [];
    const client = clientFor([hung!.url], { probeAfter: 0, timeout: 400, hedge: { maxDelay: 50, onEvent: (event) => events.push(event) } });
    const { error } = await timed(client.sql('SELECT 1'));
    expect((error as CrateConnectionError).kind).toBe('timeout');
    expect(client.hedgeStats()).toMatchObject({ reads: 0, sent: 0 });
    expect(events).toEqual([]);
    expect(posted(hung!)).toHaveLength(1);
  });

  it('with every other server set aside, a due hedge is skipped as no-server and the read waits on its first copy', async () => {
    const [dead, hung] = await servers(2);
    await dead!.close();
    const events: HedgeEvent[] = [];
    const client = clientFor([dead!.url, hung!.url], { probeAfter: 0, timeout: 400, hedge: { maxDelay: 50, onEvent: (event) => events.push(event) } });
    // Refused by the dead server, which is set aside, then answered by the other.
    expect((await client.sql('SELECT 1')).rowCount).toBe(1);
    hung!.pause();
    const { error } = await timed(client.sql('SELECT 2'));
    expect((error as CrateConnectionError).kind).toBe('timeout');
    expect(client.hedgeStats().sent).toBe(0);
    expect(events[0]).toMatchObject({ type: 'skipped', reason: 'no-server', first: hung!.url });
  });

  it('a hedge that fails while the first copy hangs does not use up the read\'s hedges: another copy is sent', async () => {
    const { urls, copiesOfTwo } = await hungAndNodeLeftOnce();
    const client = clientFor(urls, { ...NO_RESCUE, hedge: { maxDelay: 50, maxPerRead: 1 } });
    const { value, ms } = await timed(client.sql('SELECT 2'));
    expect(value?.rowCount).toBe(1);
    expect(ms).toBeLessThan(ANSWERED_BY_HEDGE_MS);
    expect(copiesOfTwo()).toBe(2);
    expect(client.hedgeStats()).toMatchObject({ sent: 2, won: 1 });
  });

  it('a failed copy is replaced at once and without a token of the budget: it is a retry, not a second copy', async () => {
    const { urls, copiesOfTwo } = await hungAndNodeLeftOnce();
    const events: HedgeEvent[] = [];
    // One token a second: the hedge takes it, and a replacement that needed one would wait a second for it.
    const client = clientFor(urls, { ...NO_RESCUE, hedge: { maxDelay: 50, perSecond: 1, onEvent: (event) => events.push(event) } });
    const { value } = await timed(client.sql('SELECT 2'));
    expect(value?.rowCount).toBe(1);
    expect(copiesOfTwo()).toBe(2);
    expect(client.hedgeStats()).toMatchObject({ sent: 2, won: 1, deniedByBudget: 0 });
    expect(events.filter((event) => event.type === 'skipped')).toEqual([]);
    expect(events.find((event) => event.type === 'sent' && event.copy === 2)?.message).toMatch(/a copy failed after \d+ ms, replaced on/);
  });

  it('while stuck, once 32 hedges in a row lost with none winning, reads get maxPerRead hedges again until one wins', async () => {
    const [dead, b, c] = await servers(3);
    await dead!.close();
    // Every copy of SELECT 2 hangs on both healthy servers, as a multi-shard read does with the middle node of the
    // shard-copy order hung; SELECT 3 answers.
    for (const node of [b!, c!]) {
      node.handle((request) => {
        if (request.stmt === 'SELECT 2') return replies.hang();
        return request.method === 'POST' ? replies.rowCount(1) : replies.mainInfo();
      });
    }
    const client = clientFor([dead!.url, b!.url, c!.url], { probeAfter: 0, timeout: 2_000, hedge: { maxDelay: 50, maxPerRead: 1 } });
    // Refused by the dead server, which is set aside: reads look stuck from now on.
    expect((await client.sql('SELECT 1')).rowCount).toBe(1);
    // Three reads, each allowed 16 hedges while stuck: 48 without the guard; the guard stops the extra ones after
    // 32 lost (and each read keeps its one hedge).
    await Promise.all([1, 2, 3].map(() => client.sql('SELECT 2').catch(() => undefined)));
    const sent = client.hedgeStats().sent;
    expect(sent).toBeGreaterThanOrEqual(32);
    expect(sent).toBeLessThan(40);
    // Still stuck and still futile: a read gets its one hedge, no more.
    await client.sql('SELECT 2').catch(() => undefined);
    expect(client.hedgeStats().sent - sent).toBe(1);
  });

  it('a copy that fails while another runs does not end the read', async () => {
    const [slow, failing] = await servers(2);
    slow!.handle(() => replies.delay(300, replies.rows(['n'], [9], [[7]])));
    failing!.handle(() => replies.unavailable(503));
    const client = clientFor([slow!.url, failing!.url], { ...NO_RESCUE, hedge: { maxDelay: 50, maxPerRead: 1 } });
    const { value } = await timed(client.sql('SELECT n FROM t'));
    expect(value?.rows).toEqual([[7]]);
    expect(posted(failing!)).toHaveLength(1);
  });

  it('the adaptive delay follows recent latencies within the floor and the ceiling', () => {
    const hedger = new Hedger({ ...DEFAULT_HEDGE_CONFIG, minDelay: 100, maxDelay: 300, percentile: 90 });
    // Nothing seen yet: the ceiling.
    expect(hedger.delay).toBe(300);
    for (let i = 0; i < 50; i++) hedger.record(2);
    expect(hedger.delay).toBe(100);
    for (let i = 0; i < 256; i++) hedger.record(150 + (i % 10));
    expect(hedger.delay).toBeGreaterThanOrEqual(150);
    expect(hedger.delay).toBeLessThanOrEqual(160);
    for (let i = 0; i < 256; i++) hedger.record(5_000);
    expect(hedger.delay).toBe(300);
  });

  it('a client learns the delay from its reads: fast reads bring it down to the floor', async () => {
    const [node, other] = await servers(2);
    const client = clientFor([node!.url, other!.url], { hedge: { minDelay: 80, maxDelay: 400 } });
    expect(client.hedgeStats().delayMs).toBe(400);
    for (let i = 0; i < 40; i++) await client.sql('SELECT 1');
    expect(client.hedgeStats().delayMs).toBe(80);
    expect(client.hedgeStats().reads).toBe(40);
  });

  // A cursor needs a pinned connection: undici only.
  it.skipIf(currentTransport() === 'fetch')(onlyOn('undici', "a cursor's FETCH is never hedged; its DECLARE is a read like any other", 'fetch cannot pin a connection'), async () => {
    const table = { cols: ['n'], colTypes: [9], rows: [[1], [2], [3]] };
    const [first, second] = await servers(2);
    for (const node of [first!, second!]) {
      const state = cursorHandler(table);
      state.onFetch = () => replies.hang();
      node.handle(state.handler);
    }
    const client = clientFor([first!.url, second!.url], { probeAfter: 0, timeout: 800, hedge: { maxDelay: 50 } });
    const batches: CursorBatch[] = [];
    const { error } = await timed(
      (async () => {
        for await (const batch of client.cursor('SELECT n FROM t', [], { batchSize: 2 })) batches.push(batch);
      })(),
    );
    expect((error as CrateConnectionError).kind).toBe('timeout');
    const fetches = [first!, second!].flatMap((node) => node.statements().filter((stmt) => stmt.startsWith('FETCH')));
    expect(fetches).toHaveLength(1);
    expect(client.hedgeStats().sent).toBe(0);
  });

  it.skipIf(currentTransport() === 'fetch')(onlyOn('undici', 'a blob get on a hung server is answered by a hedge', 'blobs need undici'), async () => {
    const store = new Map([['media', new Map<string, Buffer>()]]);
    const [hung, healthy] = await servers(2);
    for (const node of [hung!, healthy!]) node.handle(blobHandler(store));
    const client = clientFor([hung!.url, healthy!.url], { ...NO_RESCUE, hedge: { maxDelay: 200 } });
    // Uploaded to the healthy node (round-robin starts on the hung one: a read first).
    await client.sql('SELECT 1');
    const { digest } = await client.blobs('media').put(Buffer.from('hedged blob'));
    hung!.pause();
    const { value, ms } = await timed(client.blobs('media').getBuffer(digest));
    expect(value?.toString()).toBe('hedged blob');
    expect(ms).toBeLessThan(ANSWERED_BY_HEDGE_MS);
    expect(client.hedgeStats()).toMatchObject({ sent: 1, won: 1 });
    expect(await until(() => hung!.abandoned.length === 1)).toBe(true);
  });

  it.skipIf(currentTransport() === 'fetch')(onlyOn('undici', 'a blob put is never hedged', 'blobs need undici'), async () => {
    const store = new Map([['media', new Map<string, Buffer>()]]);
    const [hung, healthy] = await servers(2);
    for (const node of [hung!, healthy!]) node.handle(blobHandler(store));
    hung!.pause();
    const client = clientFor([hung!.url, healthy!.url], { probeAfter: 0, timeout: 500, hedge: { maxDelay: 50 } });
    await timed(client.blobs('media').put(Buffer.from('not hedged')));
    expect(client.hedgeStats().sent).toBe(0);
  });
});

describe('a table without replicas', () => {
  it("a shard with no active copy says that a table without replicas cannot be read elsewhere", async () => {
    const [node] = await servers(1);
    node!.handle(() => replies.error(5002, 'UnavailableShardsException[[doc.t] shard 3 is not available]'));
    const client = clientFor([node!.url], { retryTimeout: 0 });
    const { error } = await timed(client.sql('SELECT count(*) FROM t'));
    expect((error as Error).message).toMatch(/shard 3 is not available\]\. No active copy of that shard is left: if the table has no replica \(number_of_replicas = 0\)/);
  });
});

describe('hedging options', () => {
  it('are resolved with their defaults, and in the connection URL', () => {
    expect(new CrateClient({ hedgedReads: false }).config.hedge).toEqual({ ...DEFAULT_HEDGE_CONFIG, enabled: false });
    expect(new CrateClient({ hedge: { maxDelay: 20 } }).config.hedge).toMatchObject({ minDelay: 20, maxDelay: 20 });
    expect(
      parseConnectionString('crate://h/?hedged_reads=false&hedge_min_delay=20ms&hedge_max_delay=0.5&hedge_percentile=95&hedge_max_per_read=1&hedge_per_second=10'),
    ).toMatchObject({ hedgedReads: false, hedge: { minDelay: 20, maxDelay: 500, percentile: 95, maxPerRead: 1, perSecond: 10 } });
  });

  it('refuse unknown names with a suggestion, and contradictions', () => {
    expect(() => new CrateClient({ hedge: { maxDelai: 1 } as never })).toThrow(/unknown option 'hedge.maxDelai'; did you mean 'hedge.maxDelay'\?/);
    expect(() => new CrateClient({ hedgedRead: false } as never)).toThrow(/did you mean 'hedgedReads'\?/);
    expect(() => new CrateClient({ hedge: { minDelay: 500, maxDelay: 100 } })).toThrow(CrateConfigError);
    expect(() => new CrateClient({ hedge: { percentile: 0 } })).toThrow(/percentile/);
    expect(() => parseConnectionString('crate://h/?hedge_max_dely=1')).toThrow(/did you mean 'hedge_max_delay'\?/);
    expect(() => parseConnectionString('crate://h/?hedge_per_second=-1')).toThrow(/hedge_per_second/);
  });
});
