/**
 * What the last `logfunnel check` of a workspace showed, for the next check of the same,
 * unchanged workspace: whole-program findings depend on every file, so they can be reused only
 * when nothing they were computed from changed, and then nothing needs to be read or linked.
 *
 * The stored run sits beside the facts cache (factCache.ts) in a small file of its own, so that
 * the check "is anything different?" reads a few kilobytes, not every file's facts. It holds:
 * - the workspace key the engine computed (each file with its size, mtime and module location,
 *   and the neighbour files its facts read, with theirs);
 * - those neighbour files per file, so the next run can compute the same key before reading;
 * - the analyser that produced it (a new build, with other rules, never reuses a run);
 * - the result as shown: findings, problems and counts.
 * Written to a temporary name and renamed; any read error means "no stored run".
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { cacheId, codeFingerprint } from './factCache';
import { markUsed } from './cacheJanitor';

const FORMAT = 1;

export interface StoredRunFile<T> {
  format: number;
  analyser: string;
  key: string;
  /** Neighbour files per analysed file, only for files that read any. */
  reads: Record<string, string[]>;
  run: T;
}

export function storedRunFile(dir: string, roots: string[], variant: string): string {
  return path.join(dir, `run-${cacheId(roots, variant)}.json`);
}

/** The stored run of this workspace if this same analyser wrote it. */
export function loadStoredRun<T>(dir: string, roots: string[], variant: string): StoredRunFile<T> | undefined {
  const file = storedRunFile(dir, roots, variant);
  try {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as StoredRunFile<T>;
    const wellFormed = stored.format === FORMAT && typeof stored.key === 'string' && stored.reads !== null && typeof stored.reads === 'object';
    if (!wellFormed || stored.analyser !== analyserFingerprint()) return undefined;
    markUsed(file); // in use: the cache janitor keeps it
    return stored;
  } catch {
    return undefined;
  }
}

/** Replaces the stored run. Failing to write (read-only home, full disk) is not an error. */
export function saveStoredRun<T>(dir: string, roots: string[], variant: string, key: string, reads: Record<string, string[]>, run: T): void {
  const file = storedRunFile(dir, roots, variant);
  const temporary = `${file}.${process.pid}.tmp`;
  const data: StoredRunFile<T> = { format: FORMAT, analyser: analyserFingerprint(), key, reads, run };
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(temporary, JSON.stringify(data));
    fs.renameSync(temporary, file);
  } catch {
    try {
      fs.unlinkSync(temporary);
    } catch {
      /* nothing was written */
    }
  }
}

let analyserMemo: string | undefined;

/**
 * Identifies the whole analyser, rules included: in a bundle, the bundle this code runs in (the
 * CLI's); in a development build, every module (the facts cache's fingerprint). The facts
 * cache's own fingerprint covers only the code that turns a file into facts.
 */
function analyserFingerprint(): string {
  if (analyserMemo) return analyserMemo;
  const bundled = path.basename(__dirname) !== 'workspace';
  if (!bundled) return (analyserMemo = codeFingerprint());
  try {
    analyserMemo = crypto.createHash('sha1').update(fs.readFileSync(__filename)).digest('hex');
  } catch {
    analyserMemo = String(Math.random()); // unreadable: never reuse a stored run
  }
  return analyserMemo;
}
