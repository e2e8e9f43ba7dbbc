/**
 * Connection URLs and options: no part of a URL's userinfo ever appears in an error or in any output, whatever the
 * URL's shape; an unencoded `@` in a password is refused with the advice to percent-encode; options are checked by
 * name; and the inputs the reference clients accept (sqlalchemy-cratedb's `crate://` and `sslmode`, crate-python's
 * whitespace-separated server list) mean here what they mean there.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { CrateClient, parseConnectionString } from '../../src/driver/index.js';
import { CrateConfigError } from '../../src/shared/errors.js';

const SECRET = 'S3cr3t-never-print';

function outcome(build: () => unknown): { error?: unknown; texts: string[] } {
  try {
    const built = build();
    const texts = [String(built), JSON.stringify(built), inspect(built, { showHidden: true, depth: Infinity, getters: true })];
    if (built instanceof CrateClient) texts.push(JSON.stringify(built.config), inspect(built.config, { depth: Infinity }), built.config.username);
    void (built instanceof CrateClient && built.close());
    return { texts };
  } catch (error) {
    const e = error as Error;
    return { error, texts: [String(e), e.message, e.stack ?? '', JSON.stringify(e), inspect(e, { showHidden: true, depth: Infinity })] };
  }
}

describe('userinfo never appears in errors or output', () => {
  // Passwords holding the characters that end a URL's host part, several '@', spaces, bad escapes, and URLs broken
  // elsewhere while they carry a password.
  const shapes = [
    `crate://u:ab/${SECRET}@host:4200`,
    `http://u:ab/${SECRET}@host`,
    `https://u:ab/${SECRET}@host:4200/path`,
    `crate://u:ab?${SECRET}@host:4200`,
    `http://u:ab?${SECRET}@host`,
    `crate://u:ab#${SECRET}@host`,
    `http://u:ab#${SECRET}@host`,
    `http://u:ab\\${SECRET}@host`,
    `crate://u:${SECRET}@x@host:4200`,
    `http://u@x:${SECRET}@host`,
    `http://u:${SECRET}@`,
    `crate://u:${SECRET}@host:port`,
    `crate://u:${SECRET}@host:99999`,
    `http://u:${SECRET}@ho st:4200`,
    `crate://u:${SECRET}@ho st:4200`,
    `crate://u:${SECRET} x@host`,
    `crate://u:%zz${SECRET}@host`,
    `crate://u:${SECRET}@[::1`,
    `http://u:${SECRET}@host/?x=1`,
    `crate://u:${SECRET}@host/path`,
    `crate://u:${SECRET}@host/?nonsense=1`,
    `crate://u:${SECRET}@host/?ssl=maybe`,
    `ftp://u:${SECRET}@host`,
    `crate://u:${SECRET}`,
    `http://u:${SECRET}/`,
    `u:ab/${SECRET}@host:4200`,
    `u:${SECRET}@host:4200 host2:4200`,
    `http://u:${SECRET}@host:4200 other@host2`,
  ];
  for (const shape of shapes) {
    it(`as a connection URL: ${JSON.stringify(shape.replace(SECRET, '<secret>'))}`, () => {
      for (const build of [() => new CrateClient(shape), () => new CrateClient({ servers: shape }), () => new CrateClient({ servers: [shape] })]) {
        const { texts } = outcome(build);
        for (const text of texts) expect(text).not.toContain(SECRET);
      }
      // parseConnectionString returns the options, password included, by design; its errors must not show it.
      const { error, texts } = outcome(() => parseConnectionString(shape));
      if (error) for (const text of texts) expect(text).not.toContain(SECRET);
    });
  }

  it('these shapes are refused, not misread (the secret would otherwise become a host, path, query or user)', () => {
    const accepted = shapes.filter((shape) => !(outcome(() => new CrateClient(shape)).error instanceof CrateConfigError));
    // A space splits a string into a server list, as in crate-python: here the password is whole, and "st:4200" is
    // the second server. Every other shape is refused.
    expect(accepted).toEqual([`http://u:${SECRET}@ho st:4200`, `crate://u:${SECRET}@ho st:4200`]);
  });

  it('an unencoded @ in a password is refused with the advice to percent-encode', () => {
    for (const url of [`crate://u:p@ss@host:4200`, `http://u:p@ss@host`, `https://user@example.com:pw@host`]) {
      expect(() => new CrateClient(url)).toThrow(/more than one '@'.*percent-encode the user name and password \(encodeURIComponent: '@' is %40/);
    }
    expect(() => new CrateClient(`crate://u:a/b@host`)).toThrow(/'@' after a '\/', '\?', '#' or '\\'.*percent-encode/);
  });

  it('percent-encoded, the same passwords work', () => {
    for (const password of ['p@ss', `ab/${SECRET}`, 'a?b#c\\d', 'sp ace', '100%']) {
      const client = new CrateClient(`crate://u:${encodeURIComponent(password)}@127.0.0.1:4200`);
      expect(client.config.username).toBe('u');
      expect(client.config.servers).toEqual(['http://127.0.0.1:4200']);
      void client.close();
    }
  });
});

describe('peer clients: sqlalchemy-cratedb and crate-python', () => {
  it('crate:// with no host means localhost:4200', () => {
    for (const url of ['crate://', 'crate:///', 'crate://?schema=x', 'crate:///?schema=x']) {
      expect(new CrateClient(url).config.servers).toEqual(['http://localhost:4200']);
    }
    expect(new CrateClient('crate://?ssl=true').config.servers).toEqual(['https://localhost:4200']);
    const withUser = new CrateClient('crate://john:pw@');
    expect(withUser.config).toMatchObject({ servers: ['http://localhost:4200'], username: 'john', authentication: 'basic' });
  });

  it('sslmode as sqlalchemy-cratedb maps it (disable: http; allow, prefer, require: https unverified; verify-*: verified)', () => {
    const tls = (url: string) => {
      const { servers, tls: resolved } = new CrateClient(url).config;
      return { scheme: servers[0]!.split(':')[0], verify: resolved.rejectUnauthorized };
    };
    expect(tls('crate://h:4200?sslmode=disable')).toEqual({ scheme: 'http', verify: true });
    for (const mode of ['allow', 'prefer', 'require']) expect(tls(`crate://h:4200?sslmode=${mode}`)).toEqual({ scheme: 'https', verify: false });
    for (const mode of ['verify-ca', 'verify-full', 'verify_ca', 'verify_full']) expect(tls(`crate://h:4200?sslmode=${mode}`)).toEqual({ scheme: 'https', verify: true });
    expect(parseConnectionString('crate://h?sslmode=require')).toEqual({ servers: ['h'], ssl: true, tls: { rejectUnauthorized: false } });
  });

  it('sslmode: unknown modes and contradictions are refused, not resolved silently', () => {
    expect(() => parseConnectionString('crate://h?sslmode=required')).toThrow(/'sslmode' must be one of disable, allow, prefer, require, verify-ca, verify-full/);
    expect(() => parseConnectionString('crate://h?sslmode=disable&ssl=true')).toThrow(/'ssl' and 'sslmode' contradict/);
    expect(() => parseConnectionString('crate://h?sslmode=require&verify_ssl_cert=true')).toThrow(/'sslmode' and 'verify_ssl_cert' contradict/);
    expect(parseConnectionString('crate://h?sslmode=verify-full&verify_ssl_cert=true&ssl=true')).toEqual({ servers: ['h'], ssl: true, tls: { rejectUnauthorized: true } });
    expect(() => parseConnectionString('https://h?sslmode=require')).toThrow(/apply to crate:\/\/ URLs/);
  });

  it('a whitespace-separated server list, as crate-python takes it', () => {
    const expected = ['http://host1:4200', 'http://host2:4200', 'https://host3:4201'];
    expect(new CrateClient({ servers: 'host1:4200 host2:4200\thttps://host3:4201' }).config.servers).toEqual(expected);
    expect(new CrateClient('host1:4200  host2:4200 https://host3:4201').config.servers).toEqual(expected);
    expect(new CrateClient('localhost:4200').config.servers).toEqual(['http://localhost:4200']);
    expect(() => new CrateClient({ servers: ['host1:4200 host2:4200'] })).toThrow(/servers\[0\] contains whitespace; give one server per list item/);
  });

  it('a user name and a token together are refused, as crate-python refuses them', () => {
    expect(() => new CrateClient({ username: 'john', token: 'abc' })).toThrow(/either a token or a user name and password, not both/);
    expect(() => new CrateClient({ servers: 'http://john@h:4200', token: 'abc' })).toThrow(/either a token or a user name and password/);
    const error = outcome(() => new CrateClient({ username: 'john', token: 'abc' })).error as CrateConfigError;
    expect(error.option).toBe('token');
  });

  it("an explicit user name next to a URL's credentials is refused instead of sending the URL's password for it", () => {
    const error = outcome(() => new CrateClient({ servers: `http://alice:${SECRET}@h:4200`, username: 'bob' })).error as CrateConfigError;
    expect(error).toBeInstanceOf(CrateConfigError);
    expect(error.option).toBe('username');
    expect(error.message).toMatch(/option 'username' names another user than the credentials in servers\[0\]; give the credentials in one place/);
    expect(error.message).not.toContain(SECRET);
    expect(() => new CrateClient({ servers: `http://alice:pw@h:4200`, password: 'other' })).toThrow(/option 'password' differs from the password in servers\[0\]/);
    expect(() => new CrateClient({ servers: [`http://alice:pw@h1`, `http://bob:pw@h2`] })).toThrow(/servers\[0\] and servers\[1\] carry different credentials/);
    // Saying the same thing twice is fine.
    const same = new CrateClient({ servers: [`http://alice:pw@h1`, `http://alice:pw@h2`], username: 'alice', password: 'pw' });
    expect(same.config).toMatchObject({ username: 'alice', authentication: 'basic' });
  });
});

describe('option checks', () => {
  const configError = (options: unknown): CrateConfigError => {
    const { error } = outcome(() => new CrateClient(options as ConstructorParameters<typeof CrateClient>[0]));
    expect(error).toBeInstanceOf(CrateConfigError);
    return error as CrateConfigError;
  };

  it('unknown keys are refused, with a "did you mean" when one is close', () => {
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ server: 'http://db:4200' }, 'server', 'servers'],
      [{ user: 'john' }, 'user', 'username'],
      [{ pass: 'pw' }, 'pass', 'password'],
      [{ timout: 5 }, 'timout', 'timeout'],
      [{ tls: { rejectUnauthorised: false } }, 'tls.rejectUnauthorised', 'tls.rejectUnauthorized'],
      [{ tls: { ca: 'x', verify: false } }, 'tls.verify', undefined],
      [{ zzzzzz: 1 }, 'zzzzzz', undefined],
    ];
    for (const [options, key, suggestion] of cases) {
      const error = configError(options);
      expect(error.option).toBe(key);
      expect(error.message).toContain(`unknown option '${key}'`);
      if (suggestion) expect(error.message).toContain(`did you mean '${suggestion}'?`);
      else expect(error.message).not.toContain('did you mean');
    }
  });

  it('bad values are CrateConfigErrors naming the option', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ poolSize: 0 }, 'poolSize'],
      [{ timeout: -1 }, 'timeout'],
      [{ timeout: Number.NaN }, 'timeout'],
      [{ retryTimeout: -5 }, 'retryTimeout'],
      [{ probeAfter: 'soon' }, 'probeAfter'],
      [{ probeTimeout: 0 }, 'probeTimeout'],
      [{ compression: -1 }, 'compression'],
      [{ bigint: 'number' }, 'bigint'],
      [{ tls: { minVersion: 'SSLv3' } }, 'tls.minVersion'],
      [{ schema: '' }, 'schema'],
      [{ servers: [] }, 'servers'],
      [{ username: 5 }, 'username'],
    ];
    for (const [options, option] of cases) expect(configError(options).option).toBe(option);
  });

  it('the new options have documented defaults and take values', () => {
    expect(new CrateClient().config).toMatchObject({ retryTimeout: 10_000, probeAfter: 1_000, probeTimeout: 2_000 });
    expect(new CrateClient({ retryTimeout: 0, probeAfter: 0, probeTimeout: 500 }).config).toMatchObject({ retryTimeout: 0, probeAfter: 0, probeTimeout: 500 });
  });
});
