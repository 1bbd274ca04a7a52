/**
 * The analysis engine shared by the language server, the CLI and the benchmark:
 * files → facts (cached per file, re-read only when a file changes) → linked program →
 * process models → rules → findings.
 *
 * Facts are kept per file, so an edit re-parses one file (incrementally, from its last tree)
 * and re-links; nothing else is read again.
 */
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ResourceLimits, Worker } from 'worker_threads';
import type { Parser, Tree } from 'web-tree-sitter';

import type { Finding } from '../model/findings';
import type { FileFacts } from '../model/facts';
import { compareFindings } from '../model/findings';
import { Program } from '../model/program';
import { buildProcessModel, buildScopeGraph, ScopeGraph } from '../model/processModel';
import { pythonParser } from '../python/parser';
import { scanDone, scanOnOneThread, scanWithWorkers } from './checkV8Flags';
import { FileEntry, needsParser, readFileEntry, readFileText, readText, scanDeferred } from './fileReader';
import { CLAIMED_HERE, UNCLAIMED } from './factJobs';
import type { FactJob, FactResult, FactWorkerData } from './factJobs';
import { analysisContext, AnalysisContext, analysisContextWithoutModels } from '../rules/analysisContext';
import { needsProcessModel } from '../rules/needsProcessModel';
import { FILE_KINDS } from '../model/writers';
import { runRules } from '../rules';
import { discoverFiles, forgetPackageLayout, moduleNameOf } from './discovery';
import * as configs from './configFrontEnd';
import { FactCache, FileSignature, signatureOf, sizeInSignature, textHash } from './factCache';
import { loadStoredRun, saveStoredRun } from './runCache';
import { checkedBefore, markChecked } from './checkedBefore';
import { StringPool } from './stringPool';
import { applyInPlace, compareForInPlace, InPlaceChange } from '../model/movedSpans';

export { MAX_FILE_BYTES } from './fileReader';

const WORKER_SCRIPT = path.join(__dirname, 'factWorker.js');

export interface EngineOptions {
  roots: string[];
  exclude?: string[];
  /** Keep syntax trees of these files for incremental re-parsing (open editor documents). */
  keepTrees?: boolean;
  /** Parse every Python file, even those the prefilter deems irrelevant (for tests). */
  fullParse?: boolean;
  /** Threads reading files in the first scan, this one included (default: the cores, at most 4; 1 = no workers). */
  threads?: number;
  /** Keep facts between runs in this folder (factCache.ts); no cache when undefined. */
  cacheDir?: string;
  /**
   * The first check of a workspace (nothing of it in `cacheDir`) neither reads nor writes the
   * facts cache or the stored run: it leaves a mark that it was checked, and the next check writes
   * them (checkedBefore.ts says why). For `logfunnel check`; an editor's server caches at once.
   */
  cacheFromSecondCheck?: boolean;
  /**
   * One `loadAll`, one `analyze`, then the process ends (`logfunnel check`):
   * - No string pool (stringPool.ts; a long-lived server wants one). The peak RSS of such a run
   *   is the same either way (stdlib uncached 271 vs 276 MB: the pool's own table offsets what
   *   it saves), and pooling the fresh, concatenated strings of a first scan costs 5–8 % of it.
   * - The wasm grammar (~50 ms, and more of a second core compiling it) is loaded only when a
   *   file to read needs the parser: a check after an edit that only the line scan reads never
   *   loads it. `readFromDisk`, `diskChanged` and `update` then need an `init()` first.
   * - The line scan of the files the prefilter leaves to it waits until some file needs the
   *   process model (a file handler; see needsProcessModel): a tree that creates no log file
   *   never scans them (Django: 842 of its 859 files). The facts cache stores them as put off
   *   (FactCache.store), and a later check that needs them reads them then; until 24 Nov a check
   *   with a cache scanned every file, and Django's default first check took 0.43 s, not 0.2.
   * - With a cache, facts are turned into JSON when the cache is saved, not as they are read
   *   (FactCache `jsonAtSave`): a check saves once, at its end.
   * - The process models are built only when a rule can read them.
   */
  oneShot?: boolean;
  /** Heap limits of each worker thread (tests make them tiny to prove a dying worker loses nothing). */
  workerHeapLimits?: ResourceLimits;
}

/** Below this many files to read, starting a worker (it loads its own parser) costs more than it saves. */
const MIN_FILES_FOR_WORKERS = 200;
/**
 * From this many files to read, the workers are started before the first file is read
 * (preStartWorkers): by the time this thread has found enough to parse (PARSE_CHARS_FOR_WORKERS)
 * they are up, where one started then spent its first ~60 ms starting Node and its bundle (its
 * first answer came ~45 ms sooner). The stdlib's check (1,797 files), the same bundle with and
 * without, alternated: 10 to 50 ms less in four series of 11 to 21 runs (medians). Not for fewer:
 * Django's (859 files, too little to parse to give a worker any) took 233 against 209 ms with a
 * worker started and never used (median of 15).
 */
const MIN_FILES_TO_START_WORKERS_FIRST = 1000;
/**
 * What one message to a worker holds: at most this many files, fewer once they add up to
 * PARSE_CHUNK_CHARS, so that no thread is left at the end with a long list while the other idles.
 */
const PARSE_CHUNK = 4;
const PARSE_CHUNK_CHARS = 48 * 1024;
/**
 * Workers are started, and given files, once this much text waits for the parser. A worker's
 * work costs this thread too (its results arrive as JSON to parse, and it starts cold: its line
 * scan and extractor run unoptimised at first), which only enough parsing pays back. Django (859
 * files, then 163K chars to parse) took 1.15 s alone against 1.31 s with a worker (median of 10);
 * it now has 60K in all, under the threshold: it runs on one thread. The stdlib reaches 64K
 * after 177 of its 1,790 files (~0.17 s into reading; 128K only after 436). Its worker is given
 * files from then on, line-scan files too while there is little to parse: given work from 128K
 * on, as before, it idled ~0.1 s after starting (stdlib check 2-5 % slower, alternating medians
 * of 8). Started at the first file to parse instead, it slowed the check (median of 10: 2.49
 * against 2.37 s): it is then sent line-scan files, whose JSON costs this thread more than the
 * scan.
 */
const PARSE_CHARS_FOR_WORKERS = 64 * 1024;
/**
 * No worker is started once less than this share of the files is left to read: it would be
 * ready about when this thread is done. Django, when it had 82K to parse, reached 64K only after
 * 778 of its 859 files; the worker it started then took 0.1-0.3 s of CPU and was never given work.
 */
const MIN_SHARE_LEFT_TO_START_WORKERS = 0.25;
/** Files this thread reads between yields (a server answers requests in between). */
const LOCAL_CHUNK = 8;
// A young generation of 24 MB rather than 6: a worker's garbage is mostly short-lived tree nodes,
// and the smaller space spent a tenth of the worker's time in scavenges (stdlib: ~10 % less CPU,
// +8 MB peak RSS).
const WORKER_HEAP_LIMITS: ResourceLimits = { maxYoungGenerationSizeMb: 24, maxOldGenerationSizeMb: 192 };


export interface AnalysisResult {
  findings: Finding[];
  /** The linked program and process models behind the findings (for explanations). */
  context: AnalysisContext;
  problems: { file: string; line: number; message: string }[];
  stats: { files: number; lines: number; ms: number };
}

/** What a run shows, kept beside the facts cache (runCache.ts) for the next run over an unchanged workspace. */
export type StoredRun = Pick<AnalysisResult, 'findings' | 'problems' | 'stats'>;

/**
 * Where the first scan hands each file's facts: `json` when a worker read it (its facts as the
 * cache keeps them), `hash` the content hash of the text the facts came from.
 */
type Loaded = (file: string, signature: FileSignature, entry: FileEntry | undefined, from?: { json?: string; hash?: string }) => void;

/**
 * One string for everything a run's findings depend on: each file with its signature and module
 * location, and the neighbour files its facts read with theirs. Undefined when a file's
 * signature is not known (it could not be read): no run can be matched then.
 */
function runKey(
  files: string[],
  signatures: Map<string, FileSignature | undefined>,
  readsOf: (file: string) => string[],
): string | undefined {
  const hash = crypto.createHash('sha1');
  for (const file of [...files].sort()) {
    const signature = signatures.get(file);
    if (signature === undefined || signature === 'missing') return undefined;
    const location = file.endsWith('.py') ? moduleNameOf(file) : undefined;
    hash.update(`${file}\0${signature}\0${location ? `${location.module}|${location.importRoot}|${location.isPackageInit}` : ''}\0`);
    for (const neighbour of readsOf(file)) hash.update(`${neighbour}=${signatureOf(neighbour)}\0`);
    hash.update('\n');
  }
  return hash.digest('hex');
}

export class AnalysisEngine {
  private readonly files = new Map<string, FileEntry>();
  /** Files whose facts changed since the last analysis. */
  private readonly changed = new Set<string>();
  private program?: Program;
  private graph?: ScopeGraph;
  /**
   * Some file's facts were changed in place since the last analysis (spans moved, arguments of
   * calls the models ignore): nothing to re-link, the rules to run again.
   */
  private changedInPlace = false;
  private last?: AnalysisResult;
  private parser?: Parser;
  private cache?: FactCache;
  /** `cacheFromSecondCheck` and nothing of this workspace in the cache folder: save only marks it. */
  private firstCheckMemo?: boolean;
  private readonly strings = new StringPool();
  private surveyed?: { all: string[]; signatures: Map<string, FileSignature> };
  private lastLoad = { fromCache: 0, readHere: 0, readInWorkers: 0 };
  /** Whether files read now put off their line scan (see EngineOptions.oneShot). */
  private deferring = false;
  /** Files whose line scan was put off (FileEntry.deferred). */
  private readonly deferred = new Set<string>();
  /** Workers started before the reading (preStartWorkers) and not given work yet. */
  private readonly idleWorkers: Worker[] = [];

  constructor(private readonly options: EngineOptions) {}

  get roots(): string[] {
    return this.options.roots;
  }

  async init(): Promise<void> {
    this.parser ??= await pythonParser();
  }

  /** The parser `init()` loaded: every path that reads text runs after it. */
  private get loadedParser(): Parser {
    if (!this.parser) throw new Error('AnalysisEngine: init() (or loadAll()) must finish before files are read');
    return this.parser;
  }

  /**
   * Reads every file of the workspace: from the facts cache when it has them unchanged, the rest
   * in worker threads when there are many (every core parses), else here, yielding every
   * `yieldEvery` files so a server stays responsive.
   */
  async loadAll(onProgress?: (done: number, total: number) => void, yieldEvery = 50): Promise<void> {
    const cacheDir = this.cacheDirInUse;
    if (cacheDir) this.cache ??= FactCache.open(cacheDir, this.options.roots, this.cacheVariant, !!this.options.oneShot);
    const threads = this.options.threads ?? Math.min(4, os.availableParallelism?.() ?? os.cpus().length);
    const { all, signatures } = this.survey();
    this.surveyed = undefined; // a later loadAll looks at the disk again
    // Before the cache is looked at: a stored file handler turns it off (setEntry), and files
    // stored as put off stay so while it is on.
    this.deferring = !!this.options.oneShot && !this.options.keepTrees && !this.options.fullParse;
    const misses: { file: string; signature: FileSignature }[] = [];
    for (const file of all) {
      const signature = signatures.get(file) ?? 'missing';
      const cached = this.cache?.lookup(file, signature, file.endsWith('.py') ? moduleNameOf(file) : undefined);
      if (cached) this.setEntry(file, cached);
      else misses.push({ file, signature });
    }
    this.cache?.retainOnly(new Set(all));
    if (this.workersMayRead(threads, misses.length) && misses.length >= MIN_FILES_TO_START_WORKERS_FIRST) this.preStartWorkers(threads - 1);
    // A check's process ends after this scan: until workers take the parsing, this thread parses
    // little (see checkV8Flags.ts).
    if (this.options.oneShot) scanOnOneThread();
    try {
      await this.readMisses(all.length, misses, threads, onProgress, yieldEvery);
    } finally {
      // Started first, never needed (too little to parse).
      for (const worker of this.idleWorkers.splice(0)) void worker.terminate();
      if (this.options.oneShot) scanDone();
    }
  }

  /** Whether reading `count` files may take worker threads (readInParallel) besides this one. */
  private workersMayRead(threads: number, count: number): boolean {
    return threads > 1 && count >= MIN_FILES_FOR_WORKERS && fs.existsSync(WORKER_SCRIPT);
  }

  /** loadAll's reading of the files the cache did not have (`total`: all the workspace's). */
  private async readMisses(
    total: number,
    misses: { file: string; signature: FileSignature }[],
    threads: number,
    onProgress: ((done: number, total: number) => void) | undefined,
    yieldEvery: number,
  ): Promise<void> {
    let done = total - misses.length;
    this.lastLoad = { fromCache: total - misses.length, readHere: 0, readInWorkers: 0 };
    const loaded: Loaded = (file, signature, entry, { json, hash } = {}) => {
      if (json === undefined) this.lastLoad.readHere++;
      else this.lastLoad.readInWorkers++;
      this.setEntry(file, entry);
      if (entry) this.cache?.store(file, signature, entry, json, hash);
      done++;
    };
    // The wasm grammar is loaded when something may be parsed: a check that takes everything
    // from the cache, or (oneShot) whose changed files all take the line scan, never loads it.
    if (this.options.keepTrees || (!this.options.oneShot && (misses.length > 0 || !this.cache))) await this.init();
    if (this.workersMayRead(threads, misses.length)) {
      // The grammar compiles in the background while this thread line-scans; awaited before this
      // thread first parses (waiting for it here idled 23 ms of Django's 0.7 s check).
      this.init().catch(() => undefined);
      await this.readInParallel(misses, threads, loaded, () => onProgress?.(done, total));
    } else {
      for (const { file, signature } of misses) {
        const content = readFileText(file, sizeInSignature(signature));
        if ('text' in content) {
          const parse = needsParser(file, content.text, this.options.fullParse);
          if (parse) await this.init();
          this.readHere(file, signature, content.text, parse, loaded);
        } else {
          loaded(file, signature, content.entry);
        }
        if (done % yieldEvery === 0) {
          onProgress?.(done, total);
          await new Promise((r) => setImmediate(r));
        }
      }
    }
    onProgress?.(done, total);
  }

  /** A worker to give files to: one started first (preStartWorkers) while one is alive, else a new one. */
  private startWorker(): Worker {
    if (this.options.oneShot) scanWithWorkers();
    return this.idleWorkers.pop() ?? this.newWorker({});
  }

  /**
   * Starts `count` workers before anything is read, for startWorker to hand out. One that dies
   * meanwhile leaves the list: runWorker would otherwise wait for an 'exit' already sent.
   */
  private preStartWorkers(count: number): void {
    for (let i = 0; i < count; i++) {
      const worker = this.newWorker({ grammarOnFirstJob: true });
      this.idleWorkers.push(worker);
      worker.once('exit', () => {
        const at = this.idleWorkers.indexOf(worker);
        if (at !== -1) this.idleWorkers.splice(at, 1);
      });
    }
  }

  private newWorker(workerData: FactWorkerData): Worker {
    // Small heaps: a worker holds two chunks' facts at a time, and every megabyte of its
    // garbage would count in the process's peak memory.
    const worker = new Worker(WORKER_SCRIPT, { resourceLimits: this.options.workerHeapLimits ?? WORKER_HEAP_LIMITS, workerData });
    // One that dies before it is given work must not take the process with it (an 'error'
    // event without a listener throws); readInParallel adds the listener that matters.
    worker.on('error', () => undefined);
    return worker;
  }

  /**
   * The workspace's files and, with a cache, their signatures: what `loadAll` reads and what
   * `storedRun` compares. Kept until `loadAll` uses it, so a CLI run asks the disk once.
   */
  private survey(): { all: string[]; signatures: Map<string, FileSignature> } {
    if (this.surveyed) return this.surveyed;
    forgetPackageLayout();
    const all: string[] = [];
    for (const root of this.options.roots) {
      all.push(...discoverFiles(root, { exclude: this.options.exclude, isOtherFile: (f) => safeIsConfig(f) }));
    }
    // Without a cache nobody needs the signatures: no stat here (reading a file stats it).
    const signatures = new Map<string, FileSignature>();
    if (this.cacheDirInUse) for (const file of all) signatures.set(file, signatureOf(file));
    this.surveyed = { all, signatures };
    return this.surveyed;
  }

  /**
   * With the facts cache: the findings of the last run over exactly this workspace when nothing
   * they were computed from has changed since (no file added, removed, edited or moved to another
   * module, no neighbour file changed, the same analyser). `loadAll` and `analyze` are then not
   * needed for the findings; any other use of the engine still loads as usual.
   */
  storedRun(): StoredRun | undefined {
    const cacheDir = this.cacheDirInUse;
    if (!cacheDir) return undefined;
    const stored = loadStoredRun<StoredRun>(cacheDir, this.options.roots, this.cacheVariant);
    if (!stored) return undefined;
    const { all, signatures } = this.survey();
    return runKey(all, signatures, (file) => stored.reads[file] ?? []) === stored.key ? stored.run : undefined;
  }

  /** Keeps what `result` shows (findings, problems, counts) for `storedRun` of a later run. */
  rememberRun(result: AnalysisResult): void {
    if (!this.cache || !this.options.cacheDir) return;
    const all = [...this.files.keys()];
    const signatures = new Map(all.map((f) => [f, this.cache!.signatureStored(f)] as const));
    const reads: Record<string, string[]> = {};
    for (const [file, entry] of this.files) if (entry.reads?.length) reads[file] = entry.reads;
    const key = runKey(all, signatures, (file) => reads[file] ?? []);
    if (key === undefined) return;
    const shown = result.findings.map(({ rule, severity, span, message, related }) => ({ rule, severity, span, message, related }));
    saveStoredRun(this.options.cacheDir, this.options.roots, this.cacheVariant, key, reads, { findings: shown, problems: result.problems, stats: result.stats });
  }

  private get cacheVariant(): string {
    return this.options.fullParse ? 'full' : '';
  }

  /** The folder of the facts cache and the stored run when this engine reads and writes them. */
  private get cacheDirInUse(): string | undefined {
    return this.firstCheck ? undefined : this.options.cacheDir;
  }

  /** See `cacheFromSecondCheck`: decided once, before anything is written. */
  private get firstCheck(): boolean {
    const dir = this.options.cacheDir;
    this.firstCheckMemo ??= !!this.options.cacheFromSecondCheck && dir !== undefined && !checkedBefore(dir, this.options.roots, this.cacheVariant);
    return this.firstCheckMemo;
  }

  /** Writes the facts cache (when there is one and it changed); cheap when nothing changed. */
  saveCache(): void {
    this.markIfFirstCheck();
    this.cache?.save();
  }

  /** `saveCache` for a check, whose process waits for it: the disk writes overlap the serializing. */
  async saveCacheInBackground(): Promise<void> {
    this.markIfFirstCheck();
    await this.cache?.saveInBackground();
  }

  /** A first check saves nothing but the mark that it ran (checkedBefore.ts). */
  private markIfFirstCheck(): void {
    if (this.firstCheck) markChecked(this.options.cacheDir!, this.options.roots, this.cacheVariant);
  }

  /** How many files the last `loadAll` took from the facts cache, and how many it read. */
  cacheStats(): { hits: number; misses: number; file?: string } | undefined {
    return this.cache && { hits: this.cache.hits, misses: this.cache.misses, file: this.cache.path };
  }

  /**
   * Reads the files with `threads` readers: this thread and `threads - 1` workers. This thread
   * reads every file and runs the prefilter; the files that need the parser are queued for the
   * workers, the rest are line-scanned here at once. So each thread warms up only the code it
   * runs (a worker, the parser and the extractor; this thread, the line scan), and the
   * workers parse while this thread scans. They are started and given work once
   * PARSE_CHARS_FOR_WORKERS wait for the parser (unless most files are read by then); with
   * less, this thread reads everything itself. Once it has read everything, this thread parses
   * too, from the other end of the queue, then takes what the workers were sent and have not
   * started. A worker that dies (out of its memory limit on a giant file, or a crash) loses
   * nothing: its files go back to the queue.
   */
  private async readInParallel(
    misses: { file: string; signature: FileSignature }[],
    threads: number,
    loaded: Loaded,
    progress: () => void,
  ): Promise<void> {
    /**
     * `parse`: the prefilter's answer (a worker finds it again itself); `slot`: its cell in
     * `claims` once sent to a worker.
     */
    type Job = { file: string; signature: FileSignature; text: string; parse: boolean; slot?: number };
    const toParse: Job[] = [];
    // One cell per file a worker is sent: this thread takes the ones a worker has not started
    // when it runs out of work itself (the stdlib's check: it idled ~0.15 s at the end while a
    // worker read the second chunk it had been sent). A file is sent again only when its worker
    // died, so there are at most as many sends as files times workers.
    const claims = new Int32Array(new SharedArrayBuffer(4 * Math.max(1, misses.length * (threads - 1))));
    let nextSlot = 0;
    /** Chunks each worker has been sent and not answered, for this thread to take from. */
    const sentChunks: Job[][][] = [];
    let scanning = true;
    /** Chunks in flight to all workers together. */
    let chunksOut = 0;
    const workerCount = threads - 1;
    /** Workers with nothing in flight while this thread may still queue files: call to resume. */
    const waiting: (() => void)[] = [];
    const wake = () => {
      for (const resume of waiting.splice(0)) resume();
    };
    const runWorker = () => new Promise<void>((resolve) => {
      const worker = this.startWorker();
      const inFlight: Job[][] = [];
      sentChunks.push(inFlight);
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        // Not answered: read here, unless this thread has taken them already.
        for (const chunk of inFlight) toParse.unshift(...chunk.filter((job) => claims[job.slot!] !== CLAIMED_HERE));
        chunksOut -= inFlight.length;
        inFlight.length = 0; // back in the queue: not for `unstarted` to take as well
        void worker.terminate();
        resolve();
      };
      const send = () => {
        if (finished) return;
        // Once this thread parses too, one file at a time: the queue is sorted largest first.
        const most = Math.min(scanning ? PARSE_CHUNK : 1, toParse.length);
        let chars = 0;
        let take = 0;
        while (take < most && chars < PARSE_CHUNK_CHARS) chars += toParse[take++].text.length;
        const chunk = toParse.splice(0, take);
        if (chunk.length === 0) return;
        inFlight.push(chunk);
        chunksOut++;
        const rootOf: Record<string, string> = {};
        for (const job of chunk) {
          rootOf[job.file] = this.rootOf(job.file);
          // A file a dead worker's chunk gave back is sent again: a fresh cell.
          job.slot = nextSlot++;
        }
        const slots = chunk.map((job) => job.slot!);
        worker.postMessage({ files: chunk.map((c) => c.file), rootOf, fullParse: this.options.fullParse, hashes: !!this.cache, claims: claims.buffer as SharedArrayBuffer, slots } satisfies FactJob);
      };
      const fill = () => {
        // Two chunks ahead: this thread answers only between its own files, and a worker
        // waiting for that answer would idle (stdlib: a fifth of its time with one).
        while (inFlight.length < 2 && toParse.length > 0) send();
        if (inFlight.length > 0) return;
        if (scanning) waiting.push(fill);
        else finish();
      };
      worker.on('message', (entries: FactResult[]) => {
        const chunk = inFlight.shift()!;
        chunksOut--;
        chunk.forEach(({ file, signature }, i) => {
          const result = entries[i];
          if (result === 'taken') return; // read here
          loaded(file, signature, result === null ? undefined : (JSON.parse(result.json) as FileEntry), result ?? undefined);
        });
        progress();
        fill();
      });
      worker.once('error', finish);
      worker.once('exit', finish);
      fill();
    });
    /** Started once there is enough to parse (PARSE_CHARS_FOR_WORKERS). */
    let workers: Promise<void>[] | undefined;
    let charsToParse = 0;
    /**
     * The last job sent to a worker that nobody has started, now claimed by this thread. Not from
     * a worker's oldest unanswered chunk, the one it is reading: from those queued behind it.
     */
    const unstarted = (): Job | undefined => {
      for (const inFlight of sentChunks) {
        for (let c = inFlight.length - 1; c >= 1; c--) {
          const chunk = inFlight[c];
          for (let j = chunk.length - 1; j >= 0; j--) {
            if (Atomics.compareExchange(claims, chunk[j].slot!, UNCLAIMED, CLAIMED_HERE) === UNCLAIMED) return chunk[j];
          }
        }
      }
      return undefined;
    };
    // The prefilter's answer goes along, so readText does not run it again.
    const read = ({ file, signature, text, parse }: Job) => this.readHere(file, signature, text, parse, loaded);
    for (let i = 0; i < misses.length; i++) {
      const { file, signature } = misses[i];
      const content = readFileText(file, sizeInSignature(signature));
      if (!('text' in content)) loaded(file, signature, content.entry);
      else if (needsParser(file, content.text, this.options.fullParse)) {
        toParse.push({ file, signature, text: content.text, parse: true });
        charsToParse += content.text.length;
        // Parsed later (the largest last), its facts would stop the putting off of scans only at
        // the end: its text says it sooner (the stdlib's logging/__init__.py is read at file
        // ~1000 of 1,797 and parsed at ~1,760).
        if (this.deferring && FILE_HANDLER_TEXT.test(content.text)) this.deferring = false;
        if (!workers && charsToParse >= PARSE_CHARS_FOR_WORKERS && misses.length - i >= MIN_SHARE_LEFT_TO_START_WORKERS * misses.length) {
          workers = Array.from({ length: workerCount }, runWorker);
        }
        wake();
      } else if (workers && !this.deferring && toParse.length < 2 * PARSE_CHUNK * workerCount && chunksOut < 2 * workerCount) {
        // The workers are short of files to parse, and this thread has more than it can do:
        // they line-scan this one instead of idling (between the stdlib's clusters of files to
        // parse, a worker would wait for this thread). Up to two chunks per worker are queued;
        // they are sent when this thread next yields.
        toParse.push({ file, signature, text: content.text, parse: false });
        wake();
      } else {
        read({ file, signature, text: content.text, parse: false });
      }
      // Yield now and then: worker results (and a server's requests) are handled in between.
      if (i % LOCAL_CHUNK === LOCAL_CHUNK - 1) {
        progress();
        await new Promise((r) => setImmediate(r));
        // Scans put off before a file handler showed up, as many as files are read meanwhile.
        if (!this.deferring) this.scanDeferredFiles(LOCAL_CHUNK);
      }
    }
    await this.scanDeferredWhile(() => !this.deferring);
    scanning = false;
    // Largest first for the workers, smallest first here: this thread answers the workers only
    // between its own files, so it keeps to short ones, and the last files anyone takes are small,
    // so the threads finish together.
    toParse.sort((a, b) => b.text.length - a.text.length);
    wake();
    // The queue from the small end, then (nothing left to send) what the workers were sent and
    // have not started, latest first.
    for (let job = toParse.pop() ?? unstarted(); job; job = toParse.pop() ?? unstarted()) {
      if (job.parse) await this.init();
      read(job);
      progress();
      await new Promise((r) => setImmediate(r));
    }
    if (workers) {
      // This thread would idle until the workers finish: it runs scans put off meanwhile, as a
      // file handler may still turn up in what they parse (stdlib: ~0.3 s of scans were left for
      // the analysis when the worker parsed the first handler late).
      let parsing = true;
      const done = Promise.all(workers).then(() => {
        parsing = false;
      });
      await this.scanDeferredWhile(() => parsing);
      await done;
    }
    // Files of a worker that died after this thread ran out of work.
    if (toParse.some((job) => job.parse)) await this.init();
    for (const job of toParse.splice(0)) read(job);
  }

  /**
   * Facts of a text this thread read, `parse` the prefilter's answer (needsParser); with a cache,
   * the text's hash goes along (see FactCache.store).
   */
  private readHere(file: string, signature: FileSignature, text: string, parse: boolean, loaded: Loaded): void {
    // The line scan and the config readers never touch the parser, which may not be loaded then.
    const parser = parse ? this.loadedParser : (this.parser as Parser);
    const entry = readText(file, text, parser, { workspaceRoot: this.rootOf(file), fullParse: this.options.fullParse, parse, deferLineScan: this.deferring });
    loaded(file, signature, entry, { hash: this.cache ? textHash(text) : undefined });
  }

  private setEntry(file: string, entry: FileEntry | undefined): void {
    if (entry && !this.options.oneShot) this.strings.internAll(entry.facts, file);
    if (entry) this.files.set(file, entry);
    else this.files.delete(file);
    this.changed.add(file);
    if (entry?.deferred) this.deferred.add(file);
    else this.deferred.delete(file);
    // A file handler: this run will need the process model, and every file's scan. Files read
    // from now on are scanned at once; those put off, a few at a time between reads
    // (readInParallel), or all when the analysis starts.
    if (this.deferring && entry && namesFileHandler(entry.facts)) this.deferring = false;
  }

  /**
   * Runs up to `max` of the line scans put off so far. In one go, the stdlib's ~900 took ~0.4 s
   * in which this thread answered no worker, and the worker idled for lack of files.
   */
  private scanDeferredFiles(max = Infinity): void {
    let n = 0;
    for (const file of this.deferred) {
      if (n++ >= max) break;
      this.scanDeferredFile(file);
    }
  }

  private scanDeferredFile(file: string): void {
    const entry = this.files.get(file);
    this.deferred.delete(file);
    if (!entry?.deferred) return;
    if (entry.text === undefined) {
      this.readDeferredFromDisk(file);
      return;
    }
    const scanned = scanDeferred(file, entry);
    this.files.set(file, scanned);
    this.cache?.replaceFacts(file, scanned);
  }

  /**
   * A file an earlier check put off and stored so (FactCache.store): its text is read now. It
   * needed no parse then; if it was changed since and needs one, and no parser is loaded (a
   * check that parsed nothing), its line scan stands for this run and is not stored.
   */
  private readDeferredFromDisk(file: string): void {
    const signature = this.cache ? signatureOf(file) : 'missing';
    const content = readFileText(file);
    if (!('text' in content)) {
      this.setEntry(file, content.entry);
      return;
    }
    const parse = needsParser(file, content.text, this.options.fullParse);
    const entry = readText(file, content.text, this.parser as Parser, { workspaceRoot: this.rootOf(file), fullParse: this.options.fullParse, parse: parse && this.parser !== undefined });
    this.setEntry(file, entry);
    if (!parse || this.parser) this.cache?.store(file, signature, entry, undefined, textHash(content.text));
  }

  /** Runs the scans put off, a few between yields (worker results are taken in between), while `go()`. */
  private async scanDeferredWhile(go: () => boolean): Promise<void> {
    while (go() && this.deferred.size > 0) {
      this.scanDeferredFiles(LOCAL_CHUNK);
      await new Promise((r) => setImmediate(r));
    }
  }

  /** The file changed on disk or was created (and no editor holds its text). */
  readFromDisk(file: string): void {
    const signature = this.cache ? signatureOf(file) : 'missing';
    const { entry, text } = readFileEntry(file, this.loadedParser, { workspaceRoot: this.rootOf(file), fullParse: this.options.fullParse });
    this.setEntry(file, entry);
    if (entry) this.cache?.store(file, signature, entry, undefined, text === undefined ? undefined : textHash(text));
  }

  remove(file: string): void {
    this.files.get(file)?.tree?.delete();
    this.setEntry(file, undefined);
  }

  /**
   * A watched-file event for any file: re-reads it when it is analysed (unless an editor holds
   * its text, which wins over the disk), and every file whose facts were computed from it.
   */
  diskChanged(file: string, deleted: boolean, openInEditor = false): void {
    if (!openInEditor) {
      if (deleted) this.remove(file);
      else if (this.isAnalysable(file)) this.readFromDisk(file);
    }
    for (const [dependent, entry] of this.files) {
      if (dependent === file || !entry.reads?.includes(file)) continue;
      // An open document is re-read from its editor text, the rest from disk.
      if (entry.text !== undefined) this.setEntry(dependent, this.readEditorText(dependent, entry.text));
      else this.readFromDisk(dependent);
    }
  }

  /** New text for a file (an editor change). Re-parses incrementally when the old tree is kept. */
  update(file: string, text: string): void {
    const previous = this.files.get(file);
    if (previous?.text === text) return;
    const entry = this.readEditorText(file, text, previous?.tree && previous.text !== undefined ? { tree: previous.tree, text: previous.text } : undefined);
    const change = previous ? compareForInPlace(previous.facts, entry.facts) : undefined;
    if (change && this.modelsIgnore(file, change)) {
      // Same facts, maybe elsewhere, maybe other arguments: the old objects (now saying what the
      // new ones do) stay linked.
      const moved = applyInPlace(change);
      entry.facts = previous!.facts;
      this.files.set(file, entry);
      if (moved > 0 || change.callValuesChanged.length > 0) this.changedInPlace = true;
      return;
    }
    this.files.set(file, entry);
    this.changed.add(file);
  }

  /**
   * Whether the process models stand after `change` to `file`'s facts: positions alone, or also
   * the arguments of calls that do not build a workspace class (the scope graph turns those into
   * handler sites and process starts, with their path argument and loop). A bumped integer in a
   * large test module's `range(10)` re-linked and rebuilt both models: ~13 ms of a 25 ms edit.
   */
  private modelsIgnore(file: string, change: InPlaceChange): boolean {
    if (change.callValuesChanged.length === 0) return true;
    const program = this.program;
    if (!program || program.moduleOfFile(file)?.facts !== this.files.get(file)?.facts) return false;
    return change.callValuesChanged.every(([call]) => program.resolveSymbol(call.callee.name, file).kind !== 'class');
  }

  /** An editor's text into facts, re-parsing from the previous tree when there is one. */
  private readEditorText(file: string, text: string, previous?: { tree: Tree; text: string }): FileEntry {
    return readText(file, text, this.loadedParser, { workspaceRoot: this.rootOf(file), fullParse: this.options.fullParse, keepTree: this.options.keepTrees, previous });
  }

  private rootOf(file: string): string {
    return this.options.roots.find((r) => file.startsWith(path.resolve(r) + path.sep)) ?? path.dirname(file);
  }

  isAnalysable(file: string): boolean {
    return file.endsWith('.py') || safeIsConfig(file);
  }

  /** The facts the engine holds for `file`. */
  factsOf(file: string): FileFacts | undefined {
    if (this.deferred.has(file)) this.scanDeferredFile(file);
    return this.files.get(file)?.facts;
  }

  /** Files whose line scan is put off for now (a check that may never need it; see `deferring`). */
  scansPutOff(): string[] {
    return [...this.deferred];
  }

  /** Where the last `loadAll` got its files: the facts cache, this thread, worker threads. */
  loadStats(): { fromCache: number; readHere: number; readInWorkers: number } {
    return { ...this.lastLoad };
  }

  /** Whether the wasm grammar is loaded (a oneShot engine loads it only when a read needs it). */
  get parserLoaded(): boolean {
    return this.parser !== undefined;
  }

  hasFile(file: string): boolean {
    return this.files.has(file);
  }

  /** Links every file's facts and runs the rules. */
  analyze(): AnalysisResult {
    const t0 = performance.now();
    if (this.last && this.changed.size === 0 && !this.changedInPlace) {
      // Nothing any rule could see changed since the last analysis.
      return { ...this.last, stats: { ...this.last.stats, lines: this.countLines(), ms: performance.now() - t0 } };
    }
    let context: AnalysisContext;
    if (this.last && this.changed.size === 0) {
      // Only positions or call arguments changed: update() moved the facts' own span objects,
      // which the program, the scope graph and the process models hold, and kept the order of
      // everything within each file, which is all the models compare (a start's cutoff line
      // against the lines of calls in the same scope); it wrote new arguments into the old call
      // objects, which only the rules read (modelsIgnore). The models stand; the rules run again
      // for findings at the new positions, with the new arguments (a large test module: 13 ms
      // less per edit).
      context = analysisContext(this.last.context.program, this.last.context.models);
    } else {
      context = this.options.oneShot ? this.oneShotContext() : this.modelledContext();
    }
    this.changedInPlace = false;
    const findings = runRules(context).sort(compareFindings);
    const problems: AnalysisResult['problems'] = [];
    for (const e of this.files.values()) {
      for (const p of e.facts.problems) problems.push({ file: e.facts.file, line: p.span.start.line, message: p.message });
    }
    this.last = { findings, context, problems, stats: { files: this.files.size, lines: this.countLines(), ms: performance.now() - t0 } };
    return this.last;
  }

  /** `linked`: a program just linked from every file's current facts, to use as it is. */
  private modelledContext(linked?: Program): AnalysisContext {
    if (this.deferred.size > 0) {
      this.deferring = false;
      this.scanDeferredFiles();
      linked = undefined;
    }
    const { program, graph } = this.link(linked);
    return analysisContext(program, { fork: buildProcessModel(program, graph, 'fork'), spawn: buildProcessModel(program, graph, 'spawn') });
  }

  /** The program of every file's facts as they stand. */
  private newProgram(): Program {
    return new Program([...this.files.values()].map((e) => ({ facts: e.facts, location: e.location })));
  }

  /**
   * A single run's context: the process models only when a rule can read them. The program is
   * linked first, with empty facts for the files whose scan was put off; if it needs the models,
   * those are scanned and everything is linked again (Django, which needs none: its 842 deferred
   * files are never scanned, and no scope graph is built).
   */
  private oneShotContext(): AnalysisContext {
    const program = this.newProgram();
    if (needsProcessModel(program, (file) => this.deferred.has(file))) return this.modelledContext(program);
    return analysisContextWithoutModels(program, () => this.modelledContext());
  }

  /**
   * Brings the linked program and the scope graph up to date with the files changed since the
   * last run: only their edges are recomputed, unless a change is visible to other files.
   */
  private link(linked?: Program): { program: Program; graph: ScopeGraph } {
    if (!this.program || !this.graph) {
      this.program = linked ?? this.newProgram();
      this.graph = buildScopeGraph(this.program);
      this.changed.clear();
      return { program: this.program, graph: this.graph };
    }
    if (this.changed.size === 0) return { program: this.program, graph: this.graph };
    let everything = false;
    for (const file of this.changed) {
      const entry = this.files.get(file);
      if (entry) everything = this.program.upsert(entry.facts, entry.location) || everything;
      else everything = this.program.remove(file) || everything;
    }
    this.graph.update(this.program, everything ? undefined : this.changed);
    this.changed.clear();
    return { program: this.program, graph: this.graph };
  }

  private countLines(): number {
    let n = 0;
    for (const e of this.files.values()) n += e.lines ?? 0;
    return n;
  }

  fileList(): string[] {
    return [...this.files.keys()];
  }
}

/** A file handler class or basicConfig's file, as a file to parse may name it. */
const FILE_HANDLER_TEXT = /FileHandler\b|basicConfig\s*\([^)]*\bfilename\b/;

/**
 * A file that will make the run need the process model (needsProcessModel decides for sure, once
 * everything is read): a file handler site, or a subclass or an import of a file handler class
 * (the stdlib's logging/handlers.py has only those).
 */
function namesFileHandler(facts: FileFacts): boolean {
  return facts.handlers.some((h) => FILE_KINDS.has(h.kind)) ||
    facts.classes.some((c) => c.bases.some((b) => b.name.endsWith('FileHandler'))) ||
    facts.imports.some((i) => i.name?.endsWith('FileHandler'));
}

function safeIsConfig(file: string): boolean {
  try {
    return configs.isConfigFile(file);
  } catch {
    return false;
  }
}
