/**
 * drizzle-cratedb/testing running CrateDB as processes, against the real thing: one node from the release tarball
 * (CRATEDB_TARBALL), one and three from the unpacked folder, the node controls, and each way a start can fail. The
 * download path is served from loopback. These need CRATEDB_TARBALL (a tarball on disk), or at least the unpacked
 * CrateDB the run's single node came from; without them they skip, saying so.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, closeSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { CrateClient } from '../../src/driver/index.js';
import { CrateRuntimeError } from '../../src/shared/errors.js';
import { installCrateDB, releasePlatform, startCrateDB, type CrateDBForTests } from '../../src/testing/index.js';
import { resolveNodeUser, type NodeUser } from '../../src/testing/node-user.js';

const tarball = process.env.CRATEDB_TARBALL && !/^https?:/i.test(process.env.CRATEDB_TARBALL) ? resolve(process.env.CRATEDB_TARBALL) : undefined;
const plan = inject('crateCluster');
const home = plan.kind === 'processes' ? plan.home : undefined;
const root = process.geteuid?.() === 0;
const user = process.env.CRATEDB_USER;
const canRun = !root || Boolean(user);

const needHome = !home ? 'no unpacked CrateDB; set CRATEDB_TARBALL or CRATEDB_HOME' : !canRun ? 'root without CRATEDB_USER' : undefined;
const needTarball = !tarball || !existsSync(tarball) ? 'set CRATEDB_TARBALL to a CrateDB release tarball on disk' : needHome;
const describeWith = (reason: string | undefined) => (name: string, fn: () => void) =>
  reason === undefined ? describe(name, fn) : describe.skip(`${name} [SKIPPED: ${reason}]`, fn);

/** Every CrateDB process whose command line names `folder` (each node's has `-Cpath.data=<folder>/...`). */
function processesNaming(folder: string): number[] {
  return processesWith(folder).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('io.crate.bootstrap.CrateDB');
    } catch {
      return false;
    }
  });
}

/** The temporary folders nodes live in now (the run's own single node has one). */
const nodeFolders = () => readdirSync(tmpdir()).filter((name) => /^drizzle-cratedb-[A-Za-z0-9]{6}$/.test(name));

/** Every process whose command line names `folder`: the nodes, and the watchdog that guards them. */
function processesWith(folder: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(folder);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The temporary folder a node lives in, read from its JVM's command line (`-Cpath.data=<folder>/<node>/data`). */
async function dataFolderOf(url: string): Promise<string> {
  const port = new URL(url).port;
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!args.includes(`-Chttp.port=${port}`)) continue;
    const data = args.find((arg) => arg.startsWith('-Cpath.data='));
    if (data) return resolve(data.slice('-Cpath.data='.length), '..', '..');
  }
  throw new Error(`no process serves ${url}`);
}

async function rowsOf(url: string, stmt: string, timeout = 10_000): Promise<unknown[][]> {
  const client = new CrateClient({ servers: url, timeout, retryTimeout: 0 });
  try {
    return (await client.sql(stmt)).rows;
  } finally {
    await client.close();
  }
}

const waitFor = async (what: string, check: () => boolean, ms = 15_000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

const scratch: string[] = [];
const tempFolder = (prefix: string) => {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(folder);
  return folder;
};
afterAll(() => {
  for (const folder of scratch) rmSync(folder, { recursive: true, force: true });
});

describe('resolveNodeUser()', () => {
  const crate: NodeUser = { name: 'crate', uid: 999, gid: 995 };
  const lookUp = (name: string) => (name === 'crate' ? crate : name === 'root' ? { name, uid: 0, gid: 0 } : undefined);

  it('root without a user named: refused, saying how to name one', () => {
    expect(() => resolveNodeUser({ euid: 0, requested: undefined, lookUp })).toThrow(CrateRuntimeError);
    expect(() => resolveNodeUser({ euid: 0, requested: ' ', lookUp })).toThrow(/refuses to run as root.*CRATEDB_USER=crate.*useradd --system/);
  });

  it('root naming a user: that user; an unknown user or root itself: refused', () => {
    expect(resolveNodeUser({ euid: 0, requested: 'crate', lookUp })).toEqual(crate);
    expect(() => resolveNodeUser({ euid: 0, requested: 'nobody-here', lookUp })).toThrow(/"nobody-here", and there is no such user/);
    expect(() => resolveNodeUser({ euid: 0, requested: 'root', lookUp })).toThrow(/which is root \(uid 0\)/);
  });

  it('not root: runs as itself; naming another user is refused, naming itself is fine', () => {
    expect(resolveNodeUser({ euid: 999, requested: undefined, lookUp })).toBeUndefined();
    expect(resolveNodeUser({ euid: 999, requested: 'crate', lookUp })).toBeUndefined();
    expect(() => resolveNodeUser({ euid: 1000, requested: 'crate', lookUp })).toThrow(/only root can start processes as another user/);
  });

  it('no uid (Windows): runs as itself', () => {
    expect(resolveNodeUser({ euid: undefined, requested: 'crate', lookUp })).toBeUndefined();
  });
});

describe('releasePlatform()', () => {
  it("names CrateDB's download folders, and refuses platforms without a tarball", () => {
    expect(releasePlatform('linux', 'x64')).toBe('x64_linux');
    expect(releasePlatform('linux', 'arm64')).toBe('aarch64_linux');
    expect(releasePlatform('darwin', 'arm64')).toBe('aarch64_mac');
    expect(() => releasePlatform('win32', 'x64')).toThrow(/CRATEDB_HOME/);
  });
});

describe('nothing to start', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('CRATEDB_')) delete process.env[key];
    Object.assign(process.env, saved);
  });

  it('with CRATEDB_DOWNLOAD=0 and no other way, says what was tried and names the variables', async () => {
    for (const key of ['CRATEDB_URL', 'CRATEDB_TARBALL', 'CRATEDB_HOME']) delete process.env[key];
    process.env.CRATEDB_DOWNLOAD = '0';
    const error = await startCrateDB({ nodes: 1 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrateRuntimeError);
    const message = (error as Error).message;
    for (const name of ['CRATEDB_URL', 'CRATEDB_TARBALL', 'CRATEDB_HOME', 'Docker', 'CRATEDB_DOWNLOAD=0']) expect(message).toContain(name);
  }, 60_000);

  it('CRATEDB_HOME naming a folder that is no CrateDB, and CRATEDB_TARBALL naming no file: refused, naming them', async () => {
    const empty = tempFolder('drizzle-cratedb-test-empty-');
    await expect(startCrateDB({ reuse: false, home: empty, user })).rejects.toThrow(`CRATEDB_HOME names ${empty}, which is not an unpacked CrateDB: it has no bin/crate`);
    await expect(startCrateDB({ reuse: false, tarball: join(empty, 'crate-9.9.9.tar.gz'), user })).rejects.toThrow(/CRATEDB_TARBALL names .*crate-9\.9\.9\.tar\.gz, which does not exist/);
  });
});

describeWith(needHome)('as root', () => {
  it.skipIf(!root)(`without a user named, refuses before starting anything${root ? '' : ' [SKIPPED: not root]'}`, async () => {
    const before = readdirSync(tmpdir()).filter((name) => name.startsWith('drizzle-cratedb-') && name !== 'drizzle-cratedb-cache');
    const error = await startCrateDB({ reuse: false, home: home!, user: '' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrateRuntimeError);
    expect((error as Error).message).toMatch(/CrateDB refuses to run as root, and this process is root\. Name an unprivileged user.*CRATEDB_USER=/);
    const after = readdirSync(tmpdir()).filter((name) => name.startsWith('drizzle-cratedb-') && name !== 'drizzle-cratedb-cache');
    expect(after.filter((name) => !before.includes(name) && !name.startsWith('drizzle-cratedb-test-'))).toEqual([]);
  });
});

describeWith(needTarball)('one node from the release tarball', () => {
  let crate: CrateDBForTests;
  let folder: string;

  beforeAll(async () => {
    crate = await startCrateDB({ reuse: false, tarball: tarball!, user });
    folder = await dataFolderOf(crate.url);
  }, 180_000);
  afterAll(() => crate?.stop());

  it('serves SQL on free loopback ports, from the cache the tarball was unpacked into', async () => {
    expect(crate.source).toBe('CRATEDB_TARBALL');
    expect(crate.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(existsSync(join(crate.home!, 'bin', 'crate'))).toBe(true);
    const [[name, version]] = (await rowsOf(crate.url, 'SELECT name, version[\'number\'] FROM sys.nodes')) as [[string, string]];
    expect(name).toBe('crate1');
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(folder.startsWith(tmpdir())).toBe(true);
    expect(processesNaming(folder)).toHaveLength(1);
  });

  it('kill() ends the node at once, start() brings it back with its data, pause() silences it and resume() wakes it', async () => {
    const node = crate.nodes[0]!;
    await rowsOf(crate.url, 'CREATE TABLE kept (id INT) WITH (number_of_replicas = 0)');
    await rowsOf(crate.url, 'INSERT INTO kept (id) VALUES (42)');
    await rowsOf(crate.url, 'REFRESH TABLE kept');

    await node.kill();
    expect(processesNaming(folder)).toEqual([]);
    await expect(rowsOf(crate.url, 'SELECT 1')).rejects.toMatchObject({ kind: 'connection' });

    await node.start();
    const deadline = Date.now() + 30_000;
    let rows: unknown[][] | undefined;
    while (!rows && Date.now() < deadline) rows = await rowsOf(crate.url, 'SELECT id FROM kept').catch(() => undefined);
    expect(rows).toEqual([[42]]);

    await node.pause();
    await expect(rowsOf(crate.url, 'SELECT 1', 1_000)).rejects.toMatchObject({ kind: 'timeout' });
    await node.resume();
    expect(await rowsOf(crate.url, 'SELECT 1')).toEqual([[1]]);
  }, 120_000);

  it('stop() leaves no process and no folder, even with the node paused', async () => {
    await crate.nodes[0]!.pause();
    await crate.stop();
    expect(processesNaming(folder)).toEqual([]);
    expect(existsSync(folder)).toBe(false);
  }, 60_000);
});

describeWith(needTarball)('archives that do not check out', () => {
  const saved = process.env.CRATEDB_SHA256;
  afterEach(() => {
    if (saved === undefined) delete process.env.CRATEDB_SHA256;
    else process.env.CRATEDB_SHA256 = saved;
  });

  it('a truncated tarball is refused as corrupt, and nothing of it stays in the cache', async () => {
    const dir = tempFolder('drizzle-cratedb-test-corrupt-');
    const cacheDir = join(dir, 'cache');
    const broken = join(dir, 'crate-6.4.3.tar.gz');
    // The first 20 MB of the real archive: gzip and tar both fail partway.
    const buffer = Buffer.alloc(20 * 1024 * 1024);
    const fd = openSync(tarball!, 'r');
    readSync(fd, buffer, 0, buffer.length, 0);
    closeSync(fd);
    writeFileSync(broken, buffer);
    const error = await installCrateDB({ tarball: broken, cacheDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrateRuntimeError);
    expect((error as Error).message).toMatch(new RegExp(`${broken.replaceAll('.', '\\.')} could not be unpacked: it is truncated or corrupt \\(tar: .+\\)`));
    expect(readdirSync(cacheDir)).toEqual([]);
  });

  it('a tarball whose SHA-256 differs from its .sha256 file (or CRATEDB_SHA256) is refused before unpacking', async () => {
    const dir = tempFolder('drizzle-cratedb-test-digest-');
    const cacheDir = join(dir, 'cache');
    const copy = join(dir, 'crate-6.4.3.tar.gz');
    cpSync(tarball!, copy);
    writeFileSync(`${copy}.sha256`, `${'0'.repeat(64)}  crate-6.4.3.tar.gz\n`);
    await expect(installCrateDB({ tarball: copy, cacheDir })).rejects.toThrow(`but ${copy}.sha256 says ${'0'.repeat(64)}: the tarball is corrupt or not the one meant`);
    rmSync(`${copy}.sha256`);
    process.env.CRATEDB_SHA256 = 'f'.repeat(64);
    await expect(installCrateDB({ tarball: copy, cacheDir })).rejects.toThrow(/but CRATEDB_SHA256 says f{64}/);
    expect(readdirSync(cacheDir)).toEqual([]);
  }, 60_000);
});

describeWith(needTarball)('downloads (served from loopback)', () => {
  let server: Server;
  let mirror: string;
  let size: number;
  const saved = { ...process.env };

  beforeAll(async () => {
    size = statSync(tarball!).size;
    server = createHttpServer((req, res) => {
      if (req.url === `/${releasePlatform()}/crate-6.4.3.tar.gz`) {
        res.writeHead(200, { 'content-length': size, 'content-type': 'application/gzip' });
        readStream(res, size);
      } else if (req.url === '/truncated/crate-6.4.3.tar.gz') {
        // Announces the whole archive, sends a tenth of it, then hangs up.
        res.writeHead(200, { 'content-length': size });
        readStream(res, Math.floor(size / 10), () => res.socket?.destroy());
      } else {
        res.writeHead(404).end();
      }
    });
    const readStream = (res: import('node:http').ServerResponse, bytes: number, then?: () => void) => {
      const fd = openSync(tarball!, 'r');
      const chunk = Buffer.alloc(1 << 20);
      let sent = 0;
      const pump = () => {
        while (sent < bytes) {
          const n = readSync(fd, chunk, 0, Math.min(chunk.length, bytes - sent), sent);
          sent += n;
          if (!res.write(chunk.subarray(0, n))) return void res.once('drain', pump);
        }
        closeSync(fd);
        if (then) then();
        else res.end();
      };
      pump();
    };
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    mirror = `http://127.0.0.1:${(server.address() as import('node:net').AddressInfo).port}`;
    for (const key of ['CRATEDB_TARBALL', 'CRATEDB_HOME', 'CRATEDB_SHA256']) delete process.env[key];
  });
  afterAll(async () => {
    Object.assign(process.env, saved);
    await new Promise((done) => server?.close(done));
  });

  it('a version is downloaded once for this platform, checked and unpacked into the cache', async () => {
    const cacheDir = join(tempFolder('drizzle-cratedb-test-download-'), 'cache');
    const installed = await installCrateDB({ version: '6.4.3', mirror, cacheDir });
    expect(installed).toBe(join(cacheDir, `crate-6.4.3-${installed.slice(-12)}`));
    expect(existsSync(join(installed, 'bin', 'crate'))).toBe(true);
    expect(existsSync(join(installed, 'jdk', 'bin', 'java'))).toBe(true);
    // The archive is dropped once unpacked; a second call finds the install without asking the server.
    expect(readdirSync(cacheDir)).toEqual([installed.split('/').at(-1)]);
    await new Promise<void>((done) => server.close(() => done()));
    await expect(installCrateDB({ version: '6.4.3', mirror, cacheDir })).resolves.toBe(installed);
    await new Promise<void>((done) => server.listen(Number(new URL(mirror).port), '127.0.0.1', done));
  }, 120_000);

  it('a download cut short is reported as truncated and not kept; a missing version names its URL', async () => {
    const cacheDir = join(tempFolder('drizzle-cratedb-test-truncated-'), 'cache');
    const error = await installCrateDB({ tarball: `${mirror}/truncated/crate-6.4.3.tar.gz`, cacheDir }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrateRuntimeError);
    expect((error as Error).message).toMatch(/truncated|broke off after/);
    expect(readdirSync(cacheDir)).toEqual([]);
    await expect(installCrateDB({ version: '0.0.1', mirror, cacheDir })).rejects.toThrow(`${mirror}/${releasePlatform()}/crate-0.0.1.tar.gz answered 404`);
    await expect(installCrateDB({ version: 'latest', mirror, cacheDir })).rejects.toThrow(/CRATEDB_VERSION must be a release such as 6\.4\.3/);
  }, 120_000);
});

describeWith(needHome)('from the unpacked folder', () => {
  it('a port already taken: the node is stopped and the error says so, with its log', async () => {
    const blocker = createNetServer();
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as import('node:net').AddressInfo).port;
    const before = nodeFolders();
    try {
      const error = await startCrateDB({ reuse: false, home: home!, user, hostPorts: [port] }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CrateRuntimeError);
      const message = (error as Error).message;
      expect(message).toContain(`CrateDB node crate1 (HTTP ${port},`);
      expect(message).toContain('could not bind its ports. Its last log lines:');
      expect(message).toMatch(/Bind\w*Exception|Address already in use/);
      // The node was stopped and its folder removed: no process on that port, no new node folder.
      expect(processesWith(`-Chttp.port=${port}`)).toEqual([]);
      expect(nodeFolders().filter((folder) => !before.includes(folder))).toEqual([]);
    } finally {
      blocker.close();
    }
  }, 120_000);

  it('a node that cannot start: the error carries its last log lines, at once rather than at a timeout', async () => {
    const started = Date.now();
    const error = await startCrateDB({ reuse: false, home: home!, user, settings: { 'no.such.setting': 1 }, startupTimeout: 120_000 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CrateRuntimeError);
    const message = (error as Error).message;
    expect(message).toMatch(/CrateDB node crate1 .* (failed to start|exited during startup)/);
    expect(message).toContain('unknown setting [no.such.setting]');
    // Well before the 120 s startup timeout, which would mean the failure went unnoticed.
    expect(Date.now() - started).toBeLessThan(100_000);
  }, 150_000);

  it('one node: a test run killed with SIGKILL leaves no process and no folder (the watchdog)', async () => {
    const script = join(tempFolder('drizzle-cratedb-test-orphan-'), 'start.mjs');
    const entry = resolve(import.meta.dirname, '../../src/testing/index.ts');
    writeFileSync(
      script,
      `const { startCrateDB } = await import(${JSON.stringify(entry)});\n` +
        `const crate = await startCrateDB({ reuse: false, home: ${JSON.stringify(home)}${user ? `, user: ${JSON.stringify(user)}` : ''} });\n` +
        `console.log('READY ' + crate.url);\nsetInterval(() => {}, 1000);\n`,
    );
    const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'], cwd: resolve(import.meta.dirname, '../..') });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    await waitFor('the node to start', () => out.includes('READY') || child.exitCode !== null, 120_000);
    const url = /READY (\S+)/.exec(out)?.[1];
    expect(url).toBeDefined();
    const folder = await dataFolderOf(url!);
    expect(processesNaming(folder).length).toBeGreaterThan(0);
    child.kill('SIGKILL');
    await waitFor('the watchdog to clean up and leave', () => processesWith(folder).length === 0 && !existsSync(folder), 20_000);
    expect(existsSync(folder)).toBe(false);
  }, 180_000);

});

// Three nodes from the unpacked folder are the cluster suite's (tests/integration/cluster.test.ts), started with `home`.
describeWith(needTarball)('three nodes from the release tarball', () => {
  it('three nodes from the tarball form one cluster, each with its own ports and data folder; stop() removes everything', async () => {
    const crate = await startCrateDB({ reuse: false, tarball: tarball!, user, nodes: 3, heapSize: '512m' });
    let folder: string | undefined;
    try {
      expect(crate.source).toBe('CRATEDB_TARBALL');
      expect(crate.nodes.map((node) => node.name)).toEqual(['crate1', 'crate2', 'crate3']);
      const rows = await rowsOf(crate.url, "SELECT name, port['http'], port['psql'], port['transport'] FROM sys.nodes ORDER BY name");
      expect(rows.map((row) => row[0])).toEqual(['crate1', 'crate2', 'crate3']);
      expect(rows.map((row) => `http://127.0.0.1:${row[1]}`)).toEqual(crate.urls);
      expect(new Set(rows.flatMap((row) => [row[1], row[2], row[3]])).size).toBe(9);
      const folders = await Promise.all(crate.urls.map(dataFolderOf));
      expect(new Set(folders).size).toBe(1);
      folder = folders[0]!;
      expect(readdirSync(folder).sort()).toEqual(['crate1', 'crate2', 'crate3']);
      expect(processesNaming(folder)).toHaveLength(3);
    } finally {
      await crate.stop();
    }
    expect(processesNaming(folder!)).toEqual([]);
    expect(existsSync(folder!)).toBe(false);
  }, 240_000);
});
