/**
 * The oracle for the cheap paths of a cold scan: discovery (with the engine's config check),
 * the keyword prefilter `needsFullParse`, the line scan `extractLightFacts` and `configFileKind`.
 * A faster version of any of them must give exactly the same answers; this script records the
 * answers of one build and compares another build against them, and times each phase.
 *
 *   node out/bench/lightEquivalence.js record  [--snapshot DIR] [--runs 5] [--tree django|stdlib|fixtures|PATH]...
 *   node out/bench/lightEquivalence.js compare [--snapshot DIR] [--runs 5] [--tree ...]... [--baseline OUT [--fuzz 50000]]
 *
 * Per tree it records: the discovered file list (as the engine asks for it, plus variants with
 * user excludes and a small maxFiles), needsFullParse and extractLightFacts (JSON) for every
 * discovered .py file — every one, not only those the prefilter lets through, and CRLF / CR-only
 * variants of them — and configFileKind for every file under the tree (skipped folders too).
 * A seeded generator adds short hostile snippets (odd line terminators, Unicode spaces, names
 * that are prefixes of one another) to both text checks.
 *
 * `compare` prints the number of answers compared and every difference (the first few in full),
 * and the timings of the recorded build next to this one: wall ms of the first run in the
 * process (cold JIT), the best of --runs, and process.cpuUsage() of the best run. With
 * `--baseline OUT` (a copy of an older `out/` folder) the older modules are also timed in this
 * process, run for run alternating with the current ones, so that both see the same machine
 * load; that comparison is the fair one when other work shares the machine. A baseline also
 * gets a differential fuzz: --fuzz fresh generated snippets and file names, and generated folder
 * trees (nested .gitignore files, symlink loops, virtualenvs, odd names; made in the temp folder
 * and removed), through both builds.
 * To record with an older build, run this script from a copy of that build's `out/` with
 * LF_REPO_ROOT set to the repository (and NODE_PATH to its node_modules).
 * A benchmark, not a test: exit code 1 only when answers differ.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as discoveryModule from '../server/src/workspace/discovery';
import * as configFrontEnd from '../server/src/workspace/configFrontEnd';
import * as fileKindsModule from '../server/src/configs/fileKinds';
import * as lightFactsModule from '../server/src/python/lightFacts';
import * as prefilterModule from '../server/src/python/prefilter';
import { mulberry32 } from './prng';
import { DJANGO_TREE, stdlibTree } from './trees';

/** The functions under test, from this build or from a baseline `out/` folder. */
interface Impl {
  discoverFiles: typeof discoveryModule.discoverFiles;
  moduleNameOf: typeof discoveryModule.moduleNameOf;
  isConfigFile: typeof configFrontEnd.isConfigFile;
  configFileKind: typeof fileKindsModule.configFileKind;
  kindByName: typeof fileKindsModule.kindByName;
  needsFullParse: typeof prefilterModule.needsFullParse;
  extractLightFacts: typeof lightFactsModule.extractLightFacts;
}

const CURRENT: Impl = {
  discoverFiles: discoveryModule.discoverFiles,
  moduleNameOf: discoveryModule.moduleNameOf,
  isConfigFile: configFrontEnd.isConfigFile,
  configFileKind: fileKindsModule.configFileKind,
  kindByName: fileKindsModule.kindByName,
  needsFullParse: prefilterModule.needsFullParse,
  extractLightFacts: lightFactsModule.extractLightFacts,
};

function loadBaseline(outDir: string): Impl {
  // The copy lives outside the repository: let it find this repository's node_modules.
  process.env.NODE_PATH = [path.join(REPO_ROOT, 'node_modules'), process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
  (require('module') as { Module: { _initPaths(): void } }).Module._initPaths();
  const at = (rel: string) => require(path.resolve(outDir, rel));
  const discovery = at('server/src/workspace/discovery.js');
  const light = at('server/src/python/lightFacts.js');
  return {
    discoverFiles: discovery.discoverFiles,
    moduleNameOf: discovery.moduleNameOf,
    isConfigFile: at('server/src/workspace/configFrontEnd.js').isConfigFile,
    configFileKind: at('server/src/configs/fileKinds.js').configFileKind,
    kindByName: at('server/src/configs/fileKinds.js').kindByName,
    // Before the split, the prefilter lived in lightFacts.js.
    needsFullParse: (fs.existsSync(path.resolve(outDir, 'server/src/python/prefilter.js')) ? at('server/src/python/prefilter.js') : light).needsFullParse,
    extractLightFacts: light.extractLightFacts,
  };
}

const DEFAULT_SNAPSHOT = '/tmp/logfunnel-light-equivalence';
// LF_REPO_ROOT: when this file runs from a copy of `out/` elsewhere (to record with an older build).
const REPO_ROOT = process.env.LF_REPO_ROOT ?? path.resolve(__dirname, '..', '..');

interface TreeSpec {
  name: string;
  root: string;
}

interface Timing {
  firstMs: number;
  bestMs: number;
  bestUserMs: number;
  bestSystemMs: number;
}

interface TreeSnapshot {
  root: string;
  discovery: Record<string, string[]>;
  needsFullParse: Record<string, boolean>;
  configKinds: Record<string, string | null>;
  /** kindByName of generated names (recorded once, with the fixtures). */
  kindsByName?: Record<string, string | null>;
  timings: Record<string, Timing>;
  baselineTimings?: Record<string, Timing>;
}

function parseArgs(argv: string[]) {
  const mode = argv[0];
  if (mode !== 'record' && mode !== 'compare') {
    console.error('usage: lightEquivalence.js record|compare [--snapshot DIR] [--runs N] [--tree django|stdlib|fixtures|PATH]...');
    process.exit(2);
  }
  let snapshot = DEFAULT_SNAPSHOT;
  let runs = 5;
  let baseline: string | undefined;
  let fuzz = 50000;
  const trees: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    if (argv[i] === '--snapshot') snapshot = argv[++i];
    else if (argv[i] === '--runs') runs = Number(argv[++i]);
    else if (argv[i] === '--tree') trees.push(argv[++i]);
    else if (argv[i] === '--baseline') baseline = argv[++i];
    else if (argv[i] === '--fuzz') fuzz = Number(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return { mode, snapshot, runs, baseline, fuzz, trees: trees.length ? trees : ['django', 'stdlib', 'fixtures'] };
}

function treeOf(name: string): TreeSpec {
  if (name === 'django') return { name, root: DJANGO_TREE };
  if (name === 'stdlib') {
    const root = stdlibTree();
    if (!root) throw new Error('python3 not found or reports no stdlib folder');
    return { name, root };
  }
  if (name === 'fixtures') return { name, root: path.join(REPO_ROOT, 'test-fixtures') };
  return { name: path.basename(name), root: path.resolve(name) };
}

/** As the engine asks: configs' isConfigFile, and an exception counts as "no". */
function engineIsOtherFile(impl: Impl): (file: string) => boolean {
  return (file) => {
    try {
      return impl.isConfigFile(file);
    } catch {
      return false;
    }
  };
}

/** Every regular file under root, symlinks not followed, nothing skipped. */
function allFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else out.push(full);
    }
  };
  walk(root);
  return out.sort();
}

/** Times `work` for each implementation, run for run in turn (the baseline first). */
function timed(runs: number, impls: Impl[], work: (impl: Impl) => void): Timing[] {
  const results = impls.map(() => ({ firstMs: 0, bestMs: Infinity, bestUserMs: 0, bestSystemMs: 0 }));
  for (let r = 0; r < runs; r++) {
    impls.forEach((impl, k) => {
      const cpu = process.cpuUsage();
      const t = performance.now();
      work(impl);
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      const res = results[k];
      if (r === 0) res.firstMs = ms;
      if (ms < res.bestMs) Object.assign(res, { bestMs: ms, bestUserMs: used.user / 1000, bestSystemMs: used.system / 1000 });
    });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Extra texts: line-terminator variants of real files and seeded hostile snippets.


const SNIPPET_PIECES = [
  'import ', 'from ', 'class ', 'def ', 'async ', 'async def ', ' import ', ' as ', 'os', 'os.path', 'logging',
  'log', 'logger', 'log_x', 'getLogger(', 'get_logger()', 'logging.getLogger(__name__)', '.', '. ', ' . ', '(', ')',
  '"a.log"', "'b.log'", '"', "'", ',', ' ', '\t', '\n', '\r\n', '\r', '\u2028', '\u2029', '\u00a0', '\u3000', '\ufeff',
  '\u000b', '\f', 'é', '中', '_', '1', 'x', 'y', 'z', '#', '\\', '*', '..', '...', 'mod', 'sub', 'a', 'ab', 'abc',
  'info', 'warning', 'warn', 'warnings', 'error', 'exception', 'critical', 'debug', '.info(', '.warn (', '. error\t(',
  'fork', 'forkpty', 'os.fork()', 'workers', 'workers = 4', '\nworkers=2', 'max_workers', 'pickle', 'cPickle', 'socket',
  'recv(', 'FileHandler', 'LOGGING', 'Celery(', 'os.exec', 'execv', 'execl', 'config.listen', 'concurrent.futures',
  'multiprocessing', 'billiard', 'joblib', 'logconfig', 'logfunnel', 'picologging', 'dictConfig', 'basicConfig',
  'StreamRequestHandler', 'self', 'self.log.info(', 'x.y.z(', 'os.getenv(', 'open(', '    ', '  def f(self):',
  'class A:', 'class B(A):', '(\n', 'a, b', 'a as b', '(a,\n b)', 'import a, b as c, d.e', 'from . import x',
  'from ..pkg import (y,\n  z as w)', 'from .m import *', 'from x import y  # c', 'import a.b as ab',
  // Characters whose low byte is '\n', ' ', '(', '.', 'f': a scan reading low bytes must not take them for those.
  '\u010a', '\u0120', '\u0128', '\u012e', '\u0166', '\ud83d\ude00', '\ud800', '\udc00', 'import\u0120os', 'log\u012einfo(',
];

/** Pieces of file names for configFileKind by name (no file system). */
const NAME_PIECES = [
  'Procfile', 'Dockerfile', 'Containerfile', 'dockerfile', 'compose', 'docker-compose', 'docker', 'GNU', 'Makefile',
  'makefile', 'Gnumakefile', '.', '.', '.', '-', '_', 'yml', 'yaml', 'json', 'toml', 'ini', 'conf', 'cfg', 'sh', 'bash',
  'mk', 'service', 'py', 'txt', 'RECORD', 'LICENSE', 'A', 'z', '0', 'entrypoint', 'Start', 'run', 'launch', 'x', ' ',
  'é', '.dist-info/', '.egg-info/', 'pkg/', '/', '\\', 'prod', 'web', 'worker',
];

/** `count` strings, each `prefix` plus 1 to `maxPieces` pieces drawn from `pieces`, reproducible from `seed`. */
function randomJoins(pieces: string[], maxPieces: number, prefix: string, count: number, seed: number): string[] {
  const rnd = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = 1 + Math.floor(rnd() * maxPieces);
    let s = prefix;
    for (let j = 0; j < n; j++) s += pieces[Math.floor(rnd() * pieces.length)];
    out.push(s);
  }
  return out;
}

const fileNames = (count: number, seed: number) => randomJoins(NAME_PIECES, 6, '/ws/', count, seed);
const snippets = (count: number, seed: number) => randomJoins(SNIPPET_PIECES, 40, '', count, seed);

interface TextCase {
  key: string;
  file: string;
  text: string;
}

function textCases(pyFiles: string[], treeName: string): TextCase[] {
  const cases: TextCase[] = [];
  pyFiles.forEach((file, i) => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return;
    }
    cases.push({ key: file, file, text });
    // Line-terminator variants of a tenth of the files (all of them for small trees).
    if (pyFiles.length < 400 || i % 10 === 0) {
      cases.push({ key: `${file} [crlf]`, file, text: text.replace(/\n/g, '\r\n') });
      cases.push({ key: `${file} [cr]`, file, text: text.replace(/\n/g, '\r') });
    }
  });
  const base = pyFiles[0] ?? '/nowhere/pkg/mod.py';
  snippets(treeName === 'fixtures' ? 20000 : 2000, treeName.length * 7919).forEach((text, i) => {
    cases.push({ key: `[snippet ${i}]`, file: base, text });
  });
  return cases;
}

function factsLines(cases: TextCase[]): string[] {
  const lines: string[] = [];
  for (const c of cases) {
    const loc = CURRENT.moduleNameOf(c.file);
    lines.push(`${c.key}\t${JSON.stringify(CURRENT.extractLightFacts(c.text, c.file, loc.module, loc.isPackageInit))}`);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------

function collect(tree: TreeSpec, runs: number, baseline?: Impl): { snap: TreeSnapshot; facts: string[] } {
  const impls = baseline ? [baseline, CURRENT] : [CURRENT];
  const timings: Record<string, Timing> = {};
  const baselineTimings: Record<string, Timing> = {};
  const phase = (name: string, work: (impl: Impl) => void) => {
    const t = timed(runs, impls, work);
    timings[name] = t[t.length - 1];
    if (baseline) baselineTimings[name] = t[0];
  };
  // Loading the config front-end (its YAML and TOML readers) is not discovery's cost.
  for (const impl of impls) engineIsOtherFile(impl)('/nonexistent/logging.yaml');

  const discovery: Record<string, string[]> = {};
  const answer = <T>(impl: Impl, value: T, keep: (v: T) => void) => {
    if (impl === CURRENT) keep(value);
  };
  phase('discovery (with config check)', (impl) =>
    answer(impl, impl.discoverFiles(tree.root, { isOtherFile: engineIsOtherFile(impl) }), (v) => (discovery.engine = v)));
  phase('discovery (no config check)', (impl) => answer(impl, impl.discoverFiles(tree.root), (v) => (discovery.pythonOnly = v)));
  const isOther = engineIsOtherFile(CURRENT);
  discovery.excludes = CURRENT.discoverFiles(tree.root, {
    isOtherFile: isOther,
    exclude: ['tests/', '**/*.json', 'locale', '*.cfg', '!important.cfg', '/__init__.py', 'conf/**/*.py', 'lib2to3'],
  });
  discovery.maxFiles = CURRENT.discoverFiles(tree.root, { isOtherFile: isOther, maxFiles: 300 });
  discovery.single = CURRENT.discoverFiles(discovery.engine[0] ?? tree.root);

  const everything = allFiles(tree.root);
  const configKinds: Record<string, string | null> = {};
  for (const f of everything) configKinds[f] = CURRENT.configFileKind(f) ?? null;
  phase('configFileKind (every file)', (impl) => {
    for (const f of everything) impl.configFileKind(f);
  });

  let kindsByName: Record<string, string | null> | undefined;
  if (tree.name === 'fixtures') {
    kindsByName = {};
    for (const name of fileNames(20000, 4242)) kindsByName[name] = CURRENT.kindByName(name) ?? null;
  }

  const pyFiles = discovery.engine.filter((f) => f.endsWith('.py'));
  const cases = textCases(pyFiles, tree.name);
  const realCases = cases.filter((c) => c.key === c.file);
  const prefilter: Record<string, boolean> = {};
  for (const c of cases) prefilter[c.key] = CURRENT.needsFullParse(c.text);
  phase('needsFullParse (every .py)', (impl) => {
    for (const c of realCases) impl.needsFullParse(c.text);
  });
  const locations = new Map(realCases.map((c) => [c.file, CURRENT.moduleNameOf(c.file)]));
  phase('extractLightFacts (every .py)', (impl) => {
    for (const c of realCases) {
      const loc = locations.get(c.file)!;
      impl.extractLightFacts(c.text, c.file, loc.module, loc.isPackageInit);
    }
  });
  const light = realCases.filter((c) => !prefilter[c.key]);
  phase('extractLightFacts (light .py only)', (impl) => {
    for (const c of light) {
      const loc = locations.get(c.file)!;
      impl.extractLightFacts(c.text, c.file, loc.module, loc.isPackageInit);
    }
  });
  return {
    snap: { root: tree.root, discovery, needsFullParse: prefilter, configKinds, kindsByName, timings, baselineTimings: baseline ? baselineTimings : undefined },
    facts: factsLines(cases),
  };
}

function compareRecords<T>(what: string, before: Record<string, T>, after: Record<string, T>, report: (s: string) => void): { compared: number; differences: number } {
  let differences = 0;
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const k of keys) {
    const a = JSON.stringify(before[k]);
    const b = JSON.stringify(after[k]);
    if (a !== b) {
      differences++;
      if (differences <= 5) report(`  ${what} differs for ${k}:\n    before ${a?.slice(0, 400)}\n    after  ${b?.slice(0, 400)}`);
    }
  }
  return { compared: keys.size, differences };
}

function compareFacts(before: string[], after: string[], report: (s: string) => void): { compared: number; differences: number } {
  const split = (lines: string[]) => new Map(lines.map((l) => [l.slice(0, l.indexOf('\t')), l.slice(l.indexOf('\t') + 1)]));
  const b = split(before);
  const a = split(after);
  let differences = 0;
  for (const k of new Set([...b.keys(), ...a.keys()])) {
    if (b.get(k) !== a.get(k)) {
      differences++;
      if (differences <= 5) report(`  extractLightFacts differs for ${JSON.stringify(k)}:\n    before ${b.get(k)?.slice(0, 600)}\n    after  ${a.get(k)?.slice(0, 600)}`);
    }
  }
  return { compared: Math.max(a.size, b.size), differences };
}

/** With a baseline: both builds on fresh generated snippets and names, answer for answer. */
function differentialFuzz(baseline: Impl, count: number): number {
  let differences = 0;
  const texts = snippets(count, 20261123);
  const file = '/ws/pkg/sub/mod.py';
  for (const text of texts) {
    const a = JSON.stringify([baseline.needsFullParse(text), baseline.extractLightFacts(text, file, 'pkg.sub.mod', false), baseline.extractLightFacts(text, file, 'pkg', true)]);
    const b = JSON.stringify([CURRENT.needsFullParse(text), CURRENT.extractLightFacts(text, file, 'pkg.sub.mod', false), CURRENT.extractLightFacts(text, file, 'pkg', true)]);
    if (a !== b && ++differences <= 5) console.log(`  fuzz: text ${JSON.stringify(text)}\n    baseline ${a.slice(0, 400)}\n    current  ${b.slice(0, 400)}`);
  }
  const names = fileNames(count, 777);
  for (const name of names) {
    if (baseline.kindByName(name) !== CURRENT.kindByName(name) && ++differences <= 5) {
      console.log(`  fuzz: name ${JSON.stringify(name)}: baseline ${baseline.kindByName(name)}, current ${CURRENT.kindByName(name)}`);
    }
  }
  const trees = Math.max(5, Math.round(count / 2000));
  let listed = 0;
  for (let k = 0; k < trees; k++) {
    const root = randomTree(1000 + k);
    try {
      const isOther = (f: string) => f.endsWith('.conf') || f.endsWith('.yml');
      for (const options of [{}, { isOtherFile: isOther }, { isOtherFile: isOther, exclude: ['b*', '!bb.py', 'd2/', '*.yml'] }, { maxFiles: 7 }]) {
        const a = JSON.stringify(baseline.discoverFiles(root, options));
        const found = CURRENT.discoverFiles(root, options);
        listed += found.length;
        const b = JSON.stringify(found);
        if (a !== b && ++differences <= 5) console.log(`  fuzz: tree ${root} ${JSON.stringify(options)}\n    baseline ${a.slice(0, 600)}\n    current  ${b.slice(0, 600)}`);
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  }
  console.log(`differential fuzz against the baseline: ${texts.length} texts, ${names.length} names, ${trees} generated folder trees x 4 option sets (${listed} files listed), ${differences} differences`);
  return differences;
}

/**
 * A folder tree of random names (Unicode, case, leading dots and '..'), nested .gitignore files
 * with random rules, pyvenv.cfg, skipped folder names, symlinks to folders (loops included)
 * and to files, dangling links.
 */
function randomTree(seed: number): string {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
  const root = fs.mkdtempSync(path.join(require('os').tmpdir(), 'lf-equiv-tree-'));
  const dirNames = ['a', 'b', 'B', 'd1', 'd2', 'é', 'Z', '..x', '.hidden', 'node_modules', 'build', 'x.egg-info', 'venv', 'pkg', '_p', '10', '9'];
  const fileNames = ['a.py', 'bb.py', 'B.py', 'c.conf', 'd.yml', 'e.txt', 'é.py', '..f.py', '.g.py', 'Ä.py', 'z.py', '_1.py', '10.py', '9.py'];
  const rules = ['*.py', '!a.py', 'b*', '/z.py', 'd1/', '**/pkg', '*.conf', '!*.conf', 'a/', '#c', '', '\\#x', '..f.py', 'é*', '[A-Z].py', 'sub/**/x'];
  const dirs = [root];
  for (let i = 0; i < 25; i++) {
    const parent = pick(dirs);
    const dir = path.join(parent, pick(dirNames));
    fs.mkdirSync(dir, { recursive: true });
    dirs.push(dir);
  }
  for (let i = 0; i < 60; i++) fs.writeFileSync(path.join(pick(dirs), pick(fileNames)), '');
  for (let i = 0; i < 4; i++) {
    const lines = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => pick(rules));
    fs.writeFileSync(path.join(pick(dirs), '.gitignore'), lines.join('\n'));
  }
  if (rnd() < 0.3) fs.writeFileSync(path.join(pick(dirs.slice(1)), 'pyvenv.cfg'), '');
  for (let i = 0; i < 4; i++) {
    const at = path.join(pick(dirs), `link${i}`);
    const target = rnd() < 0.8 ? pick(dirs) : path.join(root, 'missing');
    try {
      fs.symlinkSync(rnd() < 0.5 ? target : path.relative(path.dirname(at), target) || '.', at);
    } catch {
      /* name taken */
    }
  }
  return root;
}

function fmt(t: Timing | undefined): string {
  if (!t) return '-'.padStart(38);
  return `${t.firstMs.toFixed(1).padStart(8)} ${t.bestMs.toFixed(1).padStart(8)} ${t.bestUserMs.toFixed(0).padStart(7)}/${t.bestSystemMs.toFixed(0).padEnd(5)}`;
}

function main(): void {
  const { mode, snapshot, runs, baseline: baselineDir, trees, fuzz } = parseArgs(process.argv.slice(2));
  const baseline = baselineDir ? loadBaseline(baselineDir) : undefined;
  fs.mkdirSync(snapshot, { recursive: true });
  let totalDifferences = 0;
  for (const name of trees) {
    const tree = treeOf(name);
    const snapFile = path.join(snapshot, `${tree.name}.json`);
    const factsFile = path.join(snapshot, `${tree.name}.facts.tsv`);
    const { snap, facts } = collect(tree, runs, baseline);
    if (mode === 'record') {
      fs.writeFileSync(snapFile, JSON.stringify(snap));
      fs.writeFileSync(factsFile, facts.join('\n'));
      console.log(`${tree.name}: recorded ${Object.values(snap.discovery).map((l) => l.length).join('/')} discovered, ` +
        `${Object.keys(snap.needsFullParse).length} texts, ${Object.keys(snap.configKinds).length} config kinds -> ${snapFile}`);
      for (const [phase, t] of Object.entries(snap.timings)) console.log(`  ${phase.padEnd(36)} ${fmt(t)}`);
      continue;
    }
    const before = JSON.parse(fs.readFileSync(snapFile, 'utf8')) as TreeSnapshot;
    const beforeFacts = fs.readFileSync(factsFile, 'utf8').split('\n');
    const lines: string[] = [];
    const report = (s: string) => lines.push(s);
    const results = [
      ['discovery lists', compareRecords('discovery', before.discovery, snap.discovery, report)],
      ['discovered entries', { compared: Object.values(before.discovery).reduce((n, l) => n + l.length, 0), differences: 0 }],
      ['needsFullParse', compareRecords('needsFullParse', before.needsFullParse, snap.needsFullParse, report)],
      ['extractLightFacts', compareFacts(beforeFacts, facts, report)],
      ['configFileKind', compareRecords('configFileKind', before.configKinds, snap.configKinds, report)],
      ['kindByName (names)', compareRecords('kindByName', before.kindsByName ?? {}, snap.kindsByName ?? {}, report)],
    ] as const;
    console.log(`${tree.name} (${tree.root})`);
    for (const [what, r] of results) {
      console.log(`  ${what.padEnd(20)} ${String(r.compared).padStart(7)} compared, ${r.differences} differences`);
      totalDifferences += r.differences;
    }
    for (const l of lines) console.log(l);
    console.log(`  ${'phase'.padEnd(36)} ${'before: first     best  user/sys ms'.padEnd(38)}   ${'after: first     best  user/sys ms'.padEnd(38)}  speed-up (best)`);
    if (snap.baselineTimings) console.log(`  (before: the --baseline modules timed in this run, alternating with the current ones)`);
    for (const phase of Object.keys(snap.timings)) {
      const b = (snap.baselineTimings ?? before.timings)[phase];
      const a = snap.timings[phase];
      const ratio = b && a ? `${(b.bestMs / a.bestMs).toFixed(2)}x` : '';
      console.log(`  ${phase.padEnd(36)} ${fmt(b)}   ${fmt(a)}  ${ratio}`);
    }
  }
  if (baseline && fuzz > 0) totalDifferences += differentialFuzz(baseline, fuzz);
  if (mode === 'compare') {
    console.log(totalDifferences === 0 ? 'EQUIVALENT: 0 differences' : `DIFFERENT: ${totalDifferences} differences`);
    process.exitCode = totalDifferences === 0 ? 0 : 1;
  }
}

main();
