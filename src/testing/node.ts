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

/** What every way of starting nodes is told, whatever runs them. */
export interface NodesPlan {
  nodes: number;
  /** CRATE_HEAP_SIZE of each node. */
  heapSize: string;
  /** Fixed HTTP ports on this host, one per node (kept across kill and start); free or random ones when absent. */
  hostPorts: readonly number[] | undefined;
  /** How long a node may take to answer `GET /` with 200, in milliseconds. */
  startupTimeout: number;
  /** More CrateDB settings for every node, passed as `-C<key>=<value>`. */
  settings: Readonly<Record<string, string | number | boolean>>;
}
