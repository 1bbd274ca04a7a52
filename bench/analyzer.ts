/**
 * `npm run bench:analyzer` — how fast and how lean the analysis engine is on two real trees,
 * next to ast-grep scanning one pattern over the same files in the same run.
 *
 *   node out/bench/analyzer.js [--json] [--tree django|stdlib|PATH]... [--runs 3] [--edits 100]
 *                              [--cold-budget 90] [--incr-budget 60] [--incr-file F] [--breakdown] [--seed 1]
 *
 * Per tree:
 *   cold     a fresh `node` process per run (no JIT or cache carried over) doing loadAll()+analyze();
 *            wall time of the whole process as the parent sees it (what a CLI user waits for),
 *            median of --runs (fewer when the runs would pass --cold-budget); peak RSS from
 *            process.resourceUsage() in that child. A first check of the tree, as `logfunnel check`
 *            runs by default: it writes no facts cache, only a mark (checkedBefore.ts).
 *   2nd      the next check in the same cache folder: the one that writes the facts cache.
 *   peer     `ast-grep run --pattern 'RotatingFileHandler($$$)' --lang python .` in the tree's
 *            folder, with exclusion globs for what the engine's discovery skipped (so both read
 *            the same .py files), interleaved with the cold runs so machine load hits both alike;
 *            median of --runs.
 *   incr     one process, loadAll() with keepTrees, then --edits one-line edits to the largest
 *            .py file, timing engine.update() + engine.analyze() per edit; p50/p95. Stops early
 *            (and says so) when the edits pass --incr-budget. The largest .py is often one the
 *            prefilter line-scans (cheap to edit), so a second series edits the largest file the
 *            engine parses (its tree and per-statement records kept, as for an open file).
 *   breakdown (--breakdown) one more process with the engine's phases wrapped in timers.
 *
 * A benchmark, not a test: goals are printed with "met"/"MISSED", never asserted; exit code 0
 * unless the benchmark itself could not run.
 *
 * The same file is also the child program (`--child incr|breakdown ROOT ...`), and coldCheck.ts
 * that of the cold series, so every measurement runs the code that was built, in a process of
 * its own.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
// Types only: the engine's modules are required where used, so that a child loads only the
// modules it runs.
import type { AnalysisEngine as Engine } from '../server/src/workspace/engine';
import { mulberry32 } from './prng';
import { isLineScanned } from '../server/src/model/facts';
import { DJANGO_TREE, stdlibTree } from './trees';
import { BUNDLE, type ColdReport } from './coldCheck';

/* eslint-disable @typescript-eslint/no-require-imports */
const engineModule = () => require('../server/src/workspace/engine') as typeof import('../server/src/workspace/engine');
const discoverFiles: typeof import('../server/src/workspace/discovery').discoverFiles = (...args) => require('../server/src/workspace/discovery').discoverFiles(...args);
const pythonParser: typeof import('../server/src/python/parser').pythonParser = () => require('../server/src/python/parser').pythonParser();

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const AST_GREP = path.join(REPO_ROOT, 'node_modules', '.bin', 'ast-grep');
const PEER_PATTERN = 'RotatingFileHandler($$$)';
const GNU_TIME = '/usr/bin/time';

const GOALS = { ratio: 1.0, incrP95Ms: 30, rssMb: 300 };

// ---------------------------------------------------------------------------------------------
// Small shared helpers

function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** Nearest-rank percentile: p95 of 100 samples is the 95th smallest. */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * s.length));
  return s[rank - 1];
}

const round = (n: number, digits = 1) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);


function log(message: string): void {
  process.stderr.write(message + '\n');
}

// ---------------------------------------------------------------------------------------------
// Child programs (each runs in a fresh process)

interface IncrReport {
  file: string;
  fileLines: number;
  loadMs: number;
  edits: number;
  plannedEdits: number;
  invalidEdits: number;
  totalMs: number[];
  updateMs: number[];
  parseMs: number[];
  analyzeMs: number[];
  rssMb: number;
}

/**
 * One-line edits that keep the file valid Python, in cycles of four:
 * insert a comment line, remove it, bump an integer literal, restore it.
 * Every second edit returns to the original text, so edits never pile up. The texts are built
 * one at a time (`textOf(k)`): a hundred copies of a large file would inflate the RSS measured.
 */
function planEdits(original: string, count: number, random: () => number): { count: number; textOf: (k: number) => string } {
  const lines = original.split('\n');
  // A line can take a comment line above it unless the line before continues with a backslash.
  const commentable = lines.map((_, i) => i).filter((i) => i === 0 || !/\\\s*$/.test(lines[i - 1]));
  const integer = /(?<![\w.])\d+(?![\w.])/;
  const literalLines = lines.map((l, i) => (integer.test(l) ? i : -1)).filter((i) => i >= 0);
  const pick = (xs: number[]) => xs[Math.floor(random() * xs.length)];
  const withLine = (i: number, replacement: string[]) =>
    [...lines.slice(0, i), ...replacement, ...lines.slice(i + 1)].join('\n');
  // Decide every edit up front (so the random sequence does not depend on timing), build lazily.
  const plan: (() => string)[] = [];
  for (let k = 0; k < count; k++) {
    if (k % 4 === 2 && literalLines.length > 0) {
      const i = pick(literalLines);
      plan.push(() => withLine(i, [lines[i].replace(integer, (n) => String(BigInt(n) + 1n))]));
    } else if (k % 2 === 0) {
      const i = pick(commentable);
      const indent = /^[ \t]*/.exec(lines[i])![0];
      plan.push(() => withLine(i, [`${indent}# bench edit ${k}`, lines[i]]));
    } else {
      plan.push(() => original);
    }
  }
  return { count, textOf: (k) => plan[k]() };
}

/**
 * `pick`: the largest .py file (`largest`), or the largest the engine parsed rather than
 * line-scanned (`parsed`); `incrFile` overrides both.
 */
async function childIncr(root: string, plannedEdits: number, budgetMs: number, seed: number, incrFile?: string, pick: 'largest' | 'parsed' = 'largest'): Promise<IncrReport | null> {
  const t0 = performance.now();
  const engine = new (engineModule().AnalysisEngine)({ roots: [root], keepTrees: true });
  await engine.loadAll();
  engine.analyze();
  const loadMs = performance.now() - t0;

  const parsed = (f: string) => {
    const facts = engine.factsOf(f);
    return facts !== undefined && !isLineScanned(facts);
  };
  const candidates = (incrFile ? [path.resolve(incrFile)] : engine.fileList())
    .filter((f) => f.endsWith('.py') && (incrFile !== undefined || pick === 'largest' || parsed(f)))
    .map((f) => ({ f, size: fs.statSync(f).size }))
    .filter((c) => c.size <= engineModule().MAX_FILE_BYTES)
    .sort((a, b) => b.size - a.size);
  if (candidates.length === 0 && pick === 'parsed' && incrFile === undefined) return null; // nothing parsed: no series
  if (candidates.length === 0) throw new Error(`no .py file to edit under ${root}`);
  const file = candidates[0].f;
  const original = fs.readFileSync(file, 'utf8');
  const edits = planEdits(original, plannedEdits, mulberry32(seed));
  // The editor opens the file before editing it: didOpen hands the server its text, which the
  // engine reads again with its tree and per-statement records kept (a file read in a worker
  // has neither), as the language server does. Not timed: opening is not an edit.
  engine.update(file, original);
  engine.analyze();

  // Outside the timed loop: count edits that would add syntax errors (should be none).
  const parser = await pythonParser();
  const errorsIn = (text: string) => {
    const tree = parser.parse(text);
    const bad = tree ? tree.rootNode.hasError : true;
    tree?.delete();
    return bad;
  };
  let invalidEdits = 0;
  if (!errorsIn(original)) {
    for (let k = 0; k < edits.count; k += 2) if (errorsIn(edits.textOf(k))) invalidEdits++;
  }

  // The parser's share of update() (the rest is fact extraction and bookkeeping).
  let parseMsThisEdit = 0;
  const ParserClass = require('web-tree-sitter').Parser;
  const realParse = ParserClass.prototype.parse;
  ParserClass.prototype.parse = function (...args: unknown[]) {
    const s = performance.now();
    try {
      return realParse.apply(this, args);
    } finally {
      parseMsThisEdit += performance.now() - s;
    }
  };

  const totalMs: number[] = [];
  const updateMs: number[] = [];
  const parseMs: number[] = [];
  const analyzeMs: number[] = [];
  const loopStart = performance.now();
  for (let k = 0; k < edits.count; k++) {
    const text = edits.textOf(k);
    parseMsThisEdit = 0;
    const a = performance.now();
    engine.update(file, text);
    const b = performance.now();
    parseMs.push(parseMsThisEdit);
    engine.analyze();
    const c = performance.now();
    updateMs.push(b - a);
    analyzeMs.push(c - b);
    totalMs.push(c - a);
    if (c - loopStart > budgetMs) break;
  }
  return {
    file,
    fileLines: original.split('\n').length,
    loadMs,
    edits: totalMs.length,
    plannedEdits,
    invalidEdits,
    totalMs,
    updateMs,
    parseMs,
    analyzeMs,
    rssMb: process.resourceUsage().maxRSS / 1024,
  };
}

/**
 * Where cold time goes: the engine's building blocks wrapped in timers (nothing in the engine is
 * changed: the exports of its modules, `fs` and the tree-sitter Parser are wrapped before the
 * engine calls them). Every row is self time (time in nested wrapped calls is taken out), so
 * the rows add up to the total.
 */
async function childBreakdown(root: string): Promise<Record<string, number | string>> {
  const selfMs = new Map<string, number>();
  const calls = new Map<string, number>();
  const stack: { nestedMs: number }[] = [];
  const timed = <R>(bucket: string, run: () => R): R => {
    const frame = { nestedMs: 0 };
    stack.push(frame);
    const s = performance.now();
    try {
      return run();
    } finally {
      const elapsed = performance.now() - s;
      stack.pop();
      if (stack.length) stack[stack.length - 1].nestedMs += elapsed;
      selfMs.set(bucket, (selfMs.get(bucket) ?? 0) + elapsed - frame.nestedMs);
      calls.set(bucket, (calls.get(bucket) ?? 0) + 1);
    }
  };
  const wrapped = new Set<string>();
  const wrap = (holder: Record<string, unknown>, name: string, bucket: string) => {
    const original = holder[name];
    if (typeof original !== 'function') return;
    const proxy = new Proxy(original, {
      apply: (target, thisArg, args) => timed(bucket, () => Reflect.apply(target, thisArg, args)),
      construct: (target, args, newTarget) => timed(bucket, () => Reflect.construct(target, args, newTarget)),
    });
    try {
      holder[name] = proxy;
      if (holder[name] === proxy) wrapped.add(bucket);
    } catch {
      /* read-only export: that phase is simply not broken out */
    }
  };
  const load = (modulePath: string): Record<string, unknown> => {
    try {
      return require(modulePath);
    } catch {
      return {};
    }
  };
  const fsModule = require('fs');
  const realRead = fsModule.readFileSync as typeof fs.readFileSync;
  wrap(fsModule, 'readFileSync', 'read (readFileSync)');
  wrap(fsModule, 'statSync', 'stat (statSync)');
  wrap(fsModule, 'readdirSync', 'discovery (walk, .gitignore)');
  wrap(fsModule, 'realpathSync', 'discovery (walk, .gitignore)');
  wrap(require('web-tree-sitter').Parser.prototype, 'parse', 'parse (tree-sitter)');
  wrap(require('web-tree-sitter').Tree.prototype, 'delete', 'tree.delete');
  wrap(load('../server/src/workspace/discovery'), 'discoverFiles', 'discovery (walk, .gitignore)');
  wrap(load('../server/src/workspace/discovery'), 'moduleNameOf', 'module names (moduleNameOf)');
  wrap(load('../server/src/python/extract'), 'extractPythonFacts', 'extraction (facts from tree)');
  wrap(load('../server/src/workspace/configFrontEnd'), 'addPythonConfigFacts', 'config facts in .py (dictConfig, LOGGING)');
  wrap(load('../server/src/workspace/configFrontEnd'), 'readConfigFile', 'config files');
  wrap(load('../server/src/workspace/configFrontEnd'), 'isConfigFile', 'discovery (walk, .gitignore)');
  wrap(load('../server/src/workspace/fileReader'), 'readFileEntry', 'per-file bookkeeping (fileReader)');
  wrap(load('../server/src/workspace/fileReader'), 'readText', 'per-file bookkeeping (fileReader)');
  wrap(load('../server/src/python/prefilter'), 'needsFullParse', 'prefilter test (needsFullParse)');
  wrap(load('../server/src/python/lightFacts'), 'lightScan', 'line scan (no parse)');
  wrap(load('../server/src/model/program'), 'keyScopes', 'keyScopes');
  wrap(load('../server/src/model/program'), 'Program', 'analyze: link program');
  wrap(load('../server/src/model/processModel'), 'buildScopeGraph', 'analyze: scope graph');
  wrap(load('../server/src/model/processModel'), 'buildProcessModel', 'analyze: process models (fork+spawn)');
  wrap(load('../server/src/rules/analysisContext'), 'analysisContext', 'analyze: context');
  wrap(load('../server/src/rules'), 'runRules', 'analyze: rules');

  const t0 = performance.now();
  // One thread, so that every phase runs where the timers are (worker threads would hide them);
  // otherwise as `logfunnel check --no-cache` runs (oneShot: line scans put off, models built
  // only when a rule can read them).
  const engine = new (engineModule().AnalysisEngine)({ roots: [root], threads: 1, oneShot: true } as ConstructorParameters<typeof Engine>[0]);
  await engine.init();
  const tInit = performance.now();
  // loadAll is async (it yields to the event loop), so its own share is the remainder.
  const accounted = () => [...selfMs.values()].reduce((a, b) => a + b, 0);
  await engine.loadAll();
  const tLoad = performance.now();
  selfMs.set('load: other (engine loop, yields, bookkeeping)', tLoad - tInit - accounted());
  const beforeAnalyze = accounted();
  engine.analyze();
  const tEnd = performance.now();
  selfMs.set('analyze: other (sort, problems)', tEnd - tLoad - (accounted() - beforeAnalyze));

  // How much a keyword prefilter would leave to extract fully (the rest would need imports only).
  const keywords = /logging|Handler|multiprocessing|fork|Process|Pool|Executor|basicConfig|dictConfig|fileConfig|LOGGING|celery|gunicorn|uwsgi|billiard|joblib|pickle|exec[lv]|Queue/;
  let pyFiles = 0;
  let pyBytes = 0;
  let hitFiles = 0;
  let hitBytes = 0;
  for (const f of engine.fileList()) {
    if (!f.endsWith('.py')) continue;
    let text: string;
    try {
      text = realRead(f, 'utf8');
    } catch {
      continue;
    }
    pyFiles++;
    pyBytes += text.length;
    if (keywords.test(text)) {
      hitFiles++;
      hitBytes += text.length;
    }
  }

  const out: Record<string, number | string> = { 'wasm + grammar load (init)': tInit - t0 };
  for (const [bucket, ms] of [...selfMs].sort((a, b) => b[1] - a[1])) out[bucket] = ms;
  out['TOTAL'] = tEnd - t0;
  out['_loadMs'] = tLoad - tInit;
  out['_analyzeMs'] = tEnd - tLoad;
  out['_pyFiles'] = pyFiles;
  out['_prefilterFiles'] = hitFiles;
  out['_prefilterBytesPct'] = pyBytes ? (100 * hitBytes) / pyBytes : 0;
  out['_parseCalls'] = calls.get('parse (tree-sitter)') ?? 0;
  out['_statCalls'] = calls.get('stat (statSync)') ?? 0;
  out['_rssMb'] = process.resourceUsage().maxRSS / 1024;
  out['_notWrapped'] = ['extraction (facts from tree)', 'analyze: link program', 'analyze: process models (fork+spawn)', 'analyze: rules']
    .filter((b) => !wrapped.has(b))
    .join(', ');
  return out;
}

async function runChild(argv: string[]): Promise<void> {
  const [mode, root, ...rest] = argv;
  let report: unknown;
  if (mode === 'incr') report = await childIncr(root, Number(rest[0]), Number(rest[1]), Number(rest[2]), rest[3] || undefined, rest[4] === 'parsed' ? 'parsed' : 'largest');
  else if (mode === 'breakdown') report = await childBreakdown(root);
  else throw new Error(`unknown child mode ${mode}`);
  process.stdout.write(JSON.stringify(report) + '\n');
}

// ---------------------------------------------------------------------------------------------
// Parent: spawning and timing

interface Timed<T> {
  wallMs: number;
  report: T;
}

/** A child program: coldCheck.js for the cold modes, this file's `--child` for the others. */
function spawnChild<T>(args: string[], env?: Record<string, string>): Timed<T> {
  const program = args[0].startsWith('cold') ? [path.join(__dirname, 'coldCheck.js')] : [__filename, '--child'];
  const start = performance.now();
  const r = spawnSync(process.execPath, [...program, ...args], {
    env: env ? { ...process.env, ...env } : undefined,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 256 * 1024 * 1024,
  });
  const wallMs = performance.now() - start;
  if (r.status !== 0) {
    throw new Error(`child ${args[0]} failed (status ${r.status}, signal ${r.signal}):\n${(r.stderr ?? '').slice(-4000)}`);
  }
  const lastLine = r.stdout.trim().split('\n').pop()!;
  return { wallMs, report: JSON.parse(lastLine) as T };
}

interface PeerRun {
  wallMs: number;
  cpuMs?: number;
  rssMb?: number;
  matches: number;
}

/**
 * ast-grep over the tree's folder, as a user would run it (its own parallel walk), with globs that
 * leave out exactly what the engine's discovery left out, so both read the same .py files.
 * Under GNU time when it is installed, for its CPU time and peak RSS.
 */
function runPeer(dir: string, excludeGlobs: string[]): PeerRun {
  const astGrepArgs = ['run', '--pattern', PEER_PATTERN, '--lang', 'python', '--json=stream', ...excludeGlobs.flatMap((g) => ['--globs', g]), '.'];
  const useTime = fs.existsSync(GNU_TIME);
  const timeFile = path.join(os.tmpdir(), `bench-analyzer-time-${process.pid}.txt`);
  const [cmd, args] = useTime ? [GNU_TIME, ['-f', '%e %U %S %M', '-o', timeFile, AST_GREP, ...astGrepArgs]] : [AST_GREP, astGrepArgs];
  const start = performance.now();
  const r = spawnSync(cmd, args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - start;
  // ast-grep exits 1 when nothing matched; anything else is a failure.
  if (r.status !== 0 && r.status !== 1) throw new Error(`ast-grep failed (status ${r.status}): ${r.stderr}`);
  const matches = r.stdout.split('\n').filter((l) => l.trim()).length;
  const run: PeerRun = { wallMs, matches };
  if (useTime) {
    try {
      const [, user, sys, maxKb] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
      run.cpuMs = (user + sys) * 1000;
      run.rssMb = maxKb / 1024;
    } catch {
      /* GNU time wrote nothing usable: wall time only */
    }
    fs.rmSync(timeFile, { force: true });
  }
  return run;
}

/**
 * Anchored ast-grep exclusion globs for the .py files under `dir` that the engine did not
 * discover: a whole folder when none of its files were discovered (site-packages, venvs,
 * build output), else the single file (.gitignore'd, too large...).
 */
function peerExclusions(dir: string, discovered: string[]): string[] {
  const rel = (p: string) => path.relative(dir, p).split(path.sep).join('/');
  const discoveredFiles = new Set(discovered.map(rel));
  const keptDirs = new Set<string>(['']);
  for (const f of discoveredFiles) {
    for (let d = path.posix.dirname(f); d !== '.' && !keptDirs.has(d); d = path.posix.dirname(d)) keptDirs.add(d);
  }
  const hasPython = (full: string): boolean => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(full, { withFileTypes: true });
    } catch {
      return false;
    }
    return entries.some((e) => (e.isFile() && e.name.endsWith('.py')) || (e.isDirectory() && hasPython(path.join(full, e.name))));
  };
  // ast-grep also reads these as Python; the engine reads .py only.
  const globs: string[] = ['!*.pyi', '!*.py3', '!*.bzl'];
  const walk = (full: string) => {
    for (const e of fs.readdirSync(full, { withFileTypes: true })) {
      const child = path.join(full, e.name);
      const r = rel(child);
      if (e.isDirectory()) {
        if (keptDirs.has(r)) walk(child);
        else if (hasPython(child)) globs.push(`!/${r}/`);
      } else if (e.isFile() && e.name.endsWith('.py') && !discoveredFiles.has(r)) {
        globs.push(`!/${r}`);
      }
    }
  };
  walk(dir);
  return globs;
}

// ---------------------------------------------------------------------------------------------
// Parent: trees, options, output

interface Options {
  json: boolean;
  trees: string[];
  runs: number;
  edits: number;
  incrBudgetS: number;
  coldBudgetS: number;
  incrFile?: string;
  breakdown: boolean;
  seed: number;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { json: false, trees: [], runs: 3, edits: 100, incrBudgetS: 60, coldBudgetS: 90, breakdown: false, seed: 1 };
  const num = (i: number, name: string) => {
    const v = Number(argv[i]);
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} needs a positive number`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') o.json = true;
    else if (a === '--breakdown') o.breakdown = true;
    else if (a === '--tree') o.trees.push(argv[++i]);
    else if (a === '--runs') o.runs = Math.round(num(++i, a));
    else if (a === '--edits') o.edits = Math.round(num(++i, a));
    else if (a === '--incr-budget') o.incrBudgetS = num(++i, a);
    else if (a === '--cold-budget') o.coldBudgetS = num(++i, a);
    else if (a === '--incr-file') o.incrFile = argv[++i];
    else if (a === '--seed') o.seed = Math.round(num(++i, a));
    else if (a === '--help' || a === '-h') {
      process.stdout.write(
        'usage: node out/bench/analyzer.js [--json] [--tree django|stdlib|PATH]... [--runs 3] [--edits 100]\n' +
          '         [--cold-budget 90] [--incr-budget 60] [--incr-file F] [--breakdown] [--seed 1]\n' +
          '  --cold-budget S   per tree: start another cold run only if it should end within S seconds of cold runs\n' +
          '  --incr-budget S   per tree: stop editing after S seconds even if fewer than --edits were timed\n' +
          '  --incr-file F     edit F instead of the largest .py file of the tree (use with one --tree)\n' +
          '  --breakdown       one more instrumented process per tree: where the cold time goes\n',
      );
      process.exit(0);
    } else throw new Error(`unknown option ${a} (try --help)`);
  }
  if (o.trees.length === 0) o.trees = ['django', 'stdlib'];
  return o;
}

interface TreeSpec {
  name: string;
  dir: string;
}

function resolveTree(name: string): TreeSpec | { name: string; missing: string } {
  if (name === 'django') {
    return fs.existsSync(DJANGO_TREE)
      ? { name, dir: DJANGO_TREE }
      : { name, missing: `${DJANGO_TREE} not found: apt-get install -y python3-django (listed in .ci/apt-bench.txt)` };
  }
  if (name === 'stdlib') {
    const dir = stdlibTree();
    return dir && fs.existsSync(dir) ? { name, dir } : { name, missing: 'python3 not found or reports no stdlib path' };
  }
  const dir = path.resolve(name);
  return fs.existsSync(dir) ? { name: path.basename(dir), dir } : { name, missing: `${dir} does not exist` };
}

/**
 * A copy of what the engine reads in `dir` (its .py and config files, at the same relative
 * paths): enough to change a file without touching the real tree, far less than copying the
 * stdlib folder with its site-packages and caches.
 */
function copyAnalysedFiles(dir: string, to: string): string[] {
  const isConfigFile = (require('../server/src/workspace/configFrontEnd') as typeof import('../server/src/workspace/configFrontEnd')).isConfigFile;
  const files = discoverFiles(dir, { isOtherFile: (f) => isConfigFile(f) });
  return files.map((f) => {
    const target = path.join(to, path.relative(dir, f));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(f, target);
    return target;
  });
}

function largestPythonFile(files: string[]): string {
  let best = '';
  let bestSize = -1;
  for (const f of files) {
    if (!f.endsWith('.py')) continue;
    const size = fs.statSync(f).size;
    if (size > bestSize) [best, bestSize] = [f, size];
  }
  return best;
}

/** The .py files the engine reads, so the peer scans exactly the same files. */
async function enginePythonFiles(dir: string): Promise<string[]> {
  return discoverFiles(dir).filter((f) => f.endsWith('.py'));
}

interface TreeResult {
  tree: string;
  files: number;
  lines: number;
  cold_ms: number | null;
  peer_ms: number | null;
  ratio: number | null;
  incr_p50_ms: number | null;
  incr_p95_ms: number | null;
  rss_mb: number | null;
  // Beyond the agreed shape: context that explains the figures.
  dir: string;
  py_files: number;
  runs: number;
  cold_inproc_ms: number | null;
  cold_cpu_ms: number | null;
  peer_cpu_ms: number | null;
  peer_rss_mb: number | null;
  peer_matches: number;
  peer_excluded: string[];
  findings: number;
  incr_file: string;
  incr_file_lines: number;
  incr_file_chosen: boolean;
  incr_edits: number;
  incr_invalid_edits: number;
  incr_update_p50_ms: number | null;
  incr_parse_p50_ms: number | null;
  incr_analyze_p50_ms: number | null;
  incr_rss_mb: number | null;
  /** The same edits to the largest file the engine parses (none with --incr-file). */
  incr_parsed_file: string | null;
  incr_parsed_file_lines: number | null;
  incr_parsed_edits: number;
  incr_parsed_p50_ms: number | null;
  incr_parsed_p95_ms: number | null;
  incr_parsed_update_p50_ms: number | null;
  incr_parsed_analyze_p50_ms: number | null;
  incr_parsed_rss_mb: number | null;
  /**
   * A first run as `cold`, the CLI bundle compiled from source: where the code cache shipped
   * beside it does not fit (another Node than the build's) and none was made yet.
   */
  cold_no_code_cache_ms: number | null;
  ratio_no_code_cache: number | null;
  /** `--no-cache` on a fresh install: no facts cache read or written (the bundle's code cache is the shipped one). */
  cold_no_cache_ms: number | null;
  ratio_no_cache: number | null;
  no_cache_cpu_ms: number | null;
  no_cache_rss_mb: number | null;
  /** Of a first run: writing its first-check mark (checkedBefore.ts) and nothing else. */
  cold_save_ms: number | null;
  /**
   * The second check of the tree (after the first run, in its folder): it reads no facts (the
   * first wrote none) and writes the facts cache and the stored run, `second_save_ms` of it.
   */
  cold_second_ms: number | null;
  ratio_second: number | null;
  second_save_ms: number | null;
  second_rss_mb: number | null;
  /** A second run over the unchanged tree with the facts cache the first one wrote. */
  cold_cached_ms: number | null;
  ratio_cached: number | null;
  cached_files: number;
  cached_rss_mb: number | null;
  /** Every cached run showed the stored run (nothing read or linked). */
  cached_stored_run: boolean;
  /** Facts cache after one file changed: that file read, the rest from the cache, all linked. */
  cold_touched_ms: number | null;
  ratio_touched: number | null;
  touched_files_cached: number;
  touched_rss_mb: number | null;
}

async function benchTree(tree: TreeSpec, o: Options): Promise<{ result: TreeResult; breakdown?: Record<string, number | string> }> {
  const pyFiles = await enginePythonFiles(tree.dir);
  const excludeGlobs = peerExclusions(tree.dir, pyFiles);
  log(`[${tree.name}] ${tree.dir}: ${pyFiles.length} .py files discovered by the engine; ast-grep gets the exclusion globs ${excludeGlobs.slice(0, 8).join(' ')}${excludeGlobs.length > 8 ? ` … (${excludeGlobs.length})` : ''}`);

  // A first run, as `logfunnel check` runs by default: it reads no cache and writes the bundle's
  // V8 code cache and the mark that the tree was checked (a fresh folder each run), no facts.
  const cold: Timed<ColdReport>[] = [];
  // The second check in that folder: the one that writes the facts cache and the stored run.
  // The last run's folder is the cache of the `cached` series.
  const second: Timed<ColdReport>[] = [];
  // `--no-cache` on a fresh install (a CI job that keeps no cache): nothing read or written.
  const noCache: Timed<ColdReport>[] = [];
  const peer: PeerRun[] = [];
  // The same first run with the bundle compiled from source: the shipped code cache does not fit
  // the Node that runs it (bin/loadCli.js), or the bundle was built without one.
  const coldNoCodeCache: Timed<ColdReport>[] = [];
  const coldBudgetMs = o.coldBudgetS * 1000;
  const spentMs = () => cold.reduce((sum, c) => sum + c.wallMs, 0);
  // A cache folder that does not exist yet, in a fresh temporary folder: where logfunnel never
  // ran, as on a fresh install or in a new CI container (no code cache is written there either).
  const freshCacheDir = () => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lf-bench-cache-')), 'logfunnel');
  const removeCacheDir = (dir: string) => fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  let cacheDir: string | undefined;
  const cached: Timed<ColdReport>[] = [];
  try {
    for (let i = 0; i < o.runs; i++) {
      // A run that cannot fit the budget is skipped: when one cold run takes minutes, the
      // median of three would not change the verdict, only the wait.
      const canRunCold = cold.length === 0 || spentMs() + cold[cold.length - 1].wallMs <= coldBudgetMs;
      if (canRunCold) {
        // Interleaved with the peer, so a burst of machine load hits both sides alike.
        if (cacheDir) removeCacheDir(cacheDir);
        cacheDir = freshCacheDir();
        const c = spawnChild<ColdReport>(['cold', tree.dir, cacheDir], { LOGFUNNEL_CACHE_DIR: cacheDir });
        cold.push(c);
        log(`[${tree.name}] cold run ${i + 1}/${o.runs}: ${c.wallMs.toFixed(0)} ms wall (load ${c.report.loadMs.toFixed(0)} + analyze ${c.report.analyzeMs.toFixed(0)} + save ${(c.report.saveMs ?? 0).toFixed(0)}), cpu ${c.report.cpuMs.toFixed(0)} ms, rss ${c.report.rssMb.toFixed(0)} MB`);
        const s2 = spawnChild<ColdReport>(['cold', tree.dir, cacheDir], { LOGFUNNEL_CACHE_DIR: cacheDir });
        second.push(s2);
        log(`[${tree.name}] second check ${i + 1}/${o.runs}: ${s2.wallMs.toFixed(0)} ms wall (load ${s2.report.loadMs.toFixed(0)} + analyze ${s2.report.analyzeMs.toFixed(0)} + save ${(s2.report.saveMs ?? 0).toFixed(0)}), cpu ${s2.report.cpuMs.toFixed(0)} ms, rss ${s2.report.rssMb.toFixed(0)} MB`);
        // No facts cache; the code cache as users have it after an install (a folder of its own:
        // not the user's, which earlier runs of this checkout filled).
        const noCacheDir = freshCacheDir();
        const n = spawnChild<ColdReport>(['cold', tree.dir], { LOGFUNNEL_CACHE_DIR: noCacheDir });
        removeCacheDir(noCacheDir);
        noCache.push(n);
        log(`[${tree.name}] --no-cache run ${i + 1}/${o.runs}: ${n.wallMs.toFixed(0)} ms wall (load ${n.report.loadMs.toFixed(0)} + analyze ${n.report.analyzeMs.toFixed(0)}), cpu ${n.report.cpuMs.toFixed(0)} ms, rss ${n.report.rssMb.toFixed(0)} MB`);
        const sourceDir = freshCacheDir();
        const s = spawnChild<ColdReport>(['cold-no-code-cache', tree.dir, sourceDir], { LOGFUNNEL_CACHE_DIR: sourceDir });
        removeCacheDir(sourceDir);
        coldNoCodeCache.push(s);
        log(`[${tree.name}] cold run, the bundle compiled from source ${i + 1}/${o.runs}: ${s.wallMs.toFixed(0)} ms wall`);
      } else {
        log(`[${tree.name}] cold run ${i + 1}/${o.runs} skipped: it would pass --cold-budget ${o.coldBudgetS} s`);
      }
      const p = runPeer(tree.dir, excludeGlobs);
      peer.push(p);
      log(`[${tree.name}] ast-grep run ${i + 1}/${o.runs}: ${p.wallMs.toFixed(0)} ms wall${p.cpuMs !== undefined ? `, cpu ${p.cpuMs.toFixed(0)} ms, rss ${p.rssMb!.toFixed(0)} MB` : ''}`);
    }

    // The same check again with the facts cache the last second check left (nothing changed in
    // between): what a third `logfunnel check`, or the editor reopening the folder, waits for.
    for (let i = 0; i < o.runs; i++) {
      const c = spawnChild<ColdReport>(['cold', tree.dir, cacheDir!], { LOGFUNNEL_CACHE_DIR: cacheDir! });
      cached.push(c);
      log(`[${tree.name}] cached run ${i + 1}/${o.runs}: ${c.wallMs.toFixed(0)} ms wall (load ${c.report.loadMs.toFixed(0)} + analyze ${c.report.analyzeMs.toFixed(0)}), ${c.report.cacheHits}/${c.report.files} files from the cache, cpu ${c.report.cpuMs.toFixed(0)} ms, rss ${c.report.rssMb.toFixed(0)} MB`);
    }
  } finally {
    if (cacheDir) removeCacheDir(cacheDir);
  }

  // The same again after a change to one file (a `git pull` that touched it): every other file's
  // facts come from the cache, but the stored run is void, so the whole program is linked and
  // analysed. On a copy of the files the engine reads, edited by appending a comment to the
  // largest .py file.
  const touched: Timed<ColdReport>[] = [];
  const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-bench-tree-'));
  const touchedCache = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-bench-cache-'));
  try {
    const largest = largestPythonFile(copyAnalysedFiles(tree.dir, copy));
    // A first check (the mark), a second (the caches).
    for (let i = 0; i < 2; i++) spawnChild<ColdReport>(['cold', copy, touchedCache], { LOGFUNNEL_CACHE_DIR: touchedCache });
    for (let i = 0; i < o.runs; i++) {
      // No word of the prefilter's in the comment (it had "logfunnel", which sent the file to the
      // parser): the edited file takes the path its own text decides, as after a user's edit.
      fs.appendFileSync(largest, `\n# bench edit ${i + 1}\n`);
      const c = spawnChild<ColdReport>(['cold', copy, touchedCache], { LOGFUNNEL_CACHE_DIR: touchedCache });
      touched.push(c);
      log(`[${tree.name}] cached run after a one-file change ${i + 1}/${o.runs}: ${c.wallMs.toFixed(0)} ms wall (load ${c.report.loadMs.toFixed(0)} + analyze ${c.report.analyzeMs.toFixed(0)}), ${c.report.cacheHits}/${c.report.files} files from the cache, cpu ${c.report.cpuMs.toFixed(0)} ms`);
    }
  } finally {
    fs.rmSync(copy, { recursive: true, force: true });
    fs.rmSync(touchedCache, { recursive: true, force: true });
  }

  log(`[${tree.name}] incremental: loading with keepTrees, then ${o.edits} edits (budget ${o.incrBudgetS} s)…`);
  const incr = spawnChild<IncrReport>(['incr', tree.dir, String(o.edits), String(o.incrBudgetS * 1000), String(o.seed), o.incrFile ?? '']).report;
  log(`[${tree.name}] incremental: ${incr.edits} edits on ${path.relative(tree.dir, incr.file)} (${incr.fileLines} lines), p50 ${percentile(incr.totalMs, 50).toFixed(1)} ms, p95 ${percentile(incr.totalMs, 95).toFixed(1)} ms`);
  let incrParsed: IncrReport | undefined;
  if (!o.incrFile) {
    log(`[${tree.name}] incremental, the largest parsed file: loading with keepTrees, then ${o.edits} edits…`);
    incrParsed = spawnChild<IncrReport | null>(['incr', tree.dir, String(o.edits), String(o.incrBudgetS * 1000), String(o.seed), '', 'parsed']).report ?? undefined;
    if (incrParsed) log(`[${tree.name}] incremental: ${incrParsed.edits} edits on ${path.relative(tree.dir, incrParsed.file)} (${incrParsed.fileLines} lines, parsed), p50 ${percentile(incrParsed.totalMs, 50).toFixed(1)} ms, p95 ${percentile(incrParsed.totalMs, 95).toFixed(1)} ms`);
    else log(`[${tree.name}] incremental: no parsed .py file to edit`);
  }

  let breakdown: Record<string, number | string> | undefined;
  if (o.breakdown) {
    log(`[${tree.name}] breakdown run…`);
    breakdown = spawnChild<Record<string, number | string>>(['breakdown', tree.dir]).report;
  }

  const coldMs = median(cold.map((c) => c.wallMs));
  const peerMs = median(peer.map((p) => p.wallMs));
  const peerCpu = peer.every((p) => p.cpuMs !== undefined) ? median(peer.map((p) => p.cpuMs!)) : NaN;
  const peerRss = peer.every((p) => p.rssMb !== undefined) ? Math.max(...peer.map((p) => p.rssMb!)) : NaN;
  const first = cold[0].report;
  // A series of fresh processes: its median (wall time unless said), its ratio to the peer, its
  // peak RSS; null for a series that did not run (no bundle, or no cold run fitted the budget).
  const medianMs = (series: Timed<ColdReport>[], of = (c: Timed<ColdReport>) => c.wallMs) => (series.length ? round(median(series.map(of))) : null);
  const ratioToPeer = (series: Timed<ColdReport>[]) => (series.length ? round(median(series.map((c) => c.wallMs)) / peerMs, 2) : null);
  const peakRssMb = (series: Timed<ColdReport>[]) => (series.length ? round(Math.max(...series.map((c) => c.report.rssMb))) : null);
  const saveMs = (c: Timed<ColdReport>) => c.report.saveMs ?? 0;
  const result: TreeResult = {
    tree: tree.name,
    files: first.files,
    lines: first.lines,
    cold_ms: round(coldMs),
    peer_ms: round(peerMs),
    ratio: round(coldMs / peerMs, 2),
    cold_no_code_cache_ms: medianMs(coldNoCodeCache),
    ratio_no_code_cache: ratioToPeer(coldNoCodeCache),
    cold_no_cache_ms: medianMs(noCache),
    ratio_no_cache: ratioToPeer(noCache),
    no_cache_cpu_ms: medianMs(noCache, (c) => c.report.cpuMs),
    no_cache_rss_mb: peakRssMb(noCache),
    cold_save_ms: medianMs(cold, saveMs),
    cold_second_ms: medianMs(second),
    ratio_second: ratioToPeer(second),
    second_save_ms: medianMs(second, saveMs),
    second_rss_mb: peakRssMb(second),
    incr_p50_ms: round(percentile(incr.totalMs, 50), 2),
    incr_p95_ms: round(percentile(incr.totalMs, 95), 2),
    rss_mb: peakRssMb(cold),
    dir: tree.dir,
    py_files: first.pyFiles,
    runs: cold.length,
    cold_inproc_ms: medianMs(cold, (c) => c.report.loadMs + c.report.analyzeMs),
    cold_cpu_ms: medianMs(cold, (c) => c.report.cpuMs),
    peer_cpu_ms: round(peerCpu),
    peer_rss_mb: round(peerRss),
    peer_matches: peer[0].matches,
    peer_excluded: excludeGlobs,
    findings: first.findings,
    incr_file: incr.file,
    incr_file_lines: incr.fileLines,
    incr_file_chosen: !!o.incrFile,
    incr_edits: incr.edits,
    incr_invalid_edits: incr.invalidEdits,
    incr_update_p50_ms: round(percentile(incr.updateMs, 50), 2),
    incr_parse_p50_ms: round(percentile(incr.parseMs, 50), 2),
    incr_analyze_p50_ms: round(percentile(incr.analyzeMs, 50), 2),
    incr_rss_mb: round(incr.rssMb),
    incr_parsed_file: incrParsed?.file ?? null,
    incr_parsed_file_lines: incrParsed?.fileLines ?? null,
    incr_parsed_edits: incrParsed?.edits ?? 0,
    incr_parsed_p50_ms: incrParsed ? round(percentile(incrParsed.totalMs, 50), 2) : null,
    incr_parsed_p95_ms: incrParsed ? round(percentile(incrParsed.totalMs, 95), 2) : null,
    incr_parsed_update_p50_ms: incrParsed ? round(percentile(incrParsed.updateMs, 50), 2) : null,
    incr_parsed_analyze_p50_ms: incrParsed ? round(percentile(incrParsed.analyzeMs, 50), 2) : null,
    incr_parsed_rss_mb: incrParsed ? round(incrParsed.rssMb) : null,
    cold_cached_ms: medianMs(cached),
    ratio_cached: ratioToPeer(cached),
    cached_files: cached[0]?.report.cacheHits ?? 0,
    cached_rss_mb: peakRssMb(cached),
    cached_stored_run: cached.length > 0 && cached.every((c) => c.report.storedRun === true),
    cold_touched_ms: medianMs(touched),
    ratio_touched: ratioToPeer(touched),
    touched_files_cached: touched[0]?.report.cacheHits ?? 0,
    touched_rss_mb: peakRssMb(touched),
  };
  return { result, breakdown };
}

/** How the cold runs compile the CLI bundle (bin/loadCli.js). */
function shippedCodeCacheNote(): string {
  if (!fs.existsSync(BUNDLE)) return 'the engine loaded from out/';
  const { shippedCodeCache } = require(path.join(REPO_ROOT, 'bin', 'loadCli.js')) as { shippedCodeCache: () => string | undefined };
  const shipped = shippedCodeCache();
  return shipped ? `the bundle compiled from the code cache shipped beside it (${path.relative(REPO_ROOT, shipped)}, made by npm run bundle)` : 'no code cache shipped for this Node (npm run bundle makes one): the bundle compiled from source';
}

function fmt(n: number | null, unit = ''): string {
  return n === null ? 'n/a' : `${n}${unit}`;
}

function printTable(results: TreeResult[]): void {
  const header = ['tree', 'files', 'lines', 'cold ms', 'ast-grep ms', 'ratio', '2nd check ms', 'ratio 2nd', '--no-cache ms', 'ratio --no-cache', 'no code cache ms', 'ratio no code cache', 'cached ms', 'ratio cached', '1 changed ms', 'ratio 1 changed', 'incr p50', 'incr p95', 'edits', 'RSS MB', 'cold CPU', 'peer CPU'];
  const rows = results.map((r) => [
    r.tree,
    String(r.files),
    String(r.lines),
    fmt(r.cold_ms),
    fmt(r.peer_ms),
    fmt(r.ratio),
    fmt(r.cold_second_ms),
    fmt(r.ratio_second),
    fmt(r.cold_no_cache_ms),
    fmt(r.ratio_no_cache),
    fmt(r.cold_no_code_cache_ms),
    fmt(r.ratio_no_code_cache),
    fmt(r.cold_cached_ms),
    fmt(r.ratio_cached),
    fmt(r.cold_touched_ms),
    fmt(r.ratio_touched),
    fmt(r.incr_p50_ms),
    fmt(r.incr_p95_ms),
    String(r.incr_edits),
    fmt(r.rss_mb),
    fmt(r.cold_cpu_ms),
    fmt(r.peer_cpu_ms),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) console.log(line(r));
  console.log('');
  for (const r of results) {
    console.log(`${r.tree}: ${r.dir}`);
    console.log(`  scanned: ${r.py_files} .py + ${r.files - r.py_files} config files (engine discovery: .gitignore, site-packages/venvs/build dirs skipped; test dirs are scanned); ${r.findings} findings`);
    console.log(`  cold: whole-process wall, median of ${r.runs} fresh processes, a first run after install as \`logfunnel check\` makes it: no cache folder, ${shippedCodeCacheNote()}; the tree's first-check mark written, no facts (save ${fmt(r.cold_save_ms)} ms); loadAll+analyze inside: ${fmt(r.cold_inproc_ms)} ms`);
    console.log(`  2nd check: the next check in that folder, which writes the facts cache and the stored run (save ${fmt(r.second_save_ms)} ms), peak RSS ${fmt(r.second_rss_mb)} MB`);
    console.log(`  --no-cache: the same check writing no cache (a CI job that keeps none): cpu ${fmt(r.no_cache_cpu_ms)} ms, peak RSS ${fmt(r.no_cache_rss_mb)} MB`);
    console.log(`  no code cache: the same first run with the CLI bundle compiled from source, as where the shipped code cache does not fit (another Node than the build's)`);
    console.log(`  cached: a third check, with the cache the second wrote, tree unchanged: ${r.cached_stored_run ? 'the stored run was shown (nothing read or linked)' : `${r.cached_files}/${r.files} files from the facts cache`}, peak RSS ${fmt(r.cached_rss_mb)} MB`);
    console.log(`  1 changed: the cache, then a comment appended to the largest .py of a copy of the tree: ${r.touched_files_cached}/${r.files} files from the facts cache, the whole program linked and analysed, peak RSS ${fmt(r.touched_rss_mb)} MB`);
    console.log(`  peer: ast-grep run --pattern '${PEER_PATTERN}' --lang python . in that folder${r.peer_excluded.length ? ` with --globs ${r.peer_excluded.join(' ')}` : ''} (the same .py files), ${r.peer_matches} matches, peak RSS ${fmt(r.peer_rss_mb)} MB`);
    console.log(`  incremental: ${r.incr_edits} edits on ${path.relative(r.dir, r.incr_file)} (${r.incr_file_lines} lines, ${r.incr_file_chosen ? 'chosen with --incr-file' : 'the largest .py'}); per edit update p50 ${fmt(r.incr_update_p50_ms)} ms (of which incremental parse ${fmt(r.incr_parse_p50_ms)} ms) + analyze p50 ${fmt(r.incr_analyze_p50_ms)} ms; RSS with kept trees ${fmt(r.incr_rss_mb)} MB${r.incr_invalid_edits ? `; ${r.incr_invalid_edits} edits added syntax errors` : ''}`);
    if (r.incr_parse_p50_ms === 0) console.log('  (the edited file never reached the parser: the engine took its no-parse path; the next line edits a parsed one)');
    if (r.incr_parsed_file) console.log(`  incremental, parsed: ${r.incr_parsed_edits} edits on ${path.relative(r.dir, r.incr_parsed_file)} (${r.incr_parsed_file_lines} lines, the largest file the engine parses); p50 ${fmt(r.incr_parsed_p50_ms)} ms, p95 ${fmt(r.incr_parsed_p95_ms)} ms; per edit update p50 ${fmt(r.incr_parsed_update_p50_ms)} ms + analyze p50 ${fmt(r.incr_parsed_analyze_p50_ms)} ms; RSS with kept trees ${fmt(r.incr_parsed_rss_mb)} MB`);
  }
}

function goalLines(results: TreeResult[], edits: number): string[] {
  const out = [`Goals: cold ratio <= ${GOALS.ratio}, incremental p95 <= ${GOALS.incrP95Ms} ms, RSS <= ${GOALS.rssMb} MB (printed, never asserted)`];
  const verdict = (ok: boolean | null) => (ok === null ? 'n/a' : ok ? 'met' : 'MISSED');
  for (const r of results) {
    const cachedVerdict = (x: number | null) => `${fmt(x)} ${verdict(x === null ? null : x <= GOALS.ratio)}`;
    const ratio = `${verdict(r.ratio === null ? null : r.ratio <= GOALS.ratio)} (2nd check, writing the caches: ${cachedVerdict(r.ratio_second)}; --no-cache: ${cachedVerdict(r.ratio_no_cache)}; bundle compiled from source: ${cachedVerdict(r.ratio_no_code_cache)}; with the facts cache: unchanged tree ${cachedVerdict(r.ratio_cached)}, one file changed ${cachedVerdict(r.ratio_touched)})`;
    const parsedIncr = r.incr_parsed_file ? ` (largest parsed file: p95 ${fmt(r.incr_parsed_p95_ms)} ms ${verdict(r.incr_parsed_p95_ms === null ? null : r.incr_parsed_p95_ms <= GOALS.incrP95Ms)})` : '';
    const incr = verdict(r.incr_p95_ms === null ? null : r.incr_p95_ms <= GOALS.incrP95Ms) + parsedIncr;
    const rss = verdict(r.rss_mb === null ? null : r.rss_mb <= GOALS.rssMb);
    const short = r.incr_edits < edits ? ` (only ${r.incr_edits}/${edits} edits fitted the --incr-budget)` : '';
    out.push(`  ${r.tree}: ratio ${fmt(r.ratio)} ${ratio}; incr p95 ${fmt(r.incr_p95_ms)} ms ${incr}${short}; RSS ${fmt(r.rss_mb)} MB ${rss}`);
  }
  return out;
}

function vsixLine(): string | undefined {
  const vsix = fs.readdirSync(REPO_ROOT).filter((f) => /^logfunnel-.*\.vsix$/.test(f)).sort();
  if (vsix.length === 0) return undefined;
  return vsix.map((f) => `${f}: ${(fs.statSync(path.join(REPO_ROOT, f)).size / 1024).toFixed(0)} KiB`).join(', ');
}

function printBreakdown(name: string, b: Record<string, number | string>, say: (s: string) => void): void {
  const total = Number(b['TOTAL']);
  say(`\nWhere cold time goes, ${name} (one instrumented process, wall ms, self time):`);
  for (const [k, v] of Object.entries(b)) {
    if (k.startsWith('_') || k === 'TOTAL' || typeof v !== 'number') continue;
    say(`  ${k.padEnd(46)} ${v.toFixed(0).padStart(8)}  ${((100 * v) / total).toFixed(1).padStart(5)}%`);
  }
  say(`  ${'TOTAL'.padEnd(46)} ${total.toFixed(0).padStart(8)}`);
  say(`  loadAll ${Number(b['_loadMs']).toFixed(0)} ms, analyze ${Number(b['_analyzeMs']).toFixed(0)} ms; ${b['_parseCalls']} parses, ${b['_statCalls']} statSync calls; RSS ${Number(b['_rssMb']).toFixed(0)} MB`);
  say(`  keyword prefilter would leave ${b['_prefilterFiles']}/${b['_pyFiles']} .py files (${Number(b['_prefilterBytesPct']).toFixed(0)}% of bytes) for full extraction`);
  if (b['_notWrapped']) say(`  (not broken out, the engine's modules moved: ${b['_notWrapped']})`);
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') return runChild(argv.slice(1));
  const o = parseOptions(argv);
  if (!fs.existsSync(AST_GREP)) throw new Error(`${AST_GREP} not found: npm ci installs @ast-grep/cli`);
  log(fs.existsSync(BUNDLE)
    ? `cold runs load the engine from ${path.relative(REPO_ROOT, BUNDLE)}, the bundle users run (its age: ${new Date(fs.statSync(BUNDLE).mtimeMs).toISOString()}; npm run bundle rebuilds it)`
    : 'cold runs load the engine from out/ (no dist/cli.js: npm run bundle builds the bundle users run, which starts faster)');

  const results: TreeResult[] = [];
  const breakdowns: [string, Record<string, number | string>][] = [];
  const skipped: string[] = [];
  const started = performance.now();
  for (const name of o.trees) {
    const spec = resolveTree(name);
    if ('missing' in spec) {
      skipped.push(`${spec.name}: skipped, ${spec.missing}`);
      log(`[${spec.name}] skipped: ${spec.missing}`);
      continue;
    }
    const { result, breakdown } = await benchTree(spec, o);
    results.push(result);
    if (o.json) process.stdout.write(JSON.stringify(result) + '\n');
    if (breakdown) breakdowns.push([spec.name, breakdown]);
  }

  // With --json, stdout carries only the JSON lines; the human summary goes to stderr.
  const say = o.json ? log : (s: string) => console.log(s);
  if (!o.json) {
    console.log('');
    printTable(results);
  }
  for (const [name, b] of breakdowns) printBreakdown(name, b, say);
  say('');
  for (const l of goalLines(results, o.edits)) say(l);
  for (const s of skipped) say(s);
  const vsix = vsixLine();
  say(vsix ? `VSIX: ${vsix}` : 'VSIX: no logfunnel-*.vsix in the repository root (npm run package builds one)');
  say(`machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; node ${process.version}; benchmark took ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (results.length === 0) process.exitCode = 2;
}

main().catch((e) => {
  // A child's failure already carries its stderr; a usage error needs no stack.
  process.stderr.write(`bench:analyzer: ${(e as Error).message ?? e}\n`);
  process.exitCode = 2;
});
