/**
 * Which transport carries the requests, and what the fetch transport refuses. Runs in the line runs (undici
 * registered, as by the Node entry points) and in the fetch run (undici unregistered, as on Bun, Deno and Workers).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CrateClient, parseConnectionString } from '../../src/driver/index.js';
import { CrateConfigError } from '../../src/shared/errors.js';
import { replies, startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';
import { currentTransport, onlyOn } from '../support/transport.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
async function server(): Promise<ProtocolServer> {
  const started = await startProtocolServer();
  cleanups.push(() => started.close());
  return started;
}
function client(options: ConstructorParameters<typeof CrateClient>[0]): CrateClient {
  const made = new CrateClient(options);
  cleanups.push(() => made.close());
  return made;
}
function configError(make: () => unknown): CrateConfigError {
  try {
    make();
  } catch (error) {
    expect(error).toBeInstanceOf(CrateConfigError);
    return error as CrateConfigError;
  }
  throw new Error('expected a CrateConfigError');
}

describe('the automatic choice', () => {
  it(`is ${currentTransport()} in this run`, async () => {
    const crate = await server();
    const auto = client({ servers: crate.url });
    expect(auto.config.transport).toBe(currentTransport());
    crate.enqueue(replies.rows(['n'], [10], [[1]]));
    expect((await auto.sql('SELECT 1')).rows).toEqual([[1]]);
  });

  it.runIf(currentTransport() === 'fetch')(onlyOn('fetch', "refuses transport 'undici' where undici is not registered, saying why", 'this run registers undici'), () => {
    const error = configError(() => new CrateClient({ transport: 'undici' }));
    expect(error.option).toBe('transport');
    expect(error.message).toMatch(/undici is not available here/);
  });
});

describe("transport: 'fetch'", () => {
  it('carries statements, bulk requests and serverInfo, with auth and ?types', async () => {
    const crate = await server();
    const viaFetch = client({ servers: crate.url, transport: 'fetch', username: 'alice', password: 'päss' });
    expect(viaFetch.config.transport).toBe('fetch');
    crate.enqueue({ text: '{"cols":["id"],"col_types":[10],"rows":[[9223372036854775806]],"rowcount":1,"duration":1}' });
    expect((await viaFetch.sql('SELECT id FROM t WHERE id = ?', [1])).rows).toEqual([[9223372036854775806n]]);
    expect((await viaFetch.bulk('INSERT INTO t (id) VALUES (?)', [[1], [2]])).results).toEqual([{ rowCount: 1 }, { rowCount: 1 }]);
    expect((await viaFetch.serverInfo()).version).toBe('6.4.3');
    const [first] = crate.requests;
    expect(first!.url).toBe('/_sql?types');
    // UTF-8 bytes of "alice:päss", base64 (Node's Buffer is not used: other runtimes lack it).
    expect(first!.headers.authorization).toBe(`Basic ${Buffer.from('alice:päss').toString('base64')}`);
    expect(first!.headers['default-schema']).toBeUndefined();
  });

  it('is chosen by the connection URL parameter too', () => {
    expect(parseConnectionString('crate://localhost:4200/?transport=fetch').transport).toBe('fetch');
    expect(new CrateClient('http://localhost:4200/?transport=fetch').config.transport).toBe('fetch');
    expect(() => parseConnectionString('crate://localhost/?transport=fetsh')).toThrow(/'transport' must be 'auto', 'undici' or 'fetch', got "fetsh"/);
  });

  it('refuses a misspelt option name with a suggestion, and an unknown value', () => {
    expect(configError(() => new CrateClient({ transprot: 'fetch' } as never)).message).toMatch(/did you mean 'transport'/);
    expect(configError(() => new CrateClient({ transport: 'http' as never })).option).toBe('transport');
  });

  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['poolSize', { poolSize: 4 }, /pools its connections itself/],
    ['keepAlive', { keepAlive: false }, /decides whether connections are reused/],
    ['connectTimeout', { connectTimeout: 500 }, /no connect timeout/],
    ['tls', { tls: { rejectUnauthorized: false } }, /certificate store/],
    ['schema', { schema: 'analytics' }, /default schema on its first request/],
  ];
  for (const [option, options, why] of refused) {
    it(`refuses ${option}, which fetch cannot honour, before anything is sent`, () => {
      const error = configError(() => new CrateClient({ servers: 'http://127.0.0.1:9', transport: 'fetch', ...options }));
      expect(error.option).toBe(option);
      expect(error.message).toContain(`'${option}' is not supported on the fetch transport`);
      expect(error.message).toMatch(why);
    });
  }

  it('refuses withSchema() for the same reason as schema', () => {
    const error = configError(() => new CrateClient({ transport: 'fetch' }).withSchema('analytics'));
    expect(error.message).toMatch(/withSchema\(\) is not supported on the fetch transport/);
  });

  it('close() waits for requests in flight, then refuses new ones', async () => {
    const crate = await server();
    crate.enqueue(replies.delay(50, replies.rows(['n'], [9], [[5]])));
    const viaFetch = client({ servers: crate.url, transport: 'fetch' });
    const pending = viaFetch.sql('SELECT 5');
    await new Promise((resolve) => setTimeout(resolve, 10));
    await viaFetch.close();
    expect((await pending).rows).toEqual([[5]]);
    await expect(viaFetch.sql('SELECT 1')).rejects.toThrow(/closed/);
  });
});
