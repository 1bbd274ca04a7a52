/**
 * Whether a workspace was checked before, for a check's cache admission: the first check of a
 * workspace writes no facts cache and no stored run, only a mark (`seen-<id>`, empty) that it
 * was checked. The next check writes both.
 *
 * Why: most checks that find no trace of an earlier one are one-off runs (a CI job in a fresh
 * clone that keeps no cache folder), whose cache nobody ever reads. Writing it was their
 * largest avoidable cost: ~0.2 s of the stdlib's ~1.9 s first check (48 MB of facts as JSON,
 * serialized and written), ~35 ms of Django's ~0.25 s (the stats, hashes and stores that feed
 * it too). A workspace checked again pays that once, on its second check; from the third on,
 * checks read the cache. CDN caches admit objects on their second request for the same reason.
 *
 * Any file of the workspace's set counts as a trace: the mark, a stored run (runCache.ts), or a
 * facts shard (an editor's server writes those for the same workspace, and a check reads them).
 */
import * as fs from 'fs';
import * as path from 'path';
import { cacheId, factShardFiles } from './factCache';
import { cacheSetOf, pruneCacheFolderDaily } from './cacheJanitor';
import { storedRunFile } from './runCache';

export function seenMarkFile(dir: string, roots: string[], variant: string): string {
  return path.join(dir, `seen-${cacheId(roots, variant)}`);
}

/** Whether the cache folder holds anything of this workspace (a few stats when it does not). */
export function checkedBefore(dir: string, roots: string[], variant: string): boolean {
  const traces = [seenMarkFile(dir, roots, variant), storedRunFile(dir, roots, variant), ...factShardFiles(dir, roots, variant)];
  return traces.some((file) => fs.existsSync(file));
}

/**
 * Leaves the mark (touched if there: the cache janitor keeps a workspace's set by its newest
 * file). A folder that cannot be written to is not an error: every check is then a first one.
 */
export function markChecked(dir: string, roots: string[], variant: string): void {
  const mark = seenMarkFile(dir, roots, variant);
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(mark, '');
  } catch {
    return;
  }
  // A CI runner checking fresh clones at new paths leaves a mark per clone: the janitor, which
  // otherwise runs only when a facts cache is saved, removes those unused for a month.
  pruneCacheFolderDaily(dir, [cacheSetOf(path.basename(mark))!]);
}
