/**
 * CrateDB answers a multi-row INSERT whose rows it partly refuses (a value out of range, a failed CHECK, an existing
 * primary key) with HTTP 200 and a smaller row count, and no error. Both lines compare the count with the rows sent.
 */
import { CratePartialWriteError } from '../shared/errors.js';

/** Some rows of `insert().values()` were not written, and nothing said why. */
export class InsertRowCountError extends CratePartialWriteError {
  static override readonly errorName: string = 'InsertRowCountError';

  constructor(
    readonly table: string,
    /** Rows sent in the statements that ran. */
    readonly sentRows: number,
    /** Rows CrateDB reported written. */
    readonly writtenRows: number,
  ) {
    super(
      `insert into ${table}: CrateDB wrote ${writtenRows} of ${sentRows} rows and refused the other ${sentRows - writtenRows} without an ` +
        'error (a value out of range, a failed CHECK or an existing primary key). Which rows is not reported for a ' +
        'multi-row INSERT: insert them with db.bulkInsert(), which reports each row\'s outcome, or read them back by key',
    );
  }
}

/** Whether a statement's text says that conflicting rows are skipped, which explains a smaller count. */
export function skipsConflicts(statement: string): boolean {
  return /\bon\s+conflict\b[\s\S]*\bdo\s+nothing\b/i.test(statement);
}
