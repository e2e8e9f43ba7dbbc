import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CrateConnectionError, CrateDBError } from '../../src/driver/index.js';
import { refusedServerUrl, replies, startProtocolServer } from '../support/protocol-server.js';
import { fleet } from '../support/fleet.js';
import { currentTransport, onlyOn } from '../support/transport.js';

const { servers, clientFor, onCleanup } = fleet();

/** A TCP listener that accepts connections and never says anything: TLS handshakes to it never finish. */
async function silentListener(): Promise<{ url: string; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const listener: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', () => resolve()));
  const { port } = listener.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<CrateDBError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CrateDBError);
  return error as CrateDBError;
}

describe('round-robin', () => {
  it('spreads requests over the servers in turn', async () => {
    const [a, b, c] = await servers(3);
    const client = clientFor([a!.url, b!.url, c!.url]);
    for (let i = 0; i < 6; i++) await client.sql(`SELECT ${i}`);
    expect(a!.statements()).toEqual(['SELECT 0', 'SELECT 3']);
    expect(b!.statements()).toEqual(['SELECT 1', 'SELECT 4']);
    expect(c!.statements()).toEqual(['SELECT 2', 'SELECT 5']);
  });
});

describe('failover and the return of inactive servers', () => {
  it('skips a refusing server, avoids it for retryInterval, then tries it again', async () => {
    let now = 1_000;
    const [up] = await servers(1);
    const down = await refusedServerUrl();
    const client = clientFor([down, up!.url], { retryInterval: 30_000, now: () => now });

    await client.sql('SELECT 1');
    expect(up!.statements()).toEqual(['SELECT 1']);
    for (let i = 0; i < 4; i++) await client.sql('SELECT 2');
    expect(up!.statements()).toHaveLength(5);

    // A server that comes back is used again once the interval has passed.
    const revived = await startProtocolServer();
    onCleanup(() => revived.close());
    const client2 = clientFor([revived.url, up!.url], { retryInterval: 30_000, now: () => now });
    revived.enqueue(replies.unavailable(503));
    await client2.sql('SELECT 3'); // 503 from revived → inactive, answered by up
    await client2.sql('SELECT 4');
    await client2.sql('SELECT 5');
    expect(revived.statements()).toEqual(['SELECT 3']);
    now += 29_999;
    await client2.sql('SELECT 6');
    expect(revived.statements()).toEqual(['SELECT 3']);
    now += 1;
    await client2.sql('SELECT 7');
    await client2.sql('SELECT 8');
    expect(revived.statements()).toHaveLength(2);
  });

  it('when all servers are inactive, still tries the one inactive longest', async () => {
    let now = 0;
    const [a, b] = await servers(2);
    const client = clientFor([a!.url, b!.url], { now: () => now });
    a!.enqueue(replies.unavailable(503));
    await client.sql('SELECT 1'); // a fails at 0 → inactive; b answers
    now = 10;
    b!.enqueue(replies.unavailable(503));
    await client.sql('SELECT 2'); // b fails at 10; a (inactive since 0) is tried although its interval has not passed
    expect(a!.statements()).toEqual(['SELECT 1', 'SELECT 2']);
    expect(b!.statements()).toEqual(['SELECT 1', 'SELECT 2']);
    await client.sql('SELECT 3'); // a answered, so it is active again; b stays aside
    expect(a!.statements()).toHaveLength(3);
  });

  it('lists every server and its last failure when nothing answers', async () => {
    const [unavailable] = await servers(1);
    unavailable!.handle(() => replies.unavailable(503));
    const refused = await refusedServerUrl();
    // retryTimeout 0: one round over the servers (503 is otherwise retried for a while, see cluster-retry.test.ts).
    const client = clientFor([refused, unavailable!.url, 'http://no-such-host.invalid:4200'], { retryTimeout: 0 });
    const error = await rejection(client.sql('SELECT 1'));
    expect(error).toBeInstanceOf(CrateConnectionError);
    const { failures } = error as CrateConnectionError;
    expect(failures.map((f) => f.server)).toEqual([refused, unavailable!.url, 'http://no-such-host.invalid:4200']);
    expect(failures[0]!.error).toMatch(/refused \(ECONNREFUSED\)/);
    expect(failures[1]!.error).toMatch(/HTTP 503 5030/);
    expect(failures[2]!.error).toMatch(/could not be resolved \((ENOTFOUND|EAI_AGAIN)\)/);
    expect(error.message).toContain(refused);
    expect(error.message).toContain('in statement: SELECT 1');
  });

  it('fails over on 502 and 504 from a proxy', async () => {
    const [a, b] = await servers(2);
    const client = clientFor([a!.url, b!.url]);
    a!.enqueue(replies.unavailable(502));
    await client.sql('SELECT 1');
    b!.enqueue(replies.unavailable(504));
    await client.sql('SELECT 2');
    expect(a!.statements()).toEqual(['SELECT 1', 'SELECT 2']);
    expect(b!.statements()).toEqual(['SELECT 1', 'SELECT 2']);
  });
});

describe('idempotency: nothing is applied twice', () => {
  it('retries a read elsewhere after a connection reset mid-response', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(replies.reset('mid-response'));
    b!.enqueue(replies.rows(['n'], [9], [[42]]));
    const client = clientFor([a!.url, b!.url]);
    expect((await client.sql('SELECT n FROM t')).rows).toEqual([[42]]);
  });

  it('does not resend a write after a reset mid-response, and says its outcome is unknown', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(replies.reset('mid-response'));
    const client = clientFor([a!.url, b!.url]);
    const error = await rejection(client.sql('INSERT INTO t (id) VALUES (1)'));
    expect(error).toBeInstanceOf(CrateConnectionError);
    expect(error.kind).toBe('connection');
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/may or may not have been applied/);
    expect(a!.statements()).toHaveLength(1);
    expect(b!.statements()).toHaveLength(0);
  });

  it('does not resend a write after a reset before the response', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(replies.reset('before-response'));
    const client = clientFor([a!.url, b!.url]);
    const error = await rejection(client.sql('UPDATE t SET v = v + 1'));
    expect(error.outcomeUnknown).toBe(true);
    expect(b!.statements()).toHaveLength(0);
  });

  it('does not resend a write answered with 503, but marks the server inactive', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(replies.unavailable(503));
    const client = clientFor([a!.url, b!.url]);
    const error = await rejection(client.sql('DELETE FROM t'));
    expect(error.kind).toBe('service-unavailable');
    expect(error.serverCode).toBe(5030);
    expect(error.status).toBe(503);
    expect(error.outcomeUnknown).toBe(true);
    expect(b!.statements()).toHaveLength(0);
    await client.sql('SELECT 1');
    await client.sql('SELECT 2');
    expect(a!.statements()).toEqual(['DELETE FROM t']);
  });

  it('resends a write the caller declares idempotent', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(replies.reset('mid-response'));
    const client = clientFor([a!.url, b!.url]);
    await client.sql("INSERT INTO t (id) VALUES (1) ON CONFLICT DO NOTHING", [], { idempotent: true });
    expect(b!.statements()).toHaveLength(1);
  });

  it('resends a write that provably never left: refused connection, unknown host', async () => {
    const [up] = await servers(1);
    const client = clientFor([await refusedServerUrl(), 'http://no-such-host.invalid:4200', up!.url]);
    await client.sql('INSERT INTO t (id) VALUES (1)');
    expect(up!.statements()).toEqual(['INSERT INTO t (id) VALUES (1)']);
  });

  // fetch has no connect timeout (connectTimeout is refused there); hung-server.test.ts covers the silent server.
  it.skipIf(currentTransport() === 'fetch')(onlyOn('undici', 'resends a write after a connect timeout (TLS handshake never completing)', 'fetch has no connect timeout'), async () => {
    const silent = await silentListener();
    onCleanup(() => silent.close());
    const [up] = await servers(1);
    const client = clientFor([silent.url, up!.url], { connectTimeout: 150 });
    await client.sql('INSERT INTO t (id) VALUES (1)');
    expect(up!.statements()).toHaveLength(1);
  });

  it('under random resets, every write runs at most once and every failure is flagged', async () => {
    const [a, b, c] = await servers(3);
    let flip = 0;
    for (const server of [a!, b!]) server.handle(() => (flip++ % 2 === 0 ? replies.reset('mid-response') : replies.rowCount(1)));
    const client = clientFor([a!.url, b!.url, c!.url, await refusedServerUrl()]);
    const outcomes = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => client.sql(`INSERT INTO t (id) VALUES (${i})`)));
    const executed = [...a!.statements(), ...b!.statements(), ...c!.statements()];
    expect(new Set(executed).size).toBe(executed.length);
    for (const [i, outcome] of outcomes.entries()) {
      const runs = executed.filter((stmt) => stmt === `INSERT INTO t (id) VALUES (${i})`).length;
      if (outcome.status === 'fulfilled') expect(runs).toBe(1);
      else expect((outcome.reason as CrateDBError).outcomeUnknown).toBe(true);
    }
  });
});

describe('timeouts', () => {
  it('a slow server hits the response timeout: kind timeout, naming server and timeout, not retried', async () => {
    const [slow, other] = await servers(2);
    slow!.enqueue(replies.delay(5_000, replies.rows(['n'], [9], [[1]])));
    const client = clientFor([slow!.url, other!.url], { timeout: 100 });
    // The reply would come after 5 s; a timeout error proves the client gave up first.
    const error = await rejection(client.sql('SELECT pg_sleep(5)'));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain(slow!.url);
    expect(error.message).toContain('100 ms');
    expect(error.outcomeUnknown).toBe(false);
    expect(other!.statements()).toHaveLength(0);
    // The slow server is not marked inactive: the next request goes round-robin to `other`, the one after to `slow`.
    await client.sql('SELECT 1');
    await client.sql('SELECT 2');
    expect(slow!.statements()).toEqual(['SELECT pg_sleep(5)', 'SELECT 2']);
  });

  it('a write hitting the response timeout is reported as possibly applied', async () => {
    const [slow] = await servers(1);
    slow!.enqueue(replies.hang());
    const client = clientFor([slow!.url], { timeout: 100 });
    const error = await rejection(client.sql('INSERT INTO t (id) VALUES (1)'));
    expect(error.kind).toBe('timeout');
    expect(error.outcomeUnknown).toBe(true);
  });

  it.skipIf(currentTransport() === 'fetch')(onlyOn('undici', 'a connect timeout names the server and the connect timeout', 'fetch has no connect timeout'), async () => {
    const silent = await silentListener();
    onCleanup(() => silent.close());
    const client = clientFor([silent.url], { connectTimeout: 100 });
    const error = await rejection(client.sql('SELECT 1'));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain(silent.url);
    expect(error.message).toContain('connect timeout of 100 ms');
  });
});

describe('backoff', () => {
  it('spaces the retries of one request 0, f, 2f', async () => {
    const [up] = await servers(1);
    const down = await Promise.all([refusedServerUrl(), refusedServerUrl(), refusedServerUrl()]);
    const client = clientFor([...down, up!.url], { backoffFactor: 60 });
    const started = performance.now();
    await client.sql('SELECT 1');
    const elapsed = performance.now() - started;
    // Three failed tries before the server that answers: waits of 0, 60 and 120 ms at least.
    expect(elapsed).toBeGreaterThanOrEqual(0 + 60 + 120 - 5);
  });
});

describe('abort', () => {
  it('rejects with the signal reason', async () => {
    const [slow] = await servers(1);
    slow!.enqueue(replies.hang());
    const client = clientFor([slow!.url]);
    const controller = new AbortController();
    const pending = client.sql('SELECT 1', [], { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('caller gave up')), 20);
    await expect(pending).rejects.toThrow('caller gave up');
  });
});
