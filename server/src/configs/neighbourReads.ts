/**
 * Which other files a reader looked at while reading one file: the `.env` a Procfile line
 * names, the gunicorn.conf.py a command line uses, a settings module manage.py points to, and
 * files it only checked for (a later `gunicorn.conf.py` changes what `gunicorn app:app` means).
 *
 * The workspace re-reads the file when one of these changes, and its facts cache keeps an entry
 * only while they are unchanged. Reading is synchronous, so one collector at a time suffices.
 */
import * as path from 'path';

let collector: Set<string> | undefined;

/** Runs `read` and returns what it produced with the neighbour files it touched. */
export function trackNeighbourReads<T>(read: () => T): { value: T; reads: string[] } {
  const outer = collector;
  const mine = new Set<string>();
  collector = mine;
  try {
    return { value: read(), reads: [...mine].sort() };
  } finally {
    collector = outer;
    if (outer) for (const f of mine) outer.add(f);
  }
}

/** Called by readers for every file whose content or existence they depend on. */
export function noteNeighbourRead(file: string): void {
  collector?.add(path.resolve(file));
}
