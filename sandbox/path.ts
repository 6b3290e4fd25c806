/**
 * Request path normalisation before routing: the collection writes some paths
 * with a double slash (`/api/public/v1//shift_settings`, API.md §9.2).
 */

/** Collapses repeated slashes and drops a trailing one. */
export function normalisePath(path: string): string {
  const collapsed = path.replace(/\/{2,}/g, "/");
  return collapsed.length > 1 && collapsed.endsWith("/") ? collapsed.slice(0, -1) : collapsed;
}
