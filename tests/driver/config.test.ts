import { describe, expect, it } from 'vitest';
import { CrateClient, parseConnectionString } from '../../src/driver/index.js';

const configOf = (input?: ConstructorParameters<typeof CrateClient>[0]) => new CrateClient(input).config;

describe('parseConnectionString', () => {
  it('parses the sqlalchemy-cratedb form', () => {
    expect(parseConnectionString('crate://john:pw@db.example:4201/?ssl=true&schema=doc2&timeout=5&pool_size=3')).toEqual({
      username: 'john',
      password: 'pw',
      servers: ['db.example:4201'],
      ssl: true,
      schema: 'doc2',
      timeout: 5000,
      poolSize: 3,
    });
  });

  it('accepts host lists, IPv6 hosts and timeouts with units', () => {
    expect(parseConnectionString('crate://a:4200,b,[::1]:4300?timeout=500ms&connect_timeout=1.5s')).toEqual({
      servers: ['a:4200', 'b', '[::1]:4300'],
      timeout: 500,
      connectTimeout: 1500,
    });
  });

  it('parses http(s) URLs with userinfo and path prefix', () => {
    expect(parseConnectionString('https://us%40er:p%40ss@crate.cloud/prefix?schema=s')).toEqual({
      username: 'us@er',
      password: 'p@ss',
      servers: ['https://crate.cloud/prefix'],
      schema: 's',
    });
  });

  it('maps verify_ssl_cert and error_trace', () => {
    expect(parseConnectionString('crate://h/?ssl=1&verify_ssl_cert=false&error_trace=yes')).toEqual({
      servers: ['h'],
      ssl: true,
      tls: { rejectUnauthorized: false },
      errorTrace: true,
    });
  });

  it('names the bad parameter', () => {
    expect(() => parseConnectionString('crate://h/?ssl=maybe')).toThrow(/'ssl' must be true or false, got "maybe"/);
    expect(() => parseConnectionString('crate://h/?timeout=soon')).toThrow(/'timeout' must be a duration/);
    expect(() => parseConnectionString('crate://h/?pool_size=0')).toThrow(/'pool_size' must be a positive integer/);
    expect(() => parseConnectionString('crate://h/?poolsize=3')).toThrow(/unknown connection URL parameter 'poolsize'/);
    expect(() => parseConnectionString('postgres://h')).toThrow(/must look like crate:\/\//);
    expect(() => parseConnectionString('crate://h/mydb')).toThrow(/take no path/);
    expect(() => parseConnectionString('https://h/?ssl=true')).toThrow(/'ssl' and 'sslmode' parameters apply to crate:\/\//);
    expect(() => parseConnectionString('crate://a,,b')).toThrow(/no host/);
  });
});

describe('resolved configuration', () => {
  it('has the documented defaults', () => {
    expect(configOf()).toEqual({
      servers: ['http://localhost:4200'],
      username: 'crate',
      authentication: 'none',
      schema: undefined,
      timeout: 0,
      connectTimeout: 10_000,
      poolSize: 10,
      keepAlive: true,
      retryInterval: 30_000,
      backoffFactor: 0,
      retryTimeout: 10_000,
      probeAfter: 1_000,
      probeTimeout: 2_000,
      hedge: { enabled: true, minDelay: 50, maxDelay: 1_000, percentile: 99, maxPerRead: 2, perSecond: 50 },
      tls: { rejectUnauthorized: true, minVersion: undefined, customCa: false, clientCertificate: false },
      errorTrace: false,
      compressionThreshold: 8192,
      bigint: 'bigint',
      transport: 'undici',
    });
  });

  it('is frozen', () => {
    const config = configOf();
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.servers)).toBe(true);
    expect(Object.isFrozen(config.tls)).toBe(true);
  });

  it('normalizes server addresses', () => {
    expect(configOf({ servers: ['h1', 'h2:4201', 'crate://h3', 'http://h4', 'https://h5/prefix/', '[::1]:4200', 'http://h6:80'] }).servers).toEqual([
      'http://h1:4200',
      'http://h2:4201',
      'http://h3:4200',
      'http://h4',
      'https://h5/prefix',
      'http://[::1]:4200',
      'http://h6',
    ]);
    expect(configOf({ servers: 'h1:80', ssl: true }).servers).toEqual(['https://h1:80']);
    expect(configOf({ servers: ['h1', 'http://h1:4200'] }).servers).toEqual(['http://h1:4200']);
  });

  it('takes a URL string like parseConnectionString', () => {
    const config = configOf('crate://john@a:4200,b:4201/?ssl=true&schema=x');
    expect(config.servers).toEqual(['https://a:4200', 'https://b:4201']);
    expect(config.username).toBe('john');
    expect(config.authentication).toBe('basic');
    expect(config.schema).toBe('x');
  });

  it('uses timeout for connecting unless connectTimeout is given', () => {
    expect(configOf({ timeout: 5000 })).toMatchObject({ timeout: 5000, connectTimeout: 5000 });
    expect(configOf({ timeout: 5000, connectTimeout: 300 })).toMatchObject({ timeout: 5000, connectTimeout: 300 });
  });

  it('maps compression options to a threshold', () => {
    expect(configOf({ compression: true }).compressionThreshold).toBe(0);
    expect(configOf({ compression: false }).compressionThreshold).toBeNull();
    expect(configOf({ compression: 1024 }).compressionThreshold).toBe(1024);
  });

  it('rejects invalid options with the option name', () => {
    expect(() => configOf({ poolSize: 0 })).toThrow(/'poolSize' must be a number ≥ 1/);
    expect(() => configOf({ poolSize: 1.5 })).toThrow(/'poolSize' must be an integer/);
    expect(() => configOf({ timeout: -1 })).toThrow(/'timeout'/);
    expect(() => configOf({ servers: [] })).toThrow(/'servers'/);
    expect(() => configOf({ servers: ['ftp://h'] })).toThrow(/servers\[0\] has unsupported scheme 'ftp'/);
    expect(() => configOf({ servers: ['http://h/?x=1'] })).toThrow(/servers\[0\] must not have a query/);
    expect(() => configOf({ compression: -1 })).toThrow(/'compression'/);
    expect(() => configOf({ tls: { cert: 'x' } })).toThrow(/'tls.cert' and 'tls.key' go together/);
    expect(() => configOf({ tls: { minVersion: 'SSLv3' as 'TLSv1' } })).toThrow(/'tls.minVersion'/);
    expect(() => configOf({ bigint: 'number' as 'bigint' })).toThrow(/'bigint'/);
    expect(() => configOf({ token: 'a\nb' })).toThrow(/token contains characters/);
    expect(() => configOf({ schema: 'a\r\nX-Evil: 1' })).toThrow(/invalid schema name/);
    expect(() => new CrateClient().withSchema('')).toThrow(/invalid schema name/);
  });
});
