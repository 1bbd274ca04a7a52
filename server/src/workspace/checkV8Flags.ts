/**
 * V8 flags a one-shot check (`logfunnel check`) sets for the phases of its first scan. A check
 * is a short process: V8's defaults are made for programs that run long, and on a 2-core
 * machine its background compilers compete with the threads that read the files.
 *
 * Flags are process-wide (worker threads see them too) and read when code is compiled or tiers
 * up, so they can change between phases. Only flags read at those moments are set here: changing
 * others in a running process can crash V8 (`--single-threaded-gc` did).
 *
 * At the end of the scan every flag goes back to its value at start: the V8 code cache
 * bin/loadCli.js writes at exit carries the flags of that moment, and the next run, started
 * with V8's defaults, rejects a cache made under other ones (the e2e code-cache test).
 */
import * as v8 from 'v8';

/**
 * V8's own `--interrupt-budget` (how much a function runs before V8 considers optimising it),
 * by the V8 version of the Node releases this was measured on. The budget is raised only where
 * this is known, so that it can be put back exactly.
 */
const DEFAULT_INTERRUPT_BUDGET: Record<string, number> = { '11.3': 67584 };
/** How far the budget is raised while worker threads scan (see scanWithWorkers). */
const WORKER_SCAN_INTERRUPT_BUDGET = 600_000;

function defaultInterruptBudget(): number | undefined {
  // Set by the user (node --interrupt-budget=..., NODE_OPTIONS): theirs to keep.
  if ([...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((a) => a.includes('interrupt-budget'))) return undefined;
  const [major, minor] = process.versions.v8.split('.');
  return DEFAULT_INTERRUPT_BUDGET[`${major}.${minor}`];
}

/**
 * This thread reads, parses and extracts alone, until (if ever) workers are started: wasm on
 * Liftoff only (`--liftoff-only`: Liftoff code throughout, compiled up front; V8's default
 * compiles each function with Liftoff on its first call and again with TurboFan once it is hot).
 *
 * A check of Django (4 files parsed, 62K characters) took 237 against 279 ms (alternated, median
 * of 11). Neither half alone gave that (`--no-wasm-tier-up` 278, `--no-wasm-lazy-compilation`
 * 282, against 272), and set only while the grammar loaded it saved nothing: it must stay set
 * while files are parsed and walked. Parsing megabytes is faster tiered: the stdlib's check with
 * its workers on Liftoff only took 100-150 ms longer, hence scanWithWorkers.
 */
export function scanOnOneThread(): void {
  v8.setFlagsFromString('--liftoff-only');
}

/**
 * Worker threads parse the bulk of a large tree:
 * - wasm tiered again (see scanOnOneThread). `--liftoff-only` turned `--wasm-tier-up` and
 *   `--wasm-dynamic-tiering` off as it was set, and clearing it does not turn them back on.
 * - JavaScript optimised later: with the interrupt budget ~9 times V8's, only code that runs
 *   long is compiled by TurboFan. Its compiles run on background threads, which on 2 cores take
 *   time from this thread and the worker (a check of the stdlib spends ~0.6 s of CPU in them:
 *   `--no-concurrent-recompilation` made one thread's check 0.6 s longer). The stdlib's check
 *   took ~1.60 against ~1.78 s (alternated, median of 5; 300K gave 1.61, 1.2M 1.59, 2.4M 1.59).
 *   Not raised on one thread: Django's check took ~5 ms longer with it.
 */
export function scanWithWorkers(): void {
  setWasmTieredAndBudget(WORKER_SCAN_INTERRUPT_BUDGET);
}

/** Every flag back to its value at start (see the module comment). */
export function scanDone(): void {
  setWasmTieredAndBudget(defaultInterruptBudget());
}

/**
 * wasm tiered (all three flags `--liftoff-only` touched), and the interrupt budget `budget`, but
 * only where V8's own is known: otherwise it is never changed.
 */
function setWasmTieredAndBudget(budget: number | undefined): void {
  const known = defaultInterruptBudget() !== undefined;
  v8.setFlagsFromString('--no-liftoff-only --wasm-tier-up --wasm-dynamic-tiering' + (known && budget !== undefined ? ` --interrupt-budget=${budget}` : ''));
}
