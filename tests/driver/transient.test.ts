/**
 * The one table of statuses and CrateDB error codes (src/driver/transient.ts): what each means, and that no other
 * driver file keeps a list of its own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ColTypeId } from '../../src/driver/index.js';
import { errorKindFor, failoverFor } from '../../src/driver/transient.js';
import { cursorHandler } from '../support/cursor-server.js';
import { fleet } from '../support/fleet.js';
import { blobHandler, replies, type Reply } from '../support/protocol-server.js';

const { servers, clientFor } = fleet();

const DRIVER = join(import.meta.dirname, '../../src/driver');

/** The source without comments and string literals: numbers in prose or messages do not count. */
function code(file: string): string {
  return readFileSync(join(DRIVER, file), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/.*$/gm, '')
    .replace(/'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g, "''");
}

describe('the transient table', () => {
  it('is the only driver file that names the statuses failover acts on', () => {
    const named = readdirSync(DRIVER)
      .filter((file) => file.endsWith('.ts') && file !== 'transient.ts')
      .filter((file) => /\b(?:429|500|502|503|504)\b/.test(code(file)));
    expect(named).toEqual([]);
  });

  it.each([
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'unavailable'],
    // Deliberately final: a live node shedding load is neither set aside nor retried at once (see the table).
    [429, 'final'],
    [401, 'final'],
    [403, 'final'],
    [200, 'final'],
    [409, 'final'],
  ] as const)('HTTP %i: %s', (status, failover) => {
    expect(failoverFor(status, 'NodeNotConnectedException[gone]')).toBe(failover === 'unavailable' ? 'unavailable' : 'final');
    expect(failoverFor(status, 'anything')).toBe(failover);
  });

  it('counts 400, 404 and 500 as transient only with one of the transient cluster errors', () => {
    expect(failoverFor(500, 'NodeNotConnectedException[node gone]')).toBe('transient');
    expect(failoverFor(500, 'ArithmeticException[/ by zero]')).toBe('final');
    expect(failoverFor(404, 'ShardNotFoundException[no such shard]')).toBe('transient');
    expect(failoverFor(404, "RelationUnknown[Relation 'x' unknown]")).toBe('final');
    expect(failoverFor(400, 'SQLParseException[Unknown node: abc]')).toBe('transient');
    expect(failoverFor(400, "SQLParseException[line 1:1: mismatched input 'SELEC']")).toBe('final');
    // A transient message on a status outside the table is CrateDB saying something else.
    expect(failoverFor(409, 'NodeNotConnectedException[node gone]')).toBe('final');
  });

  it('gives 429 the kind of 502-504, "try later", although failover leaves it alone', () => {
    for (const status of [429, 502, 503, 504]) expect(errorKindFor(undefined, status)).toBe('service-unavailable');
    expect(errorKindFor(undefined, 500)).toBe('server-error');
    expect(errorKindFor(undefined, 507)).toBe('server-error');
    expect(errorKindFor(undefined, 418)).toBe('other');
    expect(errorKindFor(4011, 401)).toBe('forbidden');
    expect(errorKindFor(undefined, 401)).toBe('unauthorized');
  });
});

describe('the client, the blob client and the cursor read a status alike', () => {
  const answers: [number, Reply][] = [
    [429, { status: 429, text: 'Too Many Requests', contentType: 'text/plain' }],
    [502, replies.unavailable(502)],
    [503, replies.unavailable(503)],
    [504, replies.unavailable(504)],
  ];

  it.each(answers)('HTTP %i from the first node', async (status, reply) => {
    const [first, second] = await servers(2);
    const table = { cols: ['n'], colTypes: [ColTypeId.INTEGER], rows: [[1], [2]] };
    const bytes = Buffer.from('one table');
    const digest = createHash('sha1').update(bytes).digest('hex');
    const cursors = cursorHandler(table, () => replies.rows(table.cols, table.colTypes, table.rows));
    second!.handle(blobHandler(new Map([['media', new Map([[digest, bytes]])]]), cursors.handler));
    first!.handle(() => reply);
    // A new client for each call, so that each starts on the first node.
    const calls = {
      sql: () => clientFor([first!.url, second!.url]).sql('SELECT n FROM t'),
      blob: () => clientFor([first!.url, second!.url]).blobs('media').getBuffer(digest),
      cursor: async () => {
        for await (const _batch of clientFor([first!.url, second!.url]).cursor('SELECT n FROM t')) {
          // reading on
        }
      },
    };
    for (const [name, call] of Object.entries(calls)) {
      const outcome = await call().then(
        () => 'served by the next node',
        (error: { kind?: string; status?: number }) => `${error.kind} ${error.status}`,
      );
      const expected = failoverFor(status, '') === 'unavailable' ? 'served by the next node' : `service-unavailable ${status}`;
      expect(`${name}: ${outcome}`).toBe(`${name}: ${expected}`);
    }
    expect(first!.requests).toHaveLength(3);
    if (status === 429) expect(second!.requests).toEqual([]);
  });
});
