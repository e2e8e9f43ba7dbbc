/**
 * Which account CrateDB's nodes run as. CrateDB refuses to start as root ("can not run crate as root"), so a root
 * process must name an unprivileged user; any other process runs its nodes as itself.
 */
import { execFileSync } from 'node:child_process';
import { CrateRuntimeError } from '../shared/errors.js';

/** An account nodes are spawned as (Node's `spawn({ uid, gid })`, which only root may use). */
export interface NodeUser {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

export const HOW_TO_NAME_A_USER =
  'Name an unprivileged user for the nodes: CRATEDB_USER=crate (or startCrateDB({ user: "crate" })); ' +
  'to create one: useradd --system --no-create-home crate';

/** Looks an account up by name with `id`, which every Unix has; undefined when there is none. */
export function lookUpUser(name: string): NodeUser | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    return Number.isInteger(uid) && Number.isInteger(gid) ? { name, uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

export interface UserContext {
  /** The effective uid of this process; undefined where there is none (Windows). */
  readonly euid: number | undefined;
  /** The user asked for: the `user` option, else CRATEDB_USER. */
  readonly requested: string | undefined;
  readonly lookUp: (name: string) => NodeUser | undefined;
}

/**
 * The account to spawn nodes as: undefined means this process's own. Root must name one; a user named by a process
 * that is not root is accepted only when it is that process's own account (no other can be switched to).
 */
export function resolveNodeUser({ euid, requested, lookUp }: UserContext): NodeUser | undefined {
  if (euid === undefined) return undefined;
  const name = requested?.trim() || undefined;
  if (euid !== 0) {
    if (name === undefined) return undefined;
    const user = lookUp(name);
    if (user?.uid === euid) return undefined;
    throw new CrateRuntimeError(
      `CRATEDB_USER (or the \`user\` option) names ${JSON.stringify(name)}, but only root can start processes as another user ` +
        `and this process runs as uid ${euid}: unset it to run CrateDB as yourself.`,
    );
  }
  if (name === undefined) {
    throw new CrateRuntimeError(`CrateDB refuses to run as root, and this process is root. ${HOW_TO_NAME_A_USER}`);
  }
  const user = lookUp(name);
  if (user === undefined) throw new CrateRuntimeError(`CRATEDB_USER names ${JSON.stringify(name)}, and there is no such user. ${HOW_TO_NAME_A_USER}`);
  if (user.uid === 0) throw new CrateRuntimeError(`CRATEDB_USER names ${JSON.stringify(name)}, which is root (uid 0); CrateDB refuses to run as root. ${HOW_TO_NAME_A_USER}`);
  return user;
}

/** The effective uid of this process, where the platform has one. */
export function currentEuid(): number | undefined {
  return typeof process.geteuid === 'function' ? process.geteuid() : undefined;
}
