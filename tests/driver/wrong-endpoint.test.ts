/**
 * A URL that points at the wrong port or uses the wrong scheme: the connection error must say what is likely wrong
 * and what to use, on both transports (vitest.fetch.config.ts runs this file again on fetch).
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrateClient, CrateConnectionError } from '../../src/driver/index.js';
import { startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';
import { currentTransport } from '../support/transport.js';

/** A TCP server that answers the first bytes it gets with `reply` and closes, as a non-HTTP port does. */
async function rawServer(reply: Buffer): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.once('data', () => socket.end(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a PostgreSQL server sends to bytes it cannot read as a startup packet: an ErrorResponse ('E') message. */
function postgresErrorResponse(): Buffer {
  const fields = Buffer.from('SFATAL\0C08P01\0Minvalid startup packet layout\0\0');
  const header = Buffer.alloc(5);
  header.write('E', 0);
  header.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([header, fields]);
}

const clients: CrateClient[] = [];
function clientFor(servers: string | string[]): CrateClient {
  const client = new CrateClient({ servers });
  clients.push(client);
  return client;
}

async function connectionError(client: CrateClient, stmt = 'SELECT 1'): Promise<CrateConnectionError> {
  const error = await client.sql(stmt).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(CrateConnectionError);
  return error as CrateConnectionError;
}

let postgres: Awaited<ReturnType<typeof rawServer>>;
let transportPort: Awaited<ReturnType<typeof rawServer>>;
let plainHttp: ProtocolServer;

beforeAll(async () => {
  postgres = await rawServer(postgresErrorResponse());
  // CrateDB's transport port (Elasticsearch's TcpTransport) answers an HTTP request with this bare text.
  transportPort = await rawServer(Buffer.from('This is not an HTTP port'));
  plainHttp = await startProtocolServer();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await postgres.close();
  await transportPort.close();
  await plainHttp.close();
});

describe(`a wrong port or scheme, on ${currentTransport()}`, () => {
  const notHttpHint =
    /the answer is not HTTP \(Response does not match the HTTP\/1\.1 protocol.*\); that port does not speak HTTP: is it CrateDB's PostgreSQL port \(5432\) or transport port \(4300\)\? .*HTTP endpoint, which is port 4200 by default/;

  it('an http:// URL at a PostgreSQL port says the port does not speak HTTP and names 4200', async () => {
    const error = await connectionError(clientFor(postgres.url));
    expect(error.code).toBe('CRATE_ERR_CONNECTION');
    expect(error.kind).toBe('connection');
    expect(error.message).toContain(`${postgres.url}: the answer is not HTTP`);
    expect(error.message).toMatch(notHttpHint);
    expect(error.failures).toEqual([{ server: postgres.url, error: expect.stringMatching(notHttpHint) }]);
  });

  it('so does one at the transport port', async () => {
    const error = await connectionError(clientFor(transportPort.url));
    expect(error.failures[0]!.error).toMatch(notHttpHint);
  });

  it('a write gets the hint too, on the message that says its fate is unknown', async () => {
    const error = await connectionError(clientFor(postgres.url), 'INSERT INTO t (id) VALUES (1)');
    expect(error.message).toMatch(notHttpHint);
    expect(error.outcomeUnknown).toBe(true);
  });

  it('an https:// URL at a plain HTTP server says to use http://', async () => {
    const url = plainHttp.url.replace(/^http:/, 'https:');
    const error = await connectionError(clientFor(url));
    expect(error.code).toBe('CRATE_ERR_CONNECTION');
    expect(error.kind).toBe('connection');
    expect(error.failures[0]!.server).toBe(url);
    expect(error.failures[0]!.error).toBe(
      'TLS failure: wrong version number (ERR_SSL_WRONG_VERSION_NUMBER); the server did not answer in TLS, so it most ' +
        'likely speaks plain HTTP on that port: use http:// (or turn TLS on in CrateDB with ssl.http.enabled)',
    );
    // One line: OpenSSL's multi-line text with its source file does not leak into the message.
    expect(error.message).not.toMatch(/\n|openssl/);
  });
});
