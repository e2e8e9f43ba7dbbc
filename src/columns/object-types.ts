/**
 * The TypeScript value of an object column from its declared sub-columns, for builders of either Drizzle line (both
 * keep a builder's data, not-null and default flags under `_`).
 */
import type { ObjectPolicy } from './definition.js';

interface BuilderTypeInfo {
  readonly _: { readonly data: unknown; readonly notNull?: boolean; readonly hasDefault?: boolean };
}

type Simplify<T> = { [K in keyof T]: T[K] } & {};
type BaseData<B> = B extends { _: { $type: infer U } } ? U : B extends BuilderTypeInfo ? B['_']['data'] : unknown;
/** Drizzle v1 makes arrays with `.array(dimensions)` on the builder: its data is then nested arrays of the base. */
type BuilderData<B> = B extends { _: { dimensions: infer D } }
  ? D extends 1
    ? BaseData<B>[]
    : D extends 2
      ? BaseData<B>[][]
      : D extends 3
        ? BaseData<B>[][][]
        : BaseData<B>
  : BaseData<B>;
type IsRequired<B> = B extends BuilderTypeInfo ? (B['_']['notNull'] extends true ? (B['_']['hasDefault'] extends true ? false : true) : false) : false;

/**
 * The value of an object column: declared sub-columns typed (required when `notNull()` without a default, optional
 * otherwise, as CrateDB leaves absent keys out), plus any other key unless the policy is strict.
 */
export type ObjectValue<TColumns extends Record<string, unknown>, TPolicy extends ObjectPolicy> = Simplify<
  {
    [K in keyof TColumns as IsRequired<TColumns[K]> extends true ? K : never]: BuilderData<TColumns[K]>;
  } & {
    [K in keyof TColumns as IsRequired<TColumns[K]> extends true ? never : K]?: BuilderData<TColumns[K]> | null;
  } & (TPolicy extends 'strict' ? {} : { [key: string]: unknown })
>;

/** The policy in force: the given one, else STRICT when sub-columns are declared and DYNAMIC when not. */
export type EffectivePolicy<TColumns extends Record<string, unknown>, TPolicy extends ObjectPolicy | undefined> = TPolicy extends ObjectPolicy
  ? TPolicy
  : {} extends TColumns
    ? 'dynamic'
    : 'strict';
