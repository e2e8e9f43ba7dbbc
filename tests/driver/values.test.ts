/**
 * Nothing is changed silently: parameter values JSON would turn into something else are refused before sending,
 * naming the parameter (`$2`, `bulk_args[3][1]`, with the path inside it) and what was wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrateClient } from '../../src/driver/index.js';
import { CrateValueError } from '../../src/shared/errors.js';
import { startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';

let server: ProtocolServer;
let client: CrateClient;
beforeAll(async () => {
  server = await startProtocolServer();
  client = new CrateClient({ servers: server.url });
});
afterAll(async () => {
  await client.close();
  await server.close();
});

async function refusal(work: Promise<unknown>): Promise<CrateValueError> {
  const before = server.requests.length;
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CrateValueError);
  // Refused before anything was sent.
  expect(server.requests.length).toBe(before);
  return error as CrateValueError;
}

class Point {
  constructor(
    public x: number,
    public y: number,
  ) {}
}
class Opaque {
  readonly #secret = 1;
  get value(): number {
    return this.#secret;
  }
}

describe('refused parameter values', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['NaN', NaN, '$2', /^\$2: NaN cannot be sent: JSON has no NaN, so CrateDB would store NULL/],
    ['Infinity', Infinity, '$2', /^\$2: Infinity cannot be sent: JSON has no Infinity/],
    ['-Infinity', -Infinity, '$2', /^\$2: -Infinity cannot be sent/],
    ['an Invalid Date', new Date('nope'), '$2', /^\$2: an Invalid Date cannot be sent/],
    ['NaN in an array', [1, 2, NaN], '$2[2]', /NaN cannot be sent/],
    ['NaN in an object', { price: NaN }, '$2.price', /NaN cannot be sent/],
    ['Infinity deep inside', { a: [{ 'b c': [Infinity] }] }, '$2.a[0]["b c"][0]', /Infinity cannot be sent/],
    ['an Invalid Date in an object', { at: new Date(Number.NaN) }, '$2.at', /Invalid Date/],
    ['an Invalid Date in an array', [new Date(0), new Date('x')], '$2[1]', /Invalid Date/],
    ['a Map', new Map([['a', 1]]), '$2', /a Map would be sent as \{\}: JSON ignores its entries; convert it, e\.g\. Object\.fromEntries\(map\)/],
    ['a Set', new Set([1]), '$2', /a Set would be sent as \{\}.*\[\.\.\.set\]/],
    ['a function', () => 1, '$2', /a function cannot be sent/],
    ['a function as an object property', { f: () => 1 }, '$2.f', /a function cannot be sent/],
    ['a symbol', Symbol('s'), '$2', /a symbol cannot be sent/],
    ['a RegExp', /x/, '$2', /a RegExp would be sent as \{\}/],
    ['an Error', new Error('boom'), '$2', /an Error would be sent as \{\}/],
    ['a Promise', Promise.resolve(1), '$2', /a Promise cannot be sent/],
    ['a WeakMap', new WeakMap(), '$2', /a WeakMap cannot be sent/],
    ['a Buffer', Buffer.from('hi'), '$2', /bytes \(Buffer\) cannot be sent: CrateDB has no byte column type/],
    ['a Uint8Array', new Uint8Array([1]), '$2', /bytes \(Uint8Array\)/],
    ['an ArrayBuffer', new ArrayBuffer(2), '$2', /bytes \(ArrayBuffer\)/],
    ['NaN in a Float32Array', new Float32Array([1, NaN]), '$2[1]', /NaN cannot be sent/],
    ['an instance that would become {}', new Opaque(), '$2', /an instance of Opaque would be sent as \{\}/],
    ['a boxed NaN', Object(NaN), '$2', /NaN cannot be sent/],
    ['a toJSON returning NaN', { toJSON: () => NaN }, '$2', /NaN cannot be sent/],
  ];
  for (const [name, value, where, message] of cases) {
    it(`${name} → ${where}`, async () => {
      const error = await refusal(client.sql('INSERT INTO t (a, b) VALUES ($1, $2)', [1, value]));
      expect(error.code).toBe('CRATE_ERR_VALUE');
      expect(error.where).toBe(where);
      expect(error.message).toMatch(message);
      expect(error.message).toContain('in statement: INSERT INTO t (a, b) VALUES ($1, $2)');
    });
  }

  it('a circular structure, naming where the cycle closes', async () => {
    const node: Record<string, unknown> = { name: 'a' };
    node.children = [{ parent: node }];
    const error = await refusal(client.sql('SELECT ?', [node]));
    expect(error.where).toBe('$1.children[0].parent');
    expect(error.message).toMatch(/circular structure/);
  });

  it('in bulk arguments, names the row and the column', async () => {
    const rows = [
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, NaN],
    ];
    const error = await refusal(client.bulk('INSERT INTO t (id, v) VALUES (?, ?)', rows));
    expect(error.where).toBe('bulk_args[3][1]');
    const nested = await refusal(client.bulk('INSERT INTO t (id, o) VALUES (?, ?)', [[1, { a: [new Map()] }]]));
    expect(nested.where).toBe('bulk_args[0][1].a[0]');
  });

  it('a bulk row that is not an array', async () => {
    const error = await refusal(client.bulk('INSERT INTO t (id) VALUES (?)', [[1], 2 as unknown as unknown[]]));
    expect(error.where).toBe('bulk_args[1]');
  });
});

describe('accepted parameter values', () => {
  async function sent(args: unknown[]): Promise<unknown[]> {
    await client.sql('SELECT 1', args);
    return server.requests.at(-1)!.json!.args!;
  }

  it('plain JSON values, bigints, dates, nested arrays and objects as they are', async () => {
    const date = new Date(Date.UTC(2024, 0, 2));
    expect(await sent(['s', 1.5, -0, true, null, [1, [2]], { a: { b: 'c' } }, date])).toEqual(['s', 1.5, 0, true, null, [1, [2]], { a: { b: 'c' } }, date.toISOString()]);
    await client.sql('SELECT 1', [2n ** 64n]);
    expect(server.requests.at(-1)!.body).toBe('{"stmt":"SELECT 1","args":[18446744073709551616]}');
  });

  it('undefined is NULL at the top level and in arrays, and an absent key in objects (JSON and pg convention)', async () => {
    expect(await sent([undefined, [1, undefined], { a: 1, b: undefined }])).toEqual([null, [1, null], { a: 1 }]);
  });

  it('objects with toJSON give their own form; class instances with properties give those', async () => {
    const withJson = { toJSON: () => ({ kind: 'custom' }) };
    expect(await sent([withJson, new Point(1, 2), new URL('https://example.com/x'), Object.create(null)])).toEqual([
      { kind: 'custom' },
      { x: 1, y: 2 },
      'https://example.com/x',
      {},
    ]);
  });

  it('typed arrays of numbers (a Float32Array embedding) are sent as arrays of their numbers', async () => {
    const embedding = new Float32Array([0.5, -1.25, 3]);
    expect(await sent([embedding, new Int32Array([1, -2]), [new Float64Array([1e300])]])).toEqual([[0.5, -1.25, 3], [1, -2], [[1e300]]]);
    await client.sql('SELECT 1', [new BigInt64Array([2n ** 62n])]);
    expect(server.requests.at(-1)!.body).toBe('{"stmt":"SELECT 1","args":[[4611686018427387904]]}');
  });

  it('the same object twice (not a cycle) is fine', async () => {
    const shared = { a: 1 };
    expect(await sent([[shared, shared], { x: shared, y: shared }])).toEqual([[{ a: 1 }, { a: 1 }], { x: { a: 1 }, y: { a: 1 } }]);
  });
});
