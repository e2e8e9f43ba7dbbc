/**
 * Parameter values JSON would change without a word: NaN and ±Infinity become null, an Invalid Date becomes null, a
 * Map or a Set becomes `{}`, a function disappears. CrateDB would then store NULL or an empty object where the caller
 * meant something else, so such values are refused before anything is sent, with the parameter's place
 * (`$2`, `$1[0].price`, `bulk_args[3][1]`).
 *
 * Accepted as JSON gives them: strings, finite numbers, booleans, null, bigint (written exactly), valid Dates (ISO
 * text), arrays and objects of those, and objects with a `toJSON` method (their author chose their JSON form; what it
 * returns is checked too). `undefined` is NULL at the top level and in arrays, and an absent key in objects: JSON's
 * and pg's convention, not a change of meaning.
 *
 * Typed arrays of numbers (Float32Array embeddings, Int32Array, ...) would become `{"0":..,"1":..}`; they are sent as
 * arrays of their numbers instead, which is exact. Bytes (Buffer, Uint8Array, ArrayBuffer) are refused: CrateDB has
 * no byte column type, and the caller must choose a text form.
 *
 * Speed: plain values are checked with `typeof` only, plain objects and Dates by their prototype; the result says
 * whether the body needs the slower serialization with a replacer (bigints, typed arrays). Cycles are left to
 * JSON.stringify, which runs first (encode.ts): a scan that tracked them cost a quarter more.
 */
import { CrateValueError } from '../shared/errors.js';
import { inStatement } from './errors.js';

/** What the serializer must know about checked values. */
export interface ValueScan {
  /** bigints or typed arrays occur: serialize with {@link exactReplacer}. */
  needsReplacer: boolean;
}

interface Problem {
  /** Path below the parameter, e.g. `[0].price`, built on the way out of the recursion. */
  path: string;
  message: string;
}

/**
 * Checks `args` of one statement; throws a {@link CrateValueError} naming `$n` for the first bad value. The values
 * must be free of cycles (JSON.stringify has checked that: see encode.ts; {@link findCycle} says where one is).
 */
export function checkArgs(args: readonly unknown[], statement: string | undefined): ValueScan {
  const scan: ValueScan = { needsReplacer: false };
  for (let i = 0; i < args.length; i++) {
    const problem = problemOf(args[i], scan);
    if (problem) throw valueError(`$${i + 1}${problem.path}`, problem.message, statement);
  }
  return scan;
}

/** Checks `bulk_args`; throws a {@link CrateValueError} naming `bulk_args[row][column]` for the first bad value. */
export function checkBulkArgs(bulkArgs: readonly (readonly unknown[])[], statement: string | undefined): ValueScan {
  const scan: ValueScan = { needsReplacer: false };
  for (let row = 0; row < bulkArgs.length; row++) {
    const args = bulkArgs[row];
    if (!Array.isArray(args)) throw valueError(`bulk_args[${row}]`, 'each row of bulk arguments must be an array of values', statement);
    for (let column = 0; column < args.length; column++) {
      const value: unknown = args[column];
      // Strings, booleans, null and finite numbers, the bulk of every body, without a call.
      if (typeof value === 'string' || typeof value === 'boolean' || value === null || (typeof value === 'number' && value - value === 0)) continue;
      const problem = problemOf(value, scan);
      if (problem) throw valueError(`bulk_args[${row}][${column}]${problem.path}`, problem.message, statement);
    }
  }
  return scan;
}

/** Where the values hold a cycle (`$1.children[0].parent`), for the error JSON.stringify would give without a place. */
export function findCycle(payload: { stmt: string; args?: readonly unknown[]; bulk_args?: readonly (readonly unknown[])[] }): CrateValueError | undefined {
  const stack: unknown[] = [];
  const walk = (value: unknown): string | undefined => {
    if (typeof value !== 'object' || value === null) return undefined;
    if (stack.includes(value)) return '';
    stack.push(value);
    const json = (value as { toJSON?: unknown }).toJSON;
    const inner: unknown = typeof json === 'function' ? json.call(value, '') : value;
    let found: string | undefined;
    if (inner !== value) found = walk(inner);
    else if (Array.isArray(value)) {
      for (let i = 0; found === undefined && i < value.length; i++) {
        const path = walk(value[i]);
        if (path !== undefined) found = `[${i}]${path}`;
      }
    } else {
      for (const key of Object.keys(value)) {
        const path = walk((value as Record<string, unknown>)[key]);
        if (path !== undefined) {
          found = `${keyPath(key)}${path}`;
          break;
        }
      }
    }
    stack.pop();
    return found;
  };
  const rows = payload.bulk_args ?? (payload.args ? [payload.args] : []);
  for (let row = 0; row < rows.length; row++) {
    const args = rows[row]!;
    for (let i = 0; i < args.length; i++) {
      const path = walk(args[i]);
      if (path === undefined) continue;
      const where = payload.bulk_args ? `bulk_args[${row}][${i}]${path}` : `$${i + 1}${path}`;
      return valueError(where, 'a circular structure cannot be sent as JSON', payload.stmt);
    }
  }
  return undefined;
}

// JSON.rawJSON (Node ≥ 21) is not in the ES2023 lib typings this project compiles against.
const rawJSON = (JSON as unknown as { rawJSON(text: string): unknown }).rawJSON;

/** Writes bigints as exact JSON numbers (CrateDB parses them as BIGINT/NUMERIC) and typed arrays as arrays. */
export function exactReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return rawJSON(value.toString());
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<unknown>);
  return value;
}

function valueError(where: string, message: string, statement: string | undefined): CrateValueError {
  return new CrateValueError(where, `${message}${inStatement(statement)}`);
}

/** Plain values by `typeof` alone; objects and arrays by {@link objectProblem}. */
function problemOf(value: unknown, scan: ValueScan): Problem | undefined {
  const type = typeof value;
  if (type === 'string' || type === 'boolean' || type === 'undefined') return undefined;
  if (type === 'number') return Number.isFinite(value) ? undefined : { path: '', message: nonFiniteMessage(value as number) };
  if (type === 'object') return value === null ? undefined : objectProblem(value as object, scan);
  if (type === 'bigint') {
    scan.needsReplacer = true;
    return undefined;
  }
  // function, symbol
  return { path: '', message: `a ${type} cannot be sent: JSON would turn it into null or leave it out` };
}

function nonFiniteMessage(value: number): string {
  return `${value} cannot be sent: JSON has no ${Number.isNaN(value) ? 'NaN' : 'Infinity'}, so CrateDB would store NULL; send null for a missing value`;
}

function objectProblem(value: object, scan: ValueScan): Problem | undefined {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      if (typeof item === 'string' || typeof item === 'boolean' || item === null || (typeof item === 'number' && item - item === 0)) continue;
      const problem = problemOf(item, scan);
      if (problem) return { path: `[${i}]${problem.path}`, message: problem.message };
    }
    return undefined;
  }
  // The common cases first, by prototype: a plain object, a Date.
  const prototype = Object.getPrototypeOf(value) as object | null;
  if (prototype === Date.prototype) return dateProblem(value as Date);
  const plain = prototype === Object.prototype || prototype === null;
  if (!plain) {
    if (value instanceof Date) return dateProblem(value);
    if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return binaryProblem(value, scan);
    const special = specialObjectProblem(value);
    if (special !== null) return special;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') {
    const json: unknown = toJSON.call(value, '');
    return json === value ? undefined : problemOf(json, scan);
  }
  if (plain) {
    // for-in visits what Object.keys would (a plain object inherits nothing enumerable) without building the array.
    for (const key in value) {
      const problem = problemOf((value as Record<string, unknown>)[key], scan);
      if (problem) return { path: `${keyPath(key)}${problem.path}`, message: problem.message };
    }
    return undefined;
  }
  const keys = Object.keys(value);
  if (keys.length === 0) {
    const name = (prototype as { constructor?: { name?: string } }).constructor?.name || 'a class';
    return { path: '', message: `an instance of ${name} would be sent as {}: it has no enumerable properties of its own and no toJSON method` };
  }
  for (const key of keys) {
    const problem = problemOf((value as Record<string, unknown>)[key], scan);
    if (problem) return { path: `${keyPath(key)}${problem.path}`, message: problem.message };
  }
  return undefined;
}

function dateProblem(value: Date): Problem | undefined {
  return Number.isNaN(value.getTime()) ? { path: '', message: 'an Invalid Date cannot be sent: JSON would turn it into null' } : undefined;
}

/** Built-in objects JSON cannot represent; null when `value` is none of them. */
function specialObjectProblem(value: object): Problem | undefined | null {
  if (value instanceof Map) return { path: '', message: 'a Map would be sent as {}: JSON ignores its entries; convert it, e.g. Object.fromEntries(map)' };
  if (value instanceof Set) return { path: '', message: 'a Set would be sent as {}: JSON ignores its entries; convert it, e.g. [...set]' };
  if (value instanceof RegExp) return { path: '', message: 'a RegExp would be sent as {}; send its text (regexp.source)' };
  if (value instanceof Error) return { path: '', message: 'an Error would be sent as {}; send its message' };
  if (value instanceof WeakMap || value instanceof WeakSet || value instanceof Promise || value instanceof WeakRef) {
    return { path: '', message: `a ${value.constructor.name} cannot be sent: JSON would turn it into {}` };
  }
  if (value instanceof Number) return Number.isFinite(value.valueOf()) ? undefined : { path: '', message: nonFiniteMessage(value.valueOf()) };
  return null;
}

function binaryProblem(value: ArrayBufferView | ArrayBuffer | SharedArrayBuffer, scan: ValueScan): Problem | undefined {
  if (value instanceof Uint8Array || value instanceof Uint8ClampedArray || value instanceof DataView || !ArrayBuffer.isView(value)) {
    const name = typeof Buffer === 'function' && Buffer.isBuffer(value) ? 'Buffer' : value.constructor.name;
    return {
      path: '',
      message: `bytes (${name}) cannot be sent: CrateDB has no byte column type and JSON has no bytes; send text, e.g. buffer.toString('base64'), or an array of numbers (Array.from(bytes))`,
    };
  }
  // A typed array of numbers: sent as an array (exact), once its numbers are known to be finite.
  const numbers = value as unknown as ArrayLike<number | bigint>;
  for (let i = 0; i < numbers.length; i++) {
    const number = numbers[i]!;
    if (typeof number === 'number' && !Number.isFinite(number)) return { path: `[${i}]`, message: nonFiniteMessage(number) };
  }
  scan.needsReplacer = true;
  return undefined;
}

function keyPath(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}
