/**
 * An in-process TCP proxy on loopback that resets connections at random points, for tests of what a client reports
 * when a connection dies under a request:
 *
 *   const proxy = await startResettingProxy({ target: 'http://127.0.0.1:4201', resetRate: 0.05, seed: 1 });
 *   new CrateClient({ servers: proxy.url });   // ... proxy.resets says how many, and where
 *   await proxy.close();
 *
 * Each chunk the client sends is, with probability `resetRate`, dropped and the connection reset: the request never
 * reaches the server. Each chunk the server sends back is, with the same probability, either withheld or cut in half,
 * and the connection reset: the server has executed the request, the client never gets a complete answer.
 */
import { createConnection, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface ResetCounts {
  /** Request chunks dropped before reaching the server. */
  beforeServer: number;
  /** Responses withheld entirely after the server answered. */
  beforeResponse: number;
  /** Responses cut after part of them was passed on. */
  midResponse: number;
}

export interface ResettingProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly resets: ResetCounts;
  close(): Promise<void>;
}

/** Mulberry32: a small seeded generator, so a failing run can be repeated. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startResettingProxy(options: { target: string; resetRate: number; seed?: number }): Promise<ResettingProxy> {
  const target = new URL(options.target);
  const next = random(options.seed ?? 1);
  const resets: ResetCounts = { beforeServer: 0, beforeResponse: 0, midResponse: 0 };
  const sockets = new Set<Socket>();

  const server: Server = createServer((client) => {
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    sockets.add(client);
    sockets.add(upstream);
    const reset = (): void => {
      client.resetAndDestroy();
      upstream.destroy();
    };
    client.on('data', (chunk: Buffer) => {
      if (next() < options.resetRate) {
        resets.beforeServer++;
        reset();
        return;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (next() < options.resetRate) {
        if (next() < 0.5 || chunk.length < 2) {
          resets.beforeResponse++;
          reset();
        } else {
          resets.midResponse++;
          client.write(chunk.subarray(0, chunk.length >> 1), () => reset());
        }
        return;
      }
      client.write(chunk);
    });
    client.on('end', () => upstream.end());
    upstream.on('end', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
    client.on('close', () => {
      sockets.delete(client);
      upstream.destroy();
    });
    upstream.on('close', () => {
      sockets.delete(upstream);
      client.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Fault traffic stays on loopback.
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    resets,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
