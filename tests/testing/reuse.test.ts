/**
 * drizzle-cratedb/testing without Docker: reusing CRATEDB_URL and CRATEDB_CLUSTER_URLS, refusing bad options, and
 * the error when no container engine can be reached (a real attempt by testcontainers, on a machine with no Docker
 * engine; on a machine with one, that test reports itself skipped rather than start containers). Starting
 * containers is only type-checked here. Against the real CrateDB: the reused URL serves queries.
 */
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CrateClient } from '../../src/driver/index.js';
import { CrateConfigError, CrateRuntimeError } from '../../src/shared/errors.js';
import { DEFAULT_CRATEDB_IMAGE, startCrateDB } from '../../src/testing/index.js';
import { crateUrl } from '../support/crate.js';

const saved = { url: process.env.CRATEDB_URL, cluster: process.env.CRATEDB_CLUSTER_URLS, docker: process.env.DOCKER_HOST };
afterEach(() => {
  for (const [key, value] of [['CRATEDB_URL', saved.url], ['CRATEDB_CLUSTER_URLS', saved.cluster], ['DOCKER_HOST', saved.docker]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

const dockerEngine = existsSync('/var/run/docker.sock') || existsSync(`${process.env.HOME}/.docker/run/docker.sock`);

describe('startCrateDB()', () => {
  it('reuses CRATEDB_URL for one node, and stop() leaves it alone', async () => {
    process.env.CRATEDB_URL = 'http://db.example:4200';
    const crate = await startCrateDB();
    expect(crate).toMatchObject({ url: 'http://db.example:4200', urls: ['http://db.example:4200'], source: 'CRATEDB_URL', image: undefined, nodes: [] });
    await expect(crate.stop()).resolves.toBeUndefined();
  });

  it('reuses CRATEDB_CLUSTER_URLS for a cluster of that many nodes, and refuses a different count', async () => {
    process.env.CRATEDB_URL = 'http://single:4200';
    process.env.CRATEDB_CLUSTER_URLS = 'http://a:4200, http://b:4200,http://c:4200';
    const crate = await startCrateDB({ nodes: 3 });
    expect(crate.urls).toEqual(['http://a:4200', 'http://b:4200', 'http://c:4200']);
    expect(crate.source).toBe('CRATEDB_CLUSTER_URLS');
    await expect(startCrateDB({ nodes: 2 })).rejects.toThrow(/CRATEDB_CLUSTER_URLS names 3 node\(s\), but 2 were asked for/);
  });

  it('refuses bad options before starting anything', async () => {
    await expect(startCrateDB({ nodes: 0 })).rejects.toBeInstanceOf(CrateConfigError);
    await expect(startCrateDB({ nodes: 1.5 })).rejects.toThrow(/`nodes` must be a whole number of at least 1, got 1.5/);
    await expect(startCrateDB({ nodes: 2, hostPorts: [4201] })).rejects.toThrow(/`hostPorts` names 1 port\(s\) for 2 node\(s\)/);
    await expect(startCrateDB({ node: 3 } as never)).rejects.toThrow(/node.*nodes/);
  });

  it.skipIf(dockerEngine)(
    `without a container engine, says to start one or set CRATEDB_URL${dockerEngine ? ' [SKIPPED: this machine has a Docker engine]' : ''}`,
    async () => {
      delete process.env.CRATEDB_URL;
      const error = await startCrateDB({ image: '6.4' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(CrateRuntimeError);
      const message = (error as Error).message;
      expect(message).toContain('Could not start crate:6.4 with testcontainers');
      expect(message).toContain('Start a Docker engine');
      expect(message).toContain('set CRATEDB_URL=');
      expect((error as Error).cause).toBeInstanceOf(Error);
    },
    60_000,
  );

  it('starts crate:6.4.3 unless told otherwise', () => {
    expect(DEFAULT_CRATEDB_IMAGE).toBe('crate:6.4.3');
  });

  it.skipIf(!crateUrl)(`the reused CrateDB serves queries${crateUrl ? '' : ' [SKIPPED: no CrateDB; set CRATEDB_URL]'}`, async () => {
    process.env.CRATEDB_URL = crateUrl!;
    const crate = await startCrateDB();
    const client = new CrateClient(crate.url);
    try {
      expect((await client.sql('SELECT 1 + 1')).rows).toEqual([[2]]);
    } finally {
      await client.close();
      await crate.stop();
    }
  });
});
