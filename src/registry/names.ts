/**
 * Names of the RegistryDO objects. The registry is sharded: one object per
 * company holds that company's sessions, and one directory object knows which
 * companies currently have any. Callers go through `registry-client.ts`.
 */

/** Name of the directory object (`env.REGISTRY.getByName(REGISTRY_DIRECTORY_NAME)`). */
export const REGISTRY_DIRECTORY_NAME = "directory";

/** Prefix of company shard names. */
export const REGISTRY_SHARD_PREFIX = "company:";

/** Name of the shard holding one company's sessions. */
export function registryShardName(companyId: string): string {
  return `${REGISTRY_SHARD_PREFIX}${companyId}`;
}
