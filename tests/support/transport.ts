/**
 * The transport a driver test runs on: `undici` in the line runs, `fetch` in vitest.fetch.config.ts (which runs the
 * transport tests again with undici unregistered). Tests of what only one transport can do skip on the other.
 */
import { inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    transport: 'undici' | 'fetch';
  }
}

export function currentTransport(): 'undici' | 'fetch' {
  return inject('transport') ?? 'undici';
}

/**
 * The title of a test that runs on one transport only: on the other it is skipped, and its title says why, so a
 * run's list of skipped tests explains itself.
 */
export function onlyOn(transport: 'undici' | 'fetch', title: string, why: string): string {
  return currentTransport() === transport ? title : `${title} [SKIPPED on ${currentTransport()}: ${why}]`;
}
