/**
 * Methods written once and put on a class of each Drizzle line. The lines' column builders and databases extend
 * different drizzle-orm classes, whose type parameters a mixin function could not pass on to the line's class; so,
 * as in the TypeScript handbook's "alternative pattern" for mixins, the methods are copied onto the line's prototype
 * and an interface merged with the line's class declares them.
 */

/** Copies `methods` onto `target.prototype` as a class body would define them: non-enumerable, writable. */
export function mixIn(target: abstract new (...args: never[]) => object, methods: object): void {
  for (const name of Object.getOwnPropertyNames(methods)) {
    const method = Object.getOwnPropertyDescriptor(methods, name)!;
    Object.defineProperty(target.prototype, name, { ...method, enumerable: false });
  }
}
