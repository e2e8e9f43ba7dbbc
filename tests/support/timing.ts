/**
 * How late a chain of timers (a probe, its answer, a retry) may finish in the timing tests. On a loaded CI machine
 * such a chain can be a few hundred milliseconds late (a 100 ms allowance failed once); the faults these tests guard
 * against, a request that never leaves a hung server or retries that do not stop, are seconds late and still fail.
 */
export const LATE_MS = 250;

/**
 * How late `timeout` may strike: the client keeps its own timer, and its promise is to end a call within this many
 * milliseconds of the deadline, at every size (measured: 1-13 ms late on a loaded machine, 33 ms on a cold first call).
 */
export const TIMEOUT_PRECISION_MS = 50;
