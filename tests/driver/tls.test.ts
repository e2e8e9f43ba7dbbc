import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrateClient, CrateConnectionError, parseConnectionString } from '../../src/driver/index.js';
import { generateTestCertificates, type TestCertificates } from '../support/certs.js';
import { startProtocolServer, type ProtocolServer } from '../support/protocol-server.js';

let certs: TestCertificates;
let tlsServer: ProtocolServer;
let plainServer: ProtocolServer;
const clients: CrateClient[] = [];

function clientFor(options: ConstructorParameters<typeof CrateClient>[0]): CrateClient {
  const client = new CrateClient(options);
  clients.push(client);
  return client;
}

beforeAll(async () => {
  certs = generateTestCertificates();
  tlsServer = await startProtocolServer({ tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca, requestCert: true } });
  plainServer = await startProtocolServer();
});
afterAll(async () => {
  await Promise.all(clients.map((client) => client.close()));
  await tlsServer.close();
  await plainServer.close();
  certs.cleanup();
});

const localhostUrl = (): string => tlsServer.url.replace('127.0.0.1', 'localhost');

describe('TLS', () => {
  it('connects to an https server whose CA is trusted', async () => {
    const client = clientFor({ servers: localhostUrl(), tls: { ca: certs.ca } });
    await client.sql('SELECT 1');
    expect(tlsServer.statements()).toContain('SELECT 1');
  });

  it('uses https for crate:// URLs with ssl=true', async () => {
    const client = clientFor({ ...parseConnectionString(`crate://localhost:${tlsServer.port}/?ssl=true`), tls: { ca: certs.ca } });
    expect(client.config.servers).toEqual([`https://localhost:${tlsServer.port}`]);
    await client.sql('SELECT 2');
  });

  it('rejects a certificate from an unknown CA, as a failure before sending (a write moves on)', async () => {
    const client = clientFor({ servers: [localhostUrl(), plainServer.url], tls: { ca: certs.otherCa } });
    const before = tlsServer.statements().length;
    await client.sql('INSERT INTO t (id) VALUES (1)');
    expect(plainServer.statements()).toContain('INSERT INTO t (id) VALUES (1)');
    expect(tlsServer.statements()).toHaveLength(before);

    const only = clientFor({ servers: localhostUrl(), tls: { ca: certs.otherCa } });
    const error = (await only.sql('SELECT 1').catch((e: unknown) => e)) as CrateConnectionError;
    expect(error).toBeInstanceOf(CrateConnectionError);
    expect(error.kind).toBe('connection');
    expect(error.failures[0]!.error).toMatch(/TLS failure.*\((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)\)/);
  });

  it('rejects a certificate not issued for the host name', async () => {
    const elsewhere = generateTestCertificates({ hosts: ['crate.example'] });
    const misnamed = await startProtocolServer({ tls: { key: elsewhere.serverKey, cert: elsewhere.serverCert } });
    try {
      const client = clientFor({ servers: misnamed.url, tls: { ca: elsewhere.ca } });
      const error = (await client.sql('SELECT 1').catch((e: unknown) => e)) as CrateConnectionError;
      expect(error).toBeInstanceOf(CrateConnectionError);
      expect(error.failures[0]!.error).toMatch(/TLS failure.*ERR_TLS_CERT_ALTNAME_INVALID/);
      expect(misnamed.requests).toHaveLength(0);
    } finally {
      await misnamed.close();
      elsewhere.cleanup();
    }
  });

  it('accepts an untrusted certificate with rejectUnauthorized: false', async () => {
    const client = clientFor({ servers: localhostUrl(), tls: { rejectUnauthorized: false } });
    await client.sql('SELECT 3');
  });

  it('presents a client certificate', async () => {
    const client = clientFor({ servers: localhostUrl(), tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } });
    await client.sql('SELECT 4');
    const request = tlsServer.requests.find((r) => r.stmt === 'SELECT 4');
    expect(request!.clientCertificate).toBe(certs.clientCommonName);
  });

  it('honours minVersion (a TLS 1.2-only server is refused when TLS 1.3 is required)', async () => {
    const legacy = await startProtocolServer({ tls: { key: certs.serverKey, cert: certs.serverCert, maxVersion: 'TLSv1.2' } });
    try {
      const url = legacy.url.replace('127.0.0.1', 'localhost');
      await clientFor({ servers: url, tls: { ca: certs.ca } }).sql('SELECT 5');
      const strict = clientFor({ servers: url, tls: { ca: certs.ca, minVersion: 'TLSv1.3' } });
      expect(strict.config.tls).toEqual({ rejectUnauthorized: true, minVersion: 'TLSv1.3', customCa: true, clientCertificate: false });
      const error = (await strict.sql('SELECT 6').catch((e: unknown) => e)) as CrateConnectionError;
      expect(error).toBeInstanceOf(CrateConnectionError);
      expect(error.failures[0]!.error).toMatch(/TLS failure/);
      expect(legacy.statements()).toEqual(['SELECT 5']);
    } finally {
      await legacy.close();
    }
  });
});
