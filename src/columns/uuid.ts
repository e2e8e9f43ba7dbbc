/**
 * What both lines' `uuid()` builders share: how a random UUID is made on the client. CrateDB 6 has no function that
 * returns a UUID (`gen_random_uuid()` is unknown, `gen_random_text_uuid()` returns a 20-character text id that does
 * not cast to UUID), so a DEFAULT cannot produce one; `defaultRandom()` fills the value when a row is inserted.
 */
import { CrateArgumentError } from '../shared/errors.js';

/** A random version 4 UUID, lowercase, from the runtime's Web Crypto (Node, Bun, Deno, browsers). */
export function randomUuid(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (typeof crypto?.randomUUID !== 'function') {
    throw new CrateArgumentError('uuid().defaultRandom(): this runtime has no crypto.randomUUID(); give the column a value, or $defaultFn() with a UUID generator');
  }
  return crypto.randomUUID();
}
