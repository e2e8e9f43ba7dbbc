/**
 * A hung server cannot stall the application: a request waiting on a server that stops answering ends within
 * probeAfter + probeTimeout (reads move on, writes fail with outcomeUnknown), and the server is set aside; a server
 * merely busy with a long statement answers the probe, and its statement runs to the end.
 */
import { describe, expect, it } from 'vitest';
import { CrateConnectionError, CrateDBError } from '../../src/driver/index.js';
import { replies, type ProtocolServer } from '../support/protocol-server.js';
import { LATE_MS } from '../support/timing.js';
import { fleet } from '../support/fleet.js';
import { currentTransport, onlyOn } from '../support/transport.js';

const { servers, clientFor } = fleet();

async function timed<T>(work: Promise<T>): Promise<{ value: T | undefined; error: unknown; ms: number }> {
  const started = performance.now();
  try {
    return { value: await work, error: undefined, ms: performance.now() - started };
  } catch (error) {
    return { value: undefined, error, ms: performance.now() - started };
  }
}

/**
 * Slack on the bounds below: each is a chain (a timer, a probe on a new connection, a retry on another server), run
 * while other test files load the machine. Without the feature these requests would wait forever.
 */
const SLACK = LATE_MS;

const probes = (server: ProtocolServer): number => server.requests.filter((request) => request.method === 'GET' && request.path === '/').length;

describe('a hung server', () => {
  it('a read waiting on it moves to another server within probeAfter + probeTimeout, and the server is set aside', async () => {
    const [hung, healthy] = await servers(2);
    hung!.pause();
    const client = clientFor([hung!.url, healthy!.url], { probeAfter: 100, probeTimeout: 150 });
    const { value, ms } = await timed(client.sql('SELECT 1'));
    expect(value?.rowCount).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(100 + 150 - 5);
    expect(ms).toBeLessThan(100 + 150 + SLACK);
    expect(healthy!.statements()).toEqual(['SELECT 1']);
    // Set aside: the next requests do not go there.
    for (let i = 0; i < 3; i++) await client.sql(`SELECT ${i}`);
    expect(hung!.statements()).toEqual(['SELECT 1']);
  });

  it('a write waiting on it fails with outcomeUnknown within the bound, and is not sent elsewhere', async () => {
    const [hung, healthy] = await servers(2);
    hung!.pause();
    const client = clientFor([hung!.url, healthy!.url], { probeAfter: 100, probeTimeout: 150 });
    const { error, ms } = await timed(client.sql('INSERT INTO t (id) VALUES (1)'));
    expect(error).toBeInstanceOf(CrateConnectionError);
    const failure = error as CrateConnectionError;
    expect(failure.kind).toBe('connection');
    expect(failure.outcomeUnknown).toBe(true);
    expect(failure.message).toContain(hung!.url);
    expect(failure.message).toMatch(/stopped answering: a probe \(GET \/ on a new connection\) failed/);
    expect(ms).toBeLessThan(100 + 150 + SLACK);
    expect(healthy!.statements()).toEqual([]);
  });

  // Needs poolSize (a queue in the client's own pool): undici only.
  it.skipIf(currentTransport() === 'fetch')(onlyOn('undici', 'a write still queued for a connection to it never left, so it moves to another server', 'fetch has no pool of its own to queue in'), async () => {
    const [hung, healthy] = await servers(2);
    hung!.pause();
    // One connection per server: the second write to the hung server waits in the pool behind the first.
    const client = clientFor([hung!.url, healthy!.url], { poolSize: 1, probeAfter: 100, probeTimeout: 150 });
    const first = timed(client.sql('INSERT INTO t (id) VALUES (1)')); // to hung
    await client.sql('SELECT 0'); // to healthy: round-robin comes back to hung next
    const second = timed(client.sql('INSERT INTO t (id) VALUES (2)')); // to hung, queued
    const [one, two] = await Promise.all([first, second]);
    expect((one.error as CrateDBError).outcomeUnknown).toBe(true);
    expect(two.error).toBeUndefined();
    expect(hung!.statements()).toEqual(['INSERT INTO t (id) VALUES (1)']);
    expect(healthy!.statements()).toEqual(['SELECT 0', 'INSERT INTO t (id) VALUES (2)']);
  });

  it('probes are shared: many requests waiting on one server cause one probe at a time', async () => {
    const [slow] = await servers(1);
    slow!.handle((request) => (request.method === 'GET' ? replies.mainInfo() : replies.delay(700, replies.rowCount(1))));
    const client = clientFor([slow!.url], { probeAfter: 100, probeTimeout: 150 });
    await Promise.all(Array.from({ length: 8 }, () => client.sql('SELECT 1')));
    // 8 requests waiting 700 ms, probed from 100 ms on: about 6 probes if shared, 48 if not.
    expect(probes(slow!)).toBeGreaterThanOrEqual(2);
    expect(probes(slow!)).toBeLessThanOrEqual(8);
  });

  it('with default probe options, a read on a server hung from the start moves on within 3 s (1 s + 2 s)', async () => {
    const [hung, healthy] = await servers(2);
    hung!.pause();
    // Without hedging, which would answer sooner (tests/driver/hedge.test.ts): this is the probe's bound.
    const client = clientFor([hung!.url, healthy!.url], { hedgedReads: false });
    const { value, ms } = await timed(client.sql('SELECT 1'));
    expect(value?.rowCount).toBe(1);
    expect(ms).toBeGreaterThanOrEqual(3000 - 5);
    expect(ms).toBeLessThan(3000 + SLACK);
  });

  it('a server that hangs while a request waits is noticed within probeAfter + probeTimeout of the hang', async () => {
    const [server, healthy] = await servers(2);
    server!.handle((request) => (request.method === 'GET' ? replies.mainInfo() : replies.hang()));
    const client = clientFor([server!.url, healthy!.url], { probeAfter: 100, probeTimeout: 150 });
    const pending = client.sql('SELECT 1').then((result) => ({ result, at: performance.now() }));
    await new Promise((resolve) => setTimeout(resolve, 350));
    // Probes at about 100, 200 and 300 ms were answered; from now on none is.
    expect(probes(server!)).toBeGreaterThanOrEqual(2);
    server!.pause();
    const pausedAt = performance.now();
    const { result, at } = await pending;
    expect(result.rowCount).toBe(1);
    expect(healthy!.statements()).toEqual(['SELECT 1']);
    // The next probe starts at most probeAfter after the last answered one, and fails probeTimeout later; the margin
    // covers the retry on the healthy server and timers firing late on a busy machine.
    expect(at - pausedAt).toBeLessThan(100 + 150 + SLACK);
  });

  it('probeAfter: 0 turns probing off', async () => {
    const [hung] = await servers(1);
    hung!.pause();
    const client = clientFor([hung!.url], { probeAfter: 0, timeout: 400 });
    const { error } = await timed(client.sql('SELECT 1'));
    expect((error as CrateDBError).kind).toBe('timeout');
    expect(probes(hung!)).toBe(0);
  });

  it("when the caller's timeout strikes first, the server is probed anyway and set aside if hung", async () => {
    const [hung, healthy] = await servers(2);
    hung!.pause();
    const client = clientFor([hung!.url, healthy!.url], { timeout: 100, probeAfter: 1000, probeTimeout: 150 });
    const { error, ms } = await timed(client.sql('SELECT 1'));
    expect((error as CrateDBError).kind).toBe('timeout');
    expect(ms).toBeLessThan(100 + LATE_MS);
    await new Promise((resolve) => setTimeout(resolve, 150 + SLACK));
    for (let i = 0; i < 3; i++) await client.sql(`SELECT ${i}`);
    expect(hung!.statements()).toEqual(['SELECT 1']);
    expect(healthy!.statements()).toHaveLength(3);
  });
});

describe('a slow statement on a healthy server', () => {
  it('runs to its end: the server answers the probes', async () => {
    const [slow, other] = await servers(2);
    slow!.enqueue(replies.delay(1500, replies.rows(['n'], [9], [[42]])));
    // Hedging would send the read to `other` as well (hedge.test.ts); here the probe alone is under test.
    const client = clientFor([slow!.url, other!.url], { probeAfter: 100, probeTimeout: 150, hedgedReads: false });
    const { value, ms } = await timed(client.sql('SELECT sum(x) FROM huge'));
    expect(value?.rows).toEqual([[42]]);
    expect(ms).toBeGreaterThanOrEqual(1500 - 5);
    expect(probes(slow!)).toBeGreaterThanOrEqual(3);
    expect(other!.statements()).toEqual([]);
    // Not set aside.
    await client.sql('SELECT 1');
    await client.sql('SELECT 2');
    expect(slow!.statements()).toEqual(['SELECT sum(x) FROM huge', 'SELECT 2']);
  });
});
