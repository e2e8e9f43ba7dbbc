import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrateClient, CrateDBError, parseConnectionString } from '../../src/driver/index.js';
import { refusedServerUrl, replies, startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';
import { currentTransport } from '../support/transport.js';

let server: ProtocolServer;
const clients: CrateClient[] = [];
function clientFor(config: ConstructorParameters<typeof CrateClient>[0]): CrateClient {
  const client = new CrateClient(config);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  server = await startProtocolServer();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await server.close();
});

async function authorizationSent(config: ConstructorParameters<typeof CrateClient>[0]): Promise<string | undefined> {
  await clientFor(config).sql('SELECT 1');
  return server.requests.at(-1)!.headers.authorization;
}

const basic = (credentials: string): string => `Basic ${Buffer.from(credentials).toString('base64')}`;

describe('authentication headers', () => {
  it('sends none without credentials (CrateDB then uses its trusted default user)', async () => {
    expect(await authorizationSent({ servers: server.url })).toBeUndefined();
  });

  it('sends Basic user:password from options', async () => {
    expect(await authorizationSent({ servers: server.url, username: 'john', password: 'pw' })).toBe(basic('john:pw'));
  });

  it('sends Basic user: for a user without password', async () => {
    expect(await authorizationSent({ servers: server.url, username: 'john' })).toBe(basic('john:'));
  });

  it('sends Basic crate:password for a password without user', async () => {
    expect(await authorizationSent({ servers: server.url, password: 'pw' })).toBe(basic('crate:pw'));
  });

  it('takes percent-decoded credentials from the URL', async () => {
    const url = `http://j%40hn:p%3Aw%2F%25@127.0.0.1:${server.port}`;
    expect(await authorizationSent(url)).toBe(basic('j@hn:p:w/%'));
    expect(await authorizationSent({ servers: url })).toBe(basic('j@hn:p:w/%'));
    expect(await authorizationSent(`crate://john:s%20cret@127.0.0.1:${server.port}`)).toBe(basic('john:s cret'));
  });

  it('sends a Bearer token', async () => {
    expect(await authorizationSent({ servers: server.url, token: 'eyJhbGciOi.payload.sig' })).toBe('Bearer eyJhbGciOi.payload.sig');
  });

  it('refuses a password and a token together', () => {
    expect(() => new CrateClient({ password: 'pw', token: 't' })).toThrow(/either a token or a user name and password, not both/);
  });
});

describe('secrets never leak', () => {
  const password = 'Pa55-w0rd-never-print';
  const token = 'eyJ0eXAi.never-print-token.sig';
  const leaks = (text: string, secret: string): boolean =>
    text.includes(secret) || text.includes(Buffer.from(`crate:${secret}`).toString('base64')) || text.includes(Buffer.from(`john:${secret}`).toString('base64'));

  const everything = (client: CrateClient): string[] => [
    String(client),
    client.toString(),
    `${client}`,
    JSON.stringify(client),
    JSON.stringify(client.config),
    inspect(client),
    inspect(client, { showHidden: true, depth: Infinity, getters: true }),
    inspect(client.config, { showHidden: true, depth: Infinity }),
    // withSchema() is refused on the fetch transport (config.ts).
    ...(currentTransport() === 'undici' ? [inspect(client.withSchema('other'), { showHidden: true, depth: Infinity, getters: true })] : []),
  ];

  it('not in printed or serialized clients (password)', () => {
    const client = clientFor({ servers: server.url, username: 'john', password });
    for (const text of everything(client)) expect(leaks(text, password)).toBe(false);
    expect(inspect(client)).toContain("authentication: 'basic'");
  });

  it('not in printed or serialized clients (token, URL password)', () => {
    for (const client of [clientFor({ servers: server.url, token }), clientFor(`http://john:${password}@127.0.0.1:${server.port}`)]) {
      for (const text of everything(client)) {
        expect(leaks(text, password)).toBe(false);
        expect(leaks(text, token)).toBe(false);
      }
    }
  });

  it('not in errors (server errors, unauthorized, connection failures)', async () => {
    const errors: unknown[] = [];
    const client = clientFor({ servers: server.url, username: 'john', password });
    server.enqueue(replies.unauthorized('password authentication failed for user "john"'));
    errors.push(await client.sql('SELECT 1').catch((e: unknown) => e));
    server.enqueue(replies.error(4000, 'SQLParseException[bad]'));
    errors.push(await client.sql('SELECT 1').catch((e: unknown) => e));
    const unreachable = clientFor({ servers: `http://john:${password}@${(await refusedServerUrl()).slice('http://'.length)}` });
    errors.push(await unreachable.sql('SELECT 1').catch((e: unknown) => e));
    for (const error of errors) {
      expect(error).toBeInstanceOf(CrateDBError);
      const texts = [String(error), (error as Error).message, (error as Error).stack ?? '', JSON.stringify(error), inspect(error, { showHidden: true, depth: Infinity })];
      for (const text of texts) expect(leaks(text, password)).toBe(false);
    }
  });

  it('not in configuration errors', () => {
    const messages: string[] = [];
    const attempt = (fn: () => unknown): void => {
      try {
        fn();
      } catch (error) {
        messages.push((error as Error).message);
      }
    };
    attempt(() => parseConnectionString(`crate://john:${password}@host/?nonsense=1`));
    attempt(() => parseConnectionString(`crate://john:${password}@host/path`));
    attempt(() => parseConnectionString(`crate://john:${password}%zz@host`));
    attempt(() => new CrateClient({ servers: [`http://john:${password}@bad host:1`] }));
    attempt(() => new CrateClient({ servers: `ftp://john:${password}@host` }));
    expect(messages).toHaveLength(5);
    for (const message of messages) expect(message).not.toContain(password);
  });
});
