/**
 * Throwaway TLS material for tests, made with the `openssl` CLI in a temporary directory: a CA, a server certificate
 * it signed (for localhost and 127.0.0.1), a client certificate it signed, and an unrelated CA that trusts nothing.
 * EC P-256 keys keep generation fast (~50 ms for the whole set).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCertificates {
  readonly dir: string;
  /** PEM of the CA that signed the server and client certificates. */
  readonly ca: string;
  readonly serverCert: string;
  readonly serverKey: string;
  /** Client certificate with CN `clientCommonName`. */
  readonly clientCert: string;
  readonly clientKey: string;
  readonly clientCommonName: string;
  /** A CA that signed nothing here: trusting only it must make verification fail. */
  readonly otherCa: string;
  cleanup(): void;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function generateTestCertificates(options: { hosts?: readonly string[]; clientCommonName?: string } = {}): TestCertificates {
  const hosts = options.hosts ?? ['localhost', '127.0.0.1', '::1'];
  const clientCommonName = options.clientCommonName ?? 'crate';
  const dir = mkdtempSync(join(tmpdir(), 'crate-test-certs-'));
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  };
  const read = (file: string): string => readFileSync(join(dir, file), 'utf8');

  const makeCa = (name: string, commonName: string): void =>
    openssl('req', '-x509', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.crt`, '-days', '2', '-subj', `/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');

  const makeLeaf = (name: string, commonName: string, extensions: string): void => {
    writeFileSync(join(dir, `${name}.ext`), extensions);
    openssl('req', '-new', ...EC_KEY, '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', `/CN=${commonName}`);
    openssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${name}.crt`,
      '-days', '2', '-extfile', `${name}.ext`);
  };

  makeCa('ca', 'drizzle-cratedb test CA');
  makeCa('other-ca', 'unrelated test CA');
  const altNames = hosts.map((host) => (/^[\d.]+$|:/.test(host) ? `IP:${host}` : `DNS:${host}`)).join(',');
  makeLeaf('server', hosts[0] ?? 'localhost',
    `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${altNames}\n`);
  makeLeaf('client', clientCommonName, 'basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth\n');

  return {
    dir,
    ca: read('ca.crt'),
    serverCert: read('server.crt'),
    serverKey: read('server.key'),
    clientCert: read('client.crt'),
    clientKey: read('client.key'),
    clientCommonName,
    otherCa: read('other-ca.crt'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
