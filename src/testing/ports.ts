/**
 * Free TCP ports on loopback, for the nodes' HTTP, PostgreSQL and transport listeners. A port found free can still be
 * taken before the node binds it; the launcher sees that in the node's log and starts again on new ports.
 */
import { createServer } from 'node:net';
import { CrateRuntimeError } from '../shared/errors.js';

/** One free port on 127.0.0.1, by binding port 0 and letting it go. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new CrateRuntimeError('no free port was assigned on 127.0.0.1'))));
    });
  });
}

/** `count` distinct free ports; the kernel may hand out a port again once it was let go, so repeats are drawn again. */
export async function freePorts(count: number, avoid: ReadonlySet<number> = new Set()): Promise<number[]> {
  const ports = new Set<number>();
  for (let tries = 0; ports.size < count; tries++) {
    if (tries > count * 20) throw new CrateRuntimeError(`Could not find ${count} free ports on 127.0.0.1`);
    const port = await freePort();
    if (!avoid.has(port)) ports.add(port);
  }
  return [...ports];
}
