/**
 * `db.batch([...])` on both lines: every statement is built before the first is sent, so one CrateDB cannot run
 * fails the batch before anything is applied. Then they run one after another. It is not atomic (CrateDB has no
 * transactions): when a statement fails, the ones before it stay applied, and the error says which failed.
 */
import { CratePartialWriteError } from '../shared/errors.js';

/** A `db.batch()` statement failed; `index` says which, the ones before it were applied, `cause` holds the error. */
export class BatchError extends CratePartialWriteError {
  static override readonly errorName: string = 'BatchError';

  constructor(
    readonly index: number,
    message: string,
    cause: unknown,
  ) {
    super(message, { cause });
  }
}

export async function runBatch(prepared: readonly { execute(placeholders?: Record<string, unknown>): Promise<unknown> }[]): Promise<unknown[]> {
  const results: unknown[] = [];
  for (const [index, query] of prepared.entries()) {
    try {
      results.push(await query.execute());
    } catch (error) {
      const applied = index === 0 ? 'none applied' : `statements 0..${index - 1} were applied`;
      throw new BatchError(index, `db.batch(): statement ${index} failed (${applied})`, error);
    }
  }
  return results;
}
