/**
 * A persistent cache of per-file facts, so that a second `logfunnel check` (or the language
 * server opening the same folder again) re-reads only the files that changed since.
 *
 * An entry is used only while everything its facts were computed from is unchanged: the file's
 * size and mtime (or, when only the mtime changed, as after a fresh checkout or a CI cache
 * restore, its size and content hash), the module location Python would give it (a new `__init__.py` renames
 * modules), the neighbour files a reader looked at (`.env`, `gunicorn.conf.py`, and files it
 * only looked for), and the analyser's own code (a new build invalidates the whole cache).
 *
 * The cache of one set of roots is split into SHARDS files by a hash of each file's path, so a
 * change to a few files rewrites a few shards, not every file's facts (Django's are ~11 MB).
 * A shard is written with V8's serializer to a temporary name and renamed into place, so a
 * concurrent run or a crash never leaves a torn file; any read error means "no cache" for that
 * shard. Each file's facts are a JSON text of their own, turned into objects only when
 * used: loading the whole cache as objects at once cost more memory than reading the files
 * afresh, and writing keeps the texts of unchanged files as they are. JSON rather than V8's
 * format for the facts: `JSON.parse` builds these plain objects about twice as fast as
 * `v8.deserialize` (Django: ~100 against ~200 ms), and facts are plain data by contract
 * (model/facts.ts: no Map, no undefined that matters, no Infinity). The JSON is packed
 * (packedFacts.ts: spans without their file, scopes without their module key): the stdlib's
 * shards 56 -> 31 MB, a check reading all its facts from them ~40 ms faster.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as v8 from 'v8';
import type { ModuleLocation } from '../model/program';
import type { FileEntry } from './fileReader';
import { cacheSetOf, markUsed, pruneCacheFolderDaily } from './cacheJanitor';
import { packEntry, unpackEntry } from './packedFacts';

/** Bumped when the cache file's own layout changes. */
const FORMAT = 6;
/** Files per workspace cache; a power of two. */
const SHARDS = 16;

/** Size and mtime of a file, or `missing`: what decides whether a file changed. */
export type FileSignature = string;

export function signatureOf(file: string): FileSignature {
  try {
    const stat = fs.statSync(file);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * The hash of a text as the readers saw it (decoded as UTF-8): taken from the text the facts were
 * computed from, when the reader has it, so storing facts does not read the file a second time.
 */
export function textHash(text: string): string {
  return crypto.createHash('sha1').update(text).digest('base64');
}

/** A file's content, for when its mtime changed but its size did not (a fresh git checkout). */
function contentHash(file: string): string | undefined {
  try {
    return textHash(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

const sizeOf = (signature: FileSignature) => signature.slice(0, signature.indexOf(':'));

/** The size a signature was taken at (none for `missing`, and none without a cache, which takes no signatures). */
export function sizeInSignature(signature: FileSignature): number | undefined {
  return signature === 'missing' ? undefined : Number(sizeOf(signature));
}

/**
 * Whether `file`, now at `current`, is what it was when stored: the same size and mtime, or
 * (a checkout, a CI cache restore: new mtimes, same files) the same size and content.
 */
function unchanged(file: string, current: FileSignature, stored: FileSignature, hash: string | undefined): boolean {
  if (current === stored) return true;
  if (hash === undefined || current === 'missing' || stored === 'missing' || sizeOf(current) !== sizeOf(stored)) return false;
  return contentHash(file) === hash;
}

/**
 * The content hash of `file` if it still is at `signature` afterwards: a file written while it
 * was being read gets none (its facts may be of the older text), and is then never matched by content.
 */
function stableHash(file: string, signature: FileSignature): string | undefined {
  if (signature === 'missing') return undefined;
  const hash = contentHash(file);
  return signatureOf(file) === signature ? hash : undefined;
}

interface CachedEntry {
  signature: FileSignature;
  /** `textHash` of the text the facts came from (see `unchanged`). */
  hash?: string;
  /** The module location the facts were keyed with (checked before the facts are parsed). */
  location?: ModuleLocation;
  /**
   * `JSON.stringify` of the FileEntry's facts, location, lines, reads and `deferred` mark ('' while
   * the entry waits in `FactCache.unwritten`). Kept as the string: V8's serializer copies a
   * string's bytes as they are, where encoding each text to UTF-8 (and serializing 1,800 buffers,
   * each through a JS callback) took ~110 of the stdlib's ~300 ms of caching.
   */
  json: string;
  /** `json` is packed (packedFacts.ts): worker threads' entries, and any that could not be, are not. */
  packed?: true;
  /** Neighbour files read while computing the facts, with their signatures and content hashes then. */
  reads?: [string, FileSignature, string?][];
}

interface CacheFile {
  format: number;
  fingerprint: string;
  roots: string[];
  entries: Map<string, CachedEntry>;
}

/** Where caches live unless told otherwise: `$LOGFUNNEL_CACHE_DIR`, else the user's cache folder. */
export function defaultCacheDir(): string {
  if (process.env.LOGFUNNEL_CACHE_DIR) return process.env.LOGFUNNEL_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) || path.join(os.homedir(), '.cache');
  return path.join(base, 'logfunnel');
}

/** Names one workspace's files in the cache folder: its roots, and a variant of the analysis. */
export function cacheId(roots: string[], variant: string): string {
  return crypto.createHash('sha1').update(JSON.stringify([resolvedRoots(roots), variant])).digest('hex').slice(0, 16);
}

const resolvedRoots = (roots: string[]) => roots.map((r) => path.resolve(r)).sort();

export class FactCache {
  private readonly entries: Map<string, CachedEntry>;
  private readonly dirtyShards = new Set<number>();
  /**
   * With `jsonAtSave`: the entries stored, as objects; `save` makes their JSON for the shards it
   * writes, and drops it once written. A check ends with the save, so the text is made once,
   * shard by shard, and its facts are never held twice (as objects and as text).
   */
  private readonly unwritten = new Map<string, FileEntry>();
  hits = 0;
  misses = 0;

  private constructor(
    /** The shard files' common prefix: shard n is `${base}.${n}.bin`. */
    private readonly base: string,
    private readonly fingerprint: string,
    private readonly roots: string[],
    entries: Map<string, CachedEntry>,
    private readonly jsonAtSave: boolean,
  ) {
    this.entries = entries;
  }

  /**
   * Opens (or starts) the cache for these roots; a missing, corrupt or outdated shard starts empty.
   * `jsonAtSave`: the stored facts stay as they are until `save` (see `unwritten`): only for an
   * engine that changes no facts in place after storing them (a check, not an editor's server).
   */
  static open(dir: string, roots: string[], variant = '', jsonAtSave = false): FactCache {
    const resolved = resolvedRoots(roots);
    const base = factsBase(dir, roots, variant);
    const fingerprint = codeFingerprint();
    const entries = new Map<string, CachedEntry>();
    for (let shard = 0; shard < SHARDS; shard++) {
      try {
        const stored = v8.deserialize(fs.readFileSync(shardFile(base, shard))) as CacheFile;
        if (stored.format !== FORMAT || stored.fingerprint !== fingerprint || !(stored.entries instanceof Map)) continue;
        markUsed(shardFile(base, shard)); // in use: the cache janitor keeps it
        for (const [file, entry] of stored.entries) if (shardOf(file) === shard && typeof entry.json === 'string') entries.set(file, entry);
      } catch {
        /* no cache yet, or unreadable: this shard starts empty */
      }
    }
    return new FactCache(base, fingerprint, resolved, entries, jsonAtSave);
  }

  /** The cached entry of `file` if nothing it depends on changed since it was stored. */
  lookup(file: string, signature: FileSignature, location: ModuleLocation | undefined): FileEntry | undefined {
    const cached = this.entries.get(file);
    const neighbours = cached?.reads?.map(([neighbour, stored, hash]) => ({ neighbour, stored, hash, current: signatureOf(neighbour) }));
    const valid = cached
      && sameLocation(cached.location, location)
      && unchanged(file, signature, cached.signature, cached.hash)
      && (neighbours ?? []).every((n) => unchanged(n.neighbour, n.current, n.stored, n.hash));
    if (valid) {
      try {
        const entry = cached.packed ? unpackEntry<FileEntry>(cached.json, file, cached.location) : (JSON.parse(cached.json) as FileEntry);
        this.hits++;
        if (cached.signature !== signature || neighbours?.some((n) => n.current !== n.stored)) {
          // Matched by content: keep the new mtimes, so the next run matches without hashing.
          cached.signature = signature;
          cached.reads = neighbours?.map((n) => [n.neighbour, n.current, n.hash]);
          this.dirtyShards.add(shardOf(file));
        }
        return entry;
      } catch {
        /* a damaged entry: read the file */
      }
    }
    this.misses++;
    if (cached) {
      this.entries.delete(file);
      this.dirtyShards.add(shardOf(file));
    }
    return undefined;
  }

  /**
   * Remembers facts read from disk (never an editor's unsaved text). `json`, when given, is the
   * entry already as JSON (from a worker thread; it has no text or tree). `hash`, when given, is
   * `textHash` of the very text the facts came from: no later write can make it disagree with
   * them, so it needs neither a second read nor a check that the file held still.
   *
   * An entry whose line scan was put off (`deferred`) is stored as that mark and no facts: a later
   * check that needs them scans the file then (the engine's deferred files), and one that does not
   * never reads it.
   */
  store(file: string, signature: FileSignature, entry: FileEntry, json?: string, hash?: string): void {
    if (signature === 'missing') return;
    // Given as text: no earlier entry of the file may wait to be written over it.
    if (json !== undefined) this.unwritten.delete(file);
    const made = json === undefined ? this.jsonOf(file, entry) : { json };
    this.entries.set(file, {
      signature,
      location: entry.location,
      ...made,
      hash: hash ?? stableHash(file, signature),
      reads: entry.reads?.map((r) => {
        const neighbourSignature = signatureOf(r);
        return [r, neighbourSignature, stableHash(r, neighbourSignature)];
      }),
    });
    this.dirtyShards.add(shardOf(file));
  }

  /**
   * The facts of a stored entry's very text, now scanned (a deferred file's kept text): its
   * signature and hash stand.
   */
  replaceFacts(file: string, entry: FileEntry): void {
    const cached = this.entries.get(file);
    if (!cached) return;
    setJson(cached, this.jsonOf(file, entry));
    this.dirtyShards.add(shardOf(file));
  }

  /** The entry's JSON now, or '' and the entry kept for `save` to write. */
  private jsonOf(file: string, entry: FileEntry): Pick<CachedEntry, 'json' | 'packed'> {
    if (this.jsonAtSave) {
      this.unwritten.set(file, entry);
      return { json: '' };
    }
    this.unwritten.delete(file);
    return entryJson(file, entry);
  }

  /** How many files have stored facts. */
  get size(): number {
    return this.entries.size;
  }

  /** The signature `file`'s stored facts were read at, if they are stored. */
  signatureStored(file: string): FileSignature | undefined {
    return this.entries.get(file)?.signature;
  }

  /** Drops files that are no longer part of the workspace. */
  retainOnly(files: Set<string>): void {
    for (const file of this.entries.keys()) {
      if (!files.has(file)) {
        this.entries.delete(file);
        this.dirtyShards.add(shardOf(file));
      }
    }
  }

  /** Writes the shards that changed. Failing to write (read-only home, full disk) is not an error. */
  save(): void {
    for (const shard of this.shardsToWrite()) {
      try {
        fs.writeFileSync(shard.temporary, shard.bytes);
        fs.renameSync(shard.temporary, shard.target);
        this.dirtyShards.delete(shard.shard);
      } catch {
        removeQuietly(shard.temporary);
      }
    }
  }

  /**
   * `save`, with each shard written by Node's thread pool while this thread serializes the next
   * (the stdlib's check: ~90 of its ~270 ms of saving were the writes). Settles when every shard
   * is written or given up; never rejects.
   */
  async saveInBackground(): Promise<void> {
    const writes: Promise<void>[] = [];
    for (const shard of this.shardsToWrite()) {
      writes.push(
        fs.promises.writeFile(shard.temporary, shard.bytes)
          .then(() => fs.promises.rename(shard.temporary, shard.target))
          .then(() => void this.dirtyShards.delete(shard.shard), () => removeQuietly(shard.temporary)),
      );
      // Two shards' bytes in flight at most (all 16 at once: the stdlib's check peaked 40 MB
      // higher). Each step of a write (open, write, close, rename) also waits for this thread's
      // event loop, which turns while it waits here.
      if (writes.length >= 2) await writes[writes.length - 2];
    }
    await Promise.all(writes);
  }

  /** Each changed shard as the bytes to write, made when the caller asks for it. */
  private *shardsToWrite(): Generator<ShardWrite> {
    // Once a day, caches of other workspaces unused for a month (or beyond the folder's size cap) go.
    pruneCacheFolderDaily(path.dirname(this.base), [cacheSetOf(path.basename(shardFile(this.base, 0)))!]);
    if (this.dirtyShards.size === 0) return;
    try {
      fs.mkdirSync(path.dirname(this.base), { recursive: true });
    } catch {
      return; // nowhere to write
    }
    const byShard = new Map<number, Map<string, CachedEntry>>();
    for (const shard of this.dirtyShards) byShard.set(shard, new Map());
    for (const [file, entry] of this.entries) byShard.get(shardOf(file))?.set(file, entry);
    for (const [shard, entries] of byShard) {
      for (const [file, entry] of entries) {
        const late = this.unwritten.get(file);
        if (late) setJson(entry, entryJson(file, late));
      }
      const data: CacheFile = { format: FORMAT, fingerprint: this.fingerprint, roots: this.roots, entries };
      const target = shardFile(this.base, shard);
      const bytes = v8.serialize(data);
      // The texts made late are in the bytes now: not kept as well (the stdlib's check peaked
      // ~20 MB higher with all 48 MB of them kept to the end). Their entries still wait.
      for (const [file, entry] of entries) if (this.unwritten.has(file)) entry.json = '';
      yield { shard, target, temporary: `${target}.${process.pid}.tmp`, bytes };
    }
  }

  /** The shard files' common prefix (shard n is `${path}.${n}.bin`). */
  get path(): string {
    return this.base;
  }
}

interface ShardWrite {
  shard: number;
  target: string;
  /** Written first, then renamed to `target`: a reader never sees half a shard. */
  temporary: string;
  bytes: Buffer;
}

function removeQuietly(file: string): void {
  try {
    fs.unlinkSync(file);
  } catch {
    /* nothing was written */
  }
}

/** Sets an entry's text, and whether it is packed. */
function setJson(entry: CachedEntry, { json, packed }: Pick<CachedEntry, 'json' | 'packed'>): void {
  entry.json = json;
  if (packed) entry.packed = true;
  else delete entry.packed;
}

/** What the cache keeps of an entry, as text: never its text or tree. */
function entryJson(file: string, { facts, location, lines, reads, deferred }: FileEntry): Pick<CachedEntry, 'json' | 'packed'> {
  const kept = { facts, location, lines, reads, deferred };
  const packed = packEntry(kept, file, location);
  return packed === undefined ? { json: JSON.stringify(kept) } : { json: packed, packed: true };
}

function shardFile(base: string, shard: number): string {
  return `${base}.${shard}.bin`;
}

/** The shard files' common prefix for a workspace: shard n is `${base}.${n}.bin`. */
function factsBase(dir: string, roots: string[], variant: string): string {
  return path.join(dir, `facts-${cacheId(roots, variant)}`);
}

/** The files a workspace's facts cache may have (checkedBefore.ts looks for any). */
export function factShardFiles(dir: string, roots: string[], variant: string): string[] {
  const base = factsBase(dir, roots, variant);
  return Array.from({ length: SHARDS }, (_, shard) => shardFile(base, shard));
}

/** FNV-1a of the path: which shard keeps a file's facts. */
function shardOf(file: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 0x01000193);
  return (hash >>> 0) & (SHARDS - 1);
}

function sameLocation(a: ModuleLocation | undefined, b: ModuleLocation | undefined): boolean {
  return a?.module === b?.module && a?.importRoot === b?.importRoot && a?.isPackageInit === b?.isPackageInit;
}

let fingerprintMemo: string | undefined;
/**
 * Identifies the code that computes facts. In the packaged extension and the CLI (bundles in
 * dist/), that is the fact worker's bundle: it holds exactly the file → facts code, and the
 * server and CLI bundles are built from the same sources beside it, so both share one cache.
 * A development build (one .js per module) is identified by every server module's size and mtime.
 */
export function codeFingerprint(): string {
  if (fingerprintMemo) return fingerprintMemo;
  const hash = crypto.createHash('sha1').update(`${FORMAT}`);
  const bundled = path.basename(__dirname) !== 'workspace';
  if (bundled) {
    const worker = path.join(__dirname, 'factWorker.js');
    try {
      hash.update(fs.readFileSync(fs.existsSync(worker) ? worker : __filename));
    } catch {
      hash.update(String(Math.random())); // unreadable: never reuse a cache
    }
  } else {
    const serverRoot = path.dirname(__dirname);
    const files = (fs.readdirSync(serverRoot, { recursive: true }) as string[]).filter((f) => f.endsWith('.js')).sort();
    for (const f of files) hash.update(`${f}:${signatureOf(path.join(serverRoot, f))};`);
  }
  fingerprintMemo = hash.digest('hex');
  return fingerprintMemo;
}
