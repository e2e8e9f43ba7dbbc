/**
 * How late a timer may fire in the timing tests. On a loaded CI machine a timer or a socket event can be a few
 * hundred milliseconds late; the faults these tests guard against (a timeout that fires a second late, a request
 * that never leaves a hung server) are far later than this, so they still fail. The precision actually achieved is
 * measured, not asserted: see the README's figures.
 */
export const LATE_MS = 250;
