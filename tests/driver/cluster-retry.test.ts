/**
 * Reads survive a node's death: CrateDB's transient cluster errors (answered by a surviving node while the cluster
 * notices the loss) make a statement safe to repeat go to another node, within `retryTimeout`; writes are not re-sent.
 */
import { describe, expect, it } from 'vitest';
import { CrateDBError } from '../../src/driver/index.js';
import { replies, type Reply } from '../support/protocol-server.js';
import { LATE_MS } from '../support/timing.js';
import { fleet } from '../support/fleet.js';

const { servers, clientFor } = fleet();

async function rejection(promise: Promise<unknown>): Promise<CrateDBError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CrateDBError);
  return error as CrateDBError;
}

/** The answers a surviving node of CrateDB 6.4.3 gave right after another node was killed, and after a hang. */
const observed: [string, Reply][] = [
  ['5000 NodeNotConnectedException', replies.error(5000, 'NodeNotConnectedException[[t2][127.0.0.1:4302] Node not connected]')],
  ['5000 NoSuchNodeException', replies.error(5000, 'NoSuchNodeException[No such node [x3Qn7QfGQmWp3pD1Yq0J3A]]')],
  ['5005 JobKilledException (participating node disconnected)', replies.error(5005, 'JobKilledException[Job killed. Participating node x3Qn7QfGQmWp3pD1Yq0J3A disconnected]')],
  ['4040 IndexNotFoundException', replies.error(4040, 'IndexNotFoundException[no such index [t]]')],
  ['4000 SQLParseException (unknown node)', replies.error(4000, 'SQLParseException[Unknown node: foSaCy_0TQetQxQ5afbETA]')],
];

describe('transient cluster errors', () => {
  for (const [name, reply] of observed) {
    it(`a read answered with ${name} is sent to another node and succeeds`, async () => {
      const [a, b] = await servers(2);
      a!.enqueue(reply);
      b!.enqueue(replies.rows(['n'], [9], [[7]]));
      const client = clientFor([a!.url, b!.url]);
      expect((await client.sql('SELECT count(*) FROM t')).rows).toEqual([[7]]);
      expect(a!.statements()).toEqual(['SELECT count(*) FROM t']);
      expect(b!.statements()).toEqual(['SELECT count(*) FROM t']);
    });
  }

  it('the node that answered stays active: it is alive, its cluster failed', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(observed[0]![1]);
    const client = clientFor([a!.url, b!.url]);
    await client.sql('SELECT 1'); // a: transient, then b
    await client.sql('SELECT 2'); // round-robin: a again
    expect(a!.statements()).toEqual(['SELECT 1', 'SELECT 2']);
  });

  it('with one node, the read is sent again after a pause until the cluster recovers', async () => {
    const [only] = await servers(1);
    only!.enqueue(observed[0]![1], observed[2]![1], observed[1]![1]);
    const client = clientFor([only!.url]);
    const started = performance.now();
    expect((await client.sql('SELECT 1')).rowCount).toBe(1);
    // Three transient answers, then the default reply; pauses of 50, 100 and 200 ms between the rounds.
    expect(only!.statements()).toHaveLength(4);
    expect(performance.now() - started).toBeGreaterThanOrEqual(50 + 100 + 200 - 5);
  });

  it('a write hit by a transient error is not re-sent, and may have been applied', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(observed[2]![1]);
    const client = clientFor([a!.url, b!.url]);
    const error = await rejection(client.sql('INSERT INTO t (id) VALUES (1)'));
    expect(error.serverCode).toBe(5005);
    expect(error.outcomeUnknown).toBe(true);
    expect(error.message).toMatch(/may or may not have been applied/);
    expect(b!.statements()).toEqual([]);
  });

  it('a write declared idempotent is re-sent', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(observed[0]![1]);
    const client = clientFor([a!.url, b!.url]);
    await client.sql('INSERT INTO t (id) VALUES (1) ON CONFLICT DO NOTHING', [], { idempotent: true });
    expect(b!.statements()).toHaveLength(1);
  });

  const final: [string, Reply][] = [
    ["a user's KILL", replies.error(5005, 'JobKilledException[Job killed. KILL invoked by user: crate]')],
    ['a statement timeout', replies.error(5005, 'JobKilledException[Job killed. statement_timeout (1s/exec)]')],
    ['a bare job kill', replies.error(5005, 'JobKilledException[Job killed]')],
    ['a division by zero', replies.error(5000, 'ArithmeticException[/ by zero]')],
    ['a syntax error', replies.error(4000, "SQLParseException[line 1:1: mismatched input 'SELEC']")],
  ];
  for (const [name, reply] of final) {
    it(`a read failing with ${name} is not retried`, async () => {
      const [a, b] = await servers(2);
      a!.enqueue(reply);
      const client = clientFor([a!.url, b!.url]);
      const error = await rejection(client.sql('SELECT 1'));
      expect(error.serverMessage).toBe((reply as { json: { error: { message: string } } }).json.error.message);
      expect(error.outcomeUnknown).toBe(false);
      expect(a!.statements()).toHaveLength(1);
      expect(b!.statements()).toHaveLength(0);
    });
  }

  it('gives up after retryTimeout with the last error of the cluster', async () => {
    const [a, b] = await servers(2);
    for (const server of [a!, b!]) server.handle(() => observed[0]![1]);
    const client = clientFor([a!.url, b!.url], { retryTimeout: 400 });
    const started = performance.now();
    const error = await rejection(client.sql('SELECT 1'));
    const elapsed = performance.now() - started;
    // The window opens at the first answer, a few ms after the start.
    expect(error.serverCode).toBe(5000);
    expect(error.serverMessage).toMatch(/^NodeNotConnectedException/);
    expect(error.message).toMatch(/kept answering with transient cluster errors/);
    // Rounds after 50, 100 and 200 ms; the next (400 ms more) would end beyond the 400 ms allowed.
    expect(elapsed).toBeGreaterThanOrEqual(350 - 5);
    expect(elapsed).toBeLessThan(400 + LATE_MS);
    expect(a!.statements().length + b!.statements().length).toBe(8);
  });

  it('retryTimeout counts from the first transient error, not from the call: a statement that waited long still gets it', async () => {
    const [only] = await servers(1);
    // As when a node hangs: the statement waits for it until the cluster drops it, then fails transiently.
    only!.enqueue(replies.delay(300, observed[2]![1]));
    const client = clientFor([only!.url], { retryTimeout: 200 });
    expect((await client.sql('SELECT 1')).rowCount).toBe(1);
    expect(only!.statements()).toHaveLength(2);
  });

  it('retryTimeout: 0 turns these retries off', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(observed[0]![1]);
    const client = clientFor([a!.url, b!.url], { retryTimeout: 0 });
    const error = await rejection(client.sql('SELECT 1'));
    expect(error.serverCode).toBe(5000);
    expect(b!.statements()).toHaveLength(0);
  });

  it("the call's timeout cuts the retries short", async () => {
    const [a] = await servers(1);
    a!.handle(() => observed[0]![1]);
    const client = clientFor([a!.url], { timeout: 120 });
    const started = performance.now();
    const error = await rejection(client.sql('SELECT 1'));
    expect(error.kind).toBe('timeout');
    expect(performance.now() - started).toBeLessThan(120 + LATE_MS);
  });
});

describe('an unavailable cluster (503) is waited for, within retryTimeout', () => {
  it('a read goes round the servers again until one serves', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(replies.unavailable(503), replies.unavailable(503));
    b!.enqueue(replies.unavailable(503));
    const client = clientFor([a!.url, b!.url]);
    await client.sql('SELECT 1');
    expect(a!.statements().length + b!.statements().length).toBe(4);
  });

  it('a write is not re-sent', async () => {
    const [a, b] = await servers(2);
    a!.enqueue(replies.unavailable(503));
    const client = clientFor([a!.url, b!.url]);
    const error = await rejection(client.sql('DELETE FROM t'));
    expect(error.outcomeUnknown).toBe(true);
    expect(b!.statements()).toHaveLength(0);
  });
});
