/**
 * Keeps the cache folder from growing without end. Every workspace checked leaves its facts
 * (`facts-<id>.<n>.bin`) and its last run (`run-<id>.json`), or after its first check only a
 * mark (`seen-<id>`, checkedBefore.ts), and every build of the CLI its V8
 * code cache (`code-<key>.bin`): a CI runner that checks a fresh clone at a new path each time,
 * or a user who upgrades now and then, would otherwise collect them forever.
 *
 * A set (the files of one workspace, or one code cache) counts as used when its newest file was
 * written or touched: the caches touch their files when they are read (`markUsed`). Sets unused
 * for MAX_AGE_DAYS go; then, while the folder holds more than MAX_BYTES, the least recently
 * used sets go, never the one the current run uses. Temporary files left by a crash go after a
 * day. This runs at most once a day per folder (a stamp file says when it last ran), when a
 * cache is saved or a first check leaves its mark, so a check pays one `stat` for it on other days.
 */
import * as fs from 'fs';
import * as path from 'path';

export const MAX_AGE_DAYS = 30;
export const MAX_BYTES = 1024 * 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;
const STAMP = 'janitor.stamp';

/** The set a cache file belongs to (`facts-<id>`, `run-<id>` and `seen-<id>` are one set), or undefined. */
export function cacheSetOf(name: string): string | undefined {
  const m = /^(?:facts-([0-9a-f]+)\.\d+\.bin|run-([0-9a-f]+)\.json|seen-([0-9a-f]+)|(code-[0-9a-f]+)\.bin)$/.exec(name);
  if (!m) return undefined;
  return m[4] ?? `workspace-${m[1] ?? m[2] ?? m[3]}`;
}

/** Marks a cache file as used now (a read that writes nothing would not change its mtime). */
export function markUsed(file: string): void {
  try {
    const now = new Date();
    fs.utimesSync(file, now, now);
  } catch {
    /* gone or read-only: it ages, which is what an unusable cache should do */
  }
}

export interface PruneOptions {
  /** Sets of the current run: never removed. */
  keep?: string[];
  now?: number;
  maxAgeDays?: number;
  maxBytes?: number;
}

/** Removes old and excess cache sets from `dir`; returns the names of the files removed. */
export function pruneCacheFolder(dir: string, options: PruneOptions = {}): string[] {
  const now = options.now ?? Date.now();
  const maxAge = (options.maxAgeDays ?? MAX_AGE_DAYS) * DAY_MS;
  const maxBytes = options.maxBytes ?? MAX_BYTES;
  const keep = new Set(options.keep ?? []);
  const sets = new Map<string, { files: string[]; bytes: number; used: number }>();
  const removed: string[] = [];
  const remove = (name: string) => {
    try {
      fs.unlinkSync(path.join(dir, name));
      removed.push(name);
    } catch {
      /* another process removed it, or it is not ours to remove */
    }
  };
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(path.join(dir, name));
    } catch {
      continue;
    }
    if (!stat.isFile()) continue;
    if (name.endsWith('.tmp') || /^code-[0-9a-f]+\.bin\.\d+$/.test(name)) {
      // A write that never got renamed: its process died (a live one renames within seconds).
      if (now - stat.mtimeMs > DAY_MS) remove(name);
      continue;
    }
    const set = cacheSetOf(name);
    if (!set) continue;
    const entry = sets.get(set) ?? { files: [], bytes: 0, used: 0 };
    entry.files.push(name);
    entry.bytes += stat.size;
    entry.used = Math.max(entry.used, stat.mtimeMs);
    sets.set(set, entry);
  }
  let total = 0;
  for (const [set, entry] of sets) {
    if (!keep.has(set) && now - entry.used > maxAge) {
      entry.files.forEach(remove);
      sets.delete(set);
    } else {
      total += entry.bytes;
    }
  }
  const leastRecentFirst = [...sets].filter(([set]) => !keep.has(set)).sort((a, b) => a[1].used - b[1].used);
  for (const [, entry] of leastRecentFirst) {
    if (total <= maxBytes) break;
    entry.files.forEach(remove);
    total -= entry.bytes;
  }
  return removed;
}

/** `pruneCacheFolder` unless it ran in the last day (a stamp file in the folder says). */
export function pruneCacheFolderDaily(dir: string, keep: string[]): void {
  const stamp = path.join(dir, STAMP);
  try {
    if (Date.now() - fs.statSync(stamp).mtimeMs < DAY_MS) return;
  } catch {
    /* never ran here */
  }
  try {
    fs.writeFileSync(stamp, '');
  } catch {
    return; // a folder we cannot write to is not ours to tidy
  }
  pruneCacheFolder(dir, { keep });
}
