/**
 * `timeout` is honoured at every size, sub-second included: the call fails no later than 50 ms after it (undici's own
 * timers fired after about 1 s for timeouts of 10-300 ms), and no sooner.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrateClient, CrateConnectionError, CrateDBError } from '../../src/driver/index.js';
import { refusedServerUrl, replies, startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';
import { TIMEOUT_PRECISION_MS } from '../support/timing.js';

let silent: ProtocolServer;
let slow: ProtocolServer;
beforeAll(async () => {
  // Accepts every request and never answers (server info included, so no probe tells anything either).
  silent = await startProtocolServer({ handler: () => replies.hang() });
  slow = await startProtocolServer({ handler: (request) => (request.method === 'GET' ? replies.mainInfo() : replies.delay(622, replies.rows(['n'], [9], [[1]]))) });
  // One call first, so that loading the driver's code does not count against the first timeout measured.
  const warm = new CrateClient({ servers: slow.url });
  await warm.serverInfo();
  await warm.close();
});
afterAll(async () => {
  await silent.close();
  await slow.close();
});

async function timedFailure(client: CrateClient, work: (client: CrateClient) => Promise<unknown>): Promise<{ error: CrateDBError; ms: number }> {
  const started = performance.now();
  try {
    await work(client);
  } catch (error) {
    const ms = performance.now() - started;
    expect(error).toBeInstanceOf(CrateDBError);
    return { error: error as CrateDBError, ms };
  } finally {
    await client.close();
  }
  throw new Error('expected the call to fail');
}

describe('timeout', () => {
  for (const timeout of [10, 50, 100, 300, 1000, 2000]) {
    it(`${timeout} ms: the call fails within [${timeout}, ${timeout + TIMEOUT_PRECISION_MS}) ms against a server that never answers`, async () => {
      const { error, ms } = await timedFailure(new CrateClient({ servers: silent.url, timeout }), (client) => client.sql('SELECT 1'));
      expect(error).toBeInstanceOf(CrateConnectionError);
      expect(error.kind).toBe('timeout');
      expect(error.message).toContain(`timeout of ${timeout} ms`);
      expect(error.message).toContain(silent.url);
      expect(ms).toBeGreaterThanOrEqual(timeout - 1);
      expect(ms).toBeLessThan(timeout + TIMEOUT_PRECISION_MS);
    });
  }

  it('a 622 ms statement with a 10 ms timeout is a timeout, not a result', async () => {
    const { error, ms } = await timedFailure(new CrateClient({ servers: slow.url, timeout: 10 }), (client) => client.sql('SELECT pg_sleep(0.622)'));
    expect(error.kind).toBe('timeout');
    expect(ms).toBeLessThan(10 + TIMEOUT_PRECISION_MS);
  });

  it('a write timed out after sending may have been applied', async () => {
    const { error } = await timedFailure(new CrateClient({ servers: silent.url, timeout: 30 }), (client) => client.sql('INSERT INTO t (id) VALUES (1)'));
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/may or may not have been applied/);
  });

  it('covers the whole call: retries and the pauses between them count', async () => {
    const refused = await refusedServerUrl();
    const { error, ms } = await timedFailure(
      new CrateClient({ servers: [refused, silent.url], timeout: 150, backoffFactor: 100 }),
      (client) => client.sql('INSERT INTO t (id) VALUES (1)'),
    );
    expect(error.kind).toBe('timeout');
    expect((error as CrateConnectionError).failures.map((failure) => failure.server)).toEqual([refused, silent.url]);
    expect(ms).toBeLessThan(150 + TIMEOUT_PRECISION_MS);
  });

  it('covers bulk and serverInfo too', async () => {
    for (const work of [(client: CrateClient) => client.bulk('INSERT INTO t (id) VALUES (?)', [[1], [2]]), (client: CrateClient) => client.serverInfo()]) {
      const { error, ms } = await timedFailure(new CrateClient({ servers: silent.url, timeout: 40 }), work);
      expect(error.kind).toBe('timeout');
      expect(ms).toBeLessThan(40 + TIMEOUT_PRECISION_MS);
    }
  });

  it('an abort by the caller still rejects with the caller\'s reason, also when a timeout is set', async () => {
    const client = new CrateClient({ servers: silent.url, timeout: 5_000 });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('caller gave up')), 20);
    await expect(client.sql('SELECT 1', [], { signal: controller.signal })).rejects.toThrow('caller gave up');
    await client.close();
  });
});
