/** What a started CrateDB node offers a test, whether it runs in a container or as a process. */
export interface CrateTestNode {
  readonly name: string;
  readonly url: string;
  /** SIGKILL: the node is gone at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts a killed node again, with its data. */
  start(): Promise<void>;
  /** Freezes the node (SIGSTOP, or a container's pause): a hung node; `resume()` thaws it. */
  pause(): Promise<void>;
  resume(): Promise<void>;
}
