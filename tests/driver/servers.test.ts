import { describe, expect, it } from 'vitest';
import { ServerHealth } from '../../src/driver/servers.js';

function health(servers = ['a', 'b', 'c'], retryInterval = 100) {
  let now = 0;
  const clock = { set: (t: number) => (now = t) };
  return { health: new ServerHealth(servers, retryInterval, () => now), clock };
}

describe('ServerHealth', () => {
  it('goes round-robin over active servers, skipping those a request tried', () => {
    const { health: h } = health();
    expect([h.next([]), h.next([]), h.next([]), h.next([])]).toEqual(['a', 'b', 'c', 'a']);
    expect(h.next(['b'])).toBe('c');
    expect(h.next(['a', 'b', 'c'])).toBeUndefined();
  });

  it('skips inactive servers until retryInterval has passed', () => {
    const { health: h, clock } = health();
    h.markInactive('b', 'refused');
    expect([h.next([]), h.next([]), h.next([])]).toEqual(['a', 'c', 'a']);
    clock.set(99);
    expect(h.next([])).toBe('c');
    clock.set(100);
    expect([h.next([]), h.next([])]).toEqual(['a', 'b']);
    expect(h.inactiveServers()).toEqual([]);
  });

  it('when all are inactive, offers them oldest failure first', () => {
    const { health: h, clock } = health();
    clock.set(10);
    h.markInactive('b', 'x');
    clock.set(20);
    h.markInactive('a', 'x');
    clock.set(30);
    h.markInactive('c', 'x');
    expect(h.next([])).toBe('b');
    expect(h.next(['b'])).toBe('a');
    expect(h.next(['b', 'a'])).toBe('c');
    expect(h.next(['a', 'b', 'c'])).toBeUndefined();
  });

  it('restarts the interval on a repeated failure and forgets it on success', () => {
    const { health: h, clock } = health(['a', 'b']);
    h.markInactive('a', 'first');
    clock.set(50);
    h.markInactive('a', 'second');
    clock.set(120);
    expect(h.inactiveServers()).toEqual([{ server: 'a', since: 50, reason: 'second' }]);
    h.markActive('a');
    expect(h.inactiveServers()).toEqual([]);
  });
});
