/**
 * The facts cache and neighbour-file dependencies: a second run takes unchanged files from the
 * cache and gives the same findings; every way a file's facts can go stale (its text, its
 * module location, a neighbour file such as `.env`, a damaged cache file) makes it read again.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { AnalysisEngine } from '../src/workspace/engine';
import { copyFixture, tempDir } from './tempTrees';
import type { Finding } from '../src/model/findings';


/** A finding as a user sees it: rule, place, message, evidence. */
const shown = (f: Finding) => ({
  rule: f.rule,
  file: f.span.file,
  line: f.span.start.line,
  severity: f.severity,
  message: f.message,
  related: f.related.map((r) => `${r.span.file}:${r.span.start.line}: ${r.message}`),
});

async function run(root: string, cacheDir: string | undefined) {
  const engine = new AnalysisEngine({ roots: [root], cacheDir, threads: 1 });
  await engine.loadAll();
  const result = engine.analyze();
  engine.saveCache();
  return { engine, findings: result.findings.map(shown), stats: engine.cacheStats() };
}

test('a second run reads nothing and finds the same; an edited file alone is read again', async () => {
  const root = copyFixture('pool-task-rotating');
  const cacheDir = tempDir('store');
  const first = await run(root, cacheDir);
  const files = first.engine.fileList().length;
  assert.ok(files >= 1);
  assert.deepEqual(first.stats && { hits: first.stats.hits, misses: first.stats.misses }, { hits: 0, misses: files });
  assert.ok(first.findings.some((f) => f.rule === 'LF001'), 'the fixture has its LF001');

  const second = await run(root, cacheDir);
  assert.deepEqual({ hits: second.stats!.hits, misses: second.stats!.misses }, { hits: files, misses: 0 });
  assert.deepEqual(second.findings, first.findings);
  const uncached = await run(root, undefined);
  assert.deepEqual(uncached.findings, first.findings, 'facts from the cache give what reading gives');

  // Rename the handler class to a plain StreamHandler: the file's new facts, not the cached ones.
  const main = first.engine.fileList().find((f) => /RotatingFileHandler/.test(fs.readFileSync(f, 'utf8')))!;
  const text = fs.readFileSync(main, 'utf8');
  fs.writeFileSync(main, text.replace(/(logging\.handlers\.|\b)RotatingFileHandler\([^)]*\)/, 'logging.StreamHandler()'));
  const third = await run(root, cacheDir);
  assert.equal(third.stats!.misses, 1);
  assert.equal(third.findings.filter((f) => f.rule === 'LF001').length, 0, 'the edited file no longer creates the handler');
});

test('a new __init__.py renames modules: their cached facts are not used', async () => {
  const root = tempDir('pkg');
  fs.mkdirSync(path.join(root, 'app'));
  fs.writeFileSync(path.join(root, 'app', 'worker.py'), 'def work():\n    pass\n');
  fs.writeFileSync(path.join(root, 'main.py'), 'import multiprocessing\nfrom app.worker import work\n');
  const cacheDir = tempDir('store');
  await run(root, cacheDir);
  fs.writeFileSync(path.join(root, 'app', '__init__.py'), '');
  const second = await run(root, cacheDir);
  // worker.py was module `worker` rooted at app/, now `app.worker` rooted at root; __init__.py is new.
  assert.equal(second.stats!.misses, 2);
  assert.equal(second.stats!.hits, 1);
});

test('a launcher is re-read when the .env it reads changes, in the cache and in a running engine', async () => {
  const root = copyFixture('config-gunicorn-web-concurrency-dotenv');
  const cacheDir = tempDir('store');
  const first = await run(root, cacheDir);
  assert.match(first.findings.find((f) => f.rule === 'LF001')?.message ?? '', /active in 3 processes/);

  const envFile = path.join(root, '.env');
  fs.writeFileSync(envFile, 'WEB_CONCURRENCY=5\n');
  const second = await run(root, cacheDir);
  assert.equal(second.stats!.misses, 1, 'only the Procfile, which read .env, is read again');
  assert.match(second.findings.find((f) => f.rule === 'LF001')?.message ?? '', /active in 5 processes/);

  // The language server's path: a watched-file event for .env re-reads the Procfile.
  fs.writeFileSync(envFile, 'WEB_CONCURRENCY=1\n');
  second.engine.diskChanged(envFile, false);
  assert.deepEqual(second.engine.analyze().findings.map(shown), [], 'one worker: nobody shares the file');
  fs.unlinkSync(envFile);
  second.engine.diskChanged(envFile, true);
  fs.writeFileSync(envFile, 'WEB_CONCURRENCY=2\n');
  second.engine.diskChanged(envFile, false);
  assert.match(second.engine.analyze().findings.map(shown).find((f) => f.rule === 'LF001')?.message ?? '', /active in 2 processes/,
    'a .env that appears is read too');
});

test('a damaged or foreign cache file is ignored, never fatal', async () => {
  const root = copyFixture('pool-task-rotating');
  const cacheDir = tempDir('store');
  const first = await run(root, cacheDir);
  const shards = fs.readdirSync(cacheDir).filter((f) => f.startsWith('facts-')).map((f) => path.join(cacheDir, f));
  assert.ok(shards.length >= 1);
  for (const damage of [(_: Buffer) => Buffer.from('not a cache'), (b: Buffer) => b.subarray(0, 100), () => Buffer.alloc(0)]) {
    for (const shard of shards) fs.writeFileSync(shard, damage(fs.readFileSync(shard)));
    const again = await run(root, cacheDir);
    assert.equal(again.stats!.hits, 0);
    assert.deepEqual(again.findings, first.findings);
    // The run rewrote every shard it read again: damage the fresh ones next.
  }
  // An unwritable cache folder: the run still works, it only cannot keep its facts.
  const blocked = path.join(tempDir('blocked'), 'file');
  fs.writeFileSync(blocked, '');
  const noStore = await run(root, path.join(blocked, 'cache'));
  assert.deepEqual(noStore.findings, first.findings);
});

/**
 * Enough files for the engine to start a worker: a fixture plus 300 modules, half of which the
 * prefilter sends to the parser (they name multiprocessing), half to the line scan. A docstring
 * of about `padding` characters in each of the first half makes enough text to parse for the
 * workers to be given any (the engine's PARSE_CHARS_FOR_WORKERS is 64K).
 */
function treeForWorkers(padding = 2000, count = 300): string {
  const root = copyFixture('cross-file-pkg-pool');
  fs.mkdirSync(path.join(root, 'many'));
  fs.writeFileSync(path.join(root, 'many', '__init__.py'), '');
  const docstring = padding > 0 ? `"""${'lorem ipsum '.repeat(Math.ceil(padding / 12))}"""\n` : '';
  for (let i = 0; i < count; i++) {
    const start = i % 2 === 0 ? `${docstring}from multiprocessing import Pool\n` : 'from os import path\n';
    fs.writeFileSync(path.join(root, 'many', `m${i}.py`), `import logging\n${start}\ndef f${i}(x):\n    logging.info('%s', x)\n    return x\n`);
  }
  return root;
}

test('files read by worker threads give the same facts; a worker that dies loses no file', async () => {
  const root = treeForWorkers();
  const analyse = async (options: Partial<ConstructorParameters<typeof AnalysisEngine>[0]>) => {
    const engine = new AnalysisEngine({ roots: [root], ...options });
    await engine.loadAll();
    const files = engine.fileList().sort();
    // Facts as data (JSON, as they cross from a worker): every file's, not only the findings.
    const facts = Object.fromEntries(files.map((f) => [f, JSON.parse(JSON.stringify(engine.factsOf(f)))]));
    return { result: { files, facts, findings: engine.analyze().findings.map(shown) }, stats: engine.loadStats() };
  };
  const alone = await analyse({ threads: 1 });
  assert.ok(alone.result.findings.some((f) => f.rule === 'LF001'));
  assert.deepEqual(alone.stats, { fromCache: 0, readHere: alone.result.files.length, readInWorkers: 0 });
  const withWorker = await analyse({ threads: 2 });
  assert.ok(withWorker.stats.readInWorkers > 0, `the worker read files: ${JSON.stringify(withWorker.stats)}`);
  // Each file read once: by the worker, or here (this thread takes what a busy worker was sent
  // and has not started once it has nothing else to do).
  assert.equal(withWorker.stats.readHere + withWorker.stats.readInWorkers, withWorker.result.files.length);
  assert.deepEqual(withWorker.result, alone.result);
  // Workers far too small for any file: each dies (out of memory); its chunks are read here.
  const dying = await analyse({ threads: 3, workerHeapLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } });
  assert.equal(dying.stats.readInWorkers, 0);
  assert.deepEqual(dying.result, alone.result);
});

test('a tree of over 1,000 files starts its workers before reading: they read files, or die, or are never given any, and nothing is lost', async () => {
  const analyse = async (root: string, options: Partial<ConstructorParameters<typeof AnalysisEngine>[0]>) => {
    const engine = new AnalysisEngine({ roots: [root], ...options });
    await engine.loadAll();
    const files = engine.fileList().sort();
    const facts = Object.fromEntries(files.map((f) => [f, JSON.parse(JSON.stringify(engine.factsOf(f)))]));
    return { result: { files, facts, findings: engine.analyze().findings.map(shown) }, stats: engine.loadStats() };
  };
  const large = treeForWorkers(2000, 1100);
  const alone = await analyse(large, { threads: 1 });
  assert.ok(alone.result.files.length > 1000);
  const withWorker = await analyse(large, { threads: 2 });
  assert.ok(withWorker.stats.readInWorkers > 0, `the worker read files: ${JSON.stringify(withWorker.stats)}`);
  assert.deepEqual(withWorker.result, alone.result);
  // Out of memory once given files: the load neither waits for them nor loses a file.
  const dying = await analyse(large, { threads: 2, workerHeapLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } });
  assert.equal(dying.stats.readInWorkers, 0);
  assert.deepEqual(dying.result, alone.result);
  // Nothing to parse: the workers started first are stopped unused.
  const little = await analyse(treeForWorkers(0, 1100), { threads: 2 });
  assert.equal(little.stats.readInWorkers, 0);
  assert.ok(little.result.findings.some((f) => f.rule === 'LF001'));
});

test('with little to parse, this thread reads every file and the workers get none', async () => {
  const root = treeForWorkers(0);
  const engine = new AnalysisEngine({ roots: [root], threads: 2 });
  await engine.loadAll();
  const files = engine.fileList();
  assert.ok(files.length > 300, `enough files for workers to start: ${files.length}`);
  assert.deepEqual(engine.loadStats(), { fromCache: 0, readHere: files.length, readInWorkers: 0 });
  assert.ok(engine.analyze().findings.some((f) => f.rule === 'LF001'));
});

test('facts read in workers and here keep content hashes a later run agrees with: new mtimes still hit, new content does not', async () => {
  const root = treeForWorkers();
  const cacheDir = tempDir('store');
  const load = async () => {
    const engine = new AnalysisEngine({ roots: [root], cacheDir, threads: 2 });
    await engine.loadAll();
    const findings = engine.analyze().findings.map(shown);
    engine.saveCache();
    return { findings, stats: engine.loadStats(), files: engine.fileList() };
  };
  const first = await load();
  assert.ok(first.stats.readInWorkers > 0, `the worker read files: ${JSON.stringify(first.stats)}`);
  const later = new Date(Date.now() + 60_000);
  for (const f of first.files) fs.utimesSync(f, later, later);
  // The same size, other content, in a parsed file.
  const edited = path.join(root, 'many', 'm42.py');
  fs.writeFileSync(edited, fs.readFileSync(edited, 'utf8').replace('f42(x)', 'g42(x)'));
  fs.utimesSync(edited, later, later);

  const second = await load();
  assert.deepEqual(second.stats, { fromCache: first.files.length - 1, readHere: 1, readInWorkers: 0 });
  assert.deepEqual(second.findings, first.findings);
});

test('a one-shot check loads the grammar only when a file it reads needs the parser', async () => {
  const root = copyFixture('cross-file-pkg-pool');
  const cacheDir = tempDir('store');
  const check = async () => {
    const engine = new AnalysisEngine({ roots: [root], cacheDir, threads: 1, oneShot: true });
    await engine.loadAll();
    const findings = engine.analyze().findings.map(shown);
    engine.saveCache();
    return { findings, stats: engine.loadStats(), parserLoaded: engine.parserLoaded };
  };
  const first = await check();
  assert.ok(first.findings.some((f) => f.rule === 'LF001'));
  assert.equal(first.parserLoaded, true, 'main.py and pkg/log_setup.py need the parser');

  // pkg/tasks.py names no handler and no process API: the line scan reads it.
  fs.appendFileSync(path.join(root, 'pkg', 'tasks.py'), '# an edit\n');
  const second = await check();
  assert.deepEqual({ stats: second.stats, parserLoaded: second.parserLoaded }, { stats: { fromCache: 3, readHere: 1, readInWorkers: 0 }, parserLoaded: false });
  assert.deepEqual(second.findings, first.findings);

  fs.appendFileSync(path.join(root, 'main.py'), '# an edit\n');
  const third = await check();
  assert.deepEqual({ stats: third.stats, parserLoaded: third.parserLoaded }, { stats: { fromCache: 3, readHere: 1, readInWorkers: 0 }, parserLoaded: true });
  assert.deepEqual(third.findings, first.findings);
});

test('an edit rewrites only the cache shard that holds the edited file', async () => {
  const root = tempDir('shards');
  for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(root, `m${i}.py`), `import os\n\ndef f${i}():\n    return ${i}\n`);
  const cacheDir = tempDir('store');
  await run(root, cacheDir);
  // A shard is written to a new file renamed into place: a rewritten shard has a new inode.
  const shardContents = () => new Map(fs.readdirSync(cacheDir).filter((f) => f.startsWith('facts-')).map((f) => [f, fs.statSync(path.join(cacheDir, f)).ino]));
  const before = shardContents();
  assert.ok(before.size > 4, `40 files spread over several shards (got ${before.size})`);

  fs.writeFileSync(path.join(root, 'm7.py'), 'import sys\n');
  const second = await run(root, cacheDir);
  assert.deepEqual({ hits: second.stats!.hits, misses: second.stats!.misses }, { hits: 39, misses: 1 });
  const after = shardContents();
  assert.deepEqual([...after.keys()].sort(), [...before.keys()].sort());
  const rewritten = [...after].filter(([f, inode]) => inode !== before.get(f)).map(([f]) => f);
  assert.equal(rewritten.length, 1, `one shard rewritten, not ${rewritten.join(', ')}`);

  const third = await run(root, cacheDir);
  assert.deepEqual({ hits: third.stats!.hits, misses: third.stats!.misses }, { hits: 40, misses: 0 });
});

test('new mtimes on the same content (a fresh checkout, a CI cache restore) still hit; the same size with new content does not', async () => {
  const root = copyFixture('config-gunicorn-web-concurrency-dotenv');
  const cacheDir = tempDir('store');
  const first = await run(root, cacheDir);
  const files = first.engine.fileList();
  const everything = [...files, path.join(root, '.env')];
  const later = new Date(Date.now() + 60_000);
  for (const f of everything) fs.utimesSync(f, later, later);

  const second = await run(root, cacheDir);
  assert.deepEqual({ hits: second.stats!.hits, misses: second.stats!.misses }, { hits: files.length, misses: 0 });
  assert.deepEqual(second.findings, first.findings);

  // Same size, other content: the .env's worker count 3 -> 5 (and the Procfile that read it).
  const envFile = path.join(root, '.env');
  const env = fs.readFileSync(envFile, 'utf8');
  assert.match(env, /=3\b/);
  fs.writeFileSync(envFile, env.replace(/=3\b/, '=5'));
  const evenLater = new Date(later.getTime() + 60_000);
  fs.utimesSync(envFile, evenLater, evenLater);
  const third = await run(root, cacheDir);
  assert.equal(third.stats!.misses, 1, 'the Procfile is read again');
  assert.match(third.findings.find((f) => f.rule === 'LF001')?.message ?? '', /active in 5 processes/);
});

/**
 * cross-file-pkg-pool with its RotatingFileHandler made a StreamHandler: no file handler anywhere,
 * so nothing needs the process model and a check never scans pkg/tasks.py. `restore()` puts the
 * handler back.
 */
function poolFixtureWithoutFileHandler() {
  const root = copyFixture('cross-file-pkg-pool');
  const setup = path.join(root, 'pkg', 'log_setup.py');
  const rotating = fs.readFileSync(setup, 'utf8');
  fs.writeFileSync(setup, rotating.replace(/logging\.handlers\.RotatingFileHandler\([^)]*\)/, 'logging.StreamHandler()'));
  return { root, tasks: path.join(root, 'pkg', 'tasks.py'), restore: () => fs.writeFileSync(setup, rotating) };
}

test('a check with a cache puts off line scans too: files put off are stored so, and read when a later run needs their facts', async () => {
  const { root, tasks, restore } = poolFixtureWithoutFileHandler();
  const cacheDir = tempDir('store');
  const check = async (options: { oneShot?: boolean; cacheDir?: string } = { oneShot: true, cacheDir }) => {
    const engine = new AnalysisEngine({ roots: [root], threads: 1, ...options });
    await engine.loadAll();
    const putOffAtLoad = engine.scansPutOff();
    const findings = engine.analyze().findings.map(shown);
    engine.saveCache();
    return { findings, putOffAtLoad, putOffAfter: engine.scansPutOff(), stats: engine.loadStats(), tasksFacts: engine.factsOf(tasks) };
  };
  const first = await check();
  assert.deepEqual(first.findings, []);
  assert.ok(first.putOffAfter.includes(tasks), `pkg/tasks.py put off (${first.putOffAfter.join(', ')})`);

  // The handler is back: the next check reads log_setup.py, takes tasks.py's mark from the cache,
  // and reads tasks.py now, for the chain main.py -> pool.map(process_order) -> configure().
  restore();
  const second = await check();
  assert.equal(second.stats.fromCache, 3);
  assert.ok(second.putOffAtLoad.includes(tasks), 'the cache said tasks.py was put off');
  assert.deepEqual(second.putOffAfter, []);
  const lf001 = second.findings.filter((f) => f.rule === 'LF001');
  assert.deepEqual(lf001.map((f) => `${path.relative(root, f.file)}:${f.line}`), ['pkg/log_setup.py:11']);
  assert.ok(lf001[0].related.some((r) => r.startsWith(`${tasks}:`)), `the chain names tasks.py:\n${lf001[0].related.join('\n')}`);
  assert.deepEqual(second.findings, (await check({ oneShot: true })).findings, 'as a check without a cache finds');
  assert.deepEqual(second.findings, (await check({})).findings, 'as the server finds');

  // The scan the second check made replaced the mark: an editor's server takes tasks.py's facts
  // from the cache as they are.
  const server = await check({ cacheDir });
  assert.deepEqual(server.putOffAtLoad, []);
  assert.deepEqual(server.findings, second.findings);
  assert.ok(server.tasksFacts?.functions.some((f) => f.qualname === 'process_order'));
});

test('an editor\'s server given a cache a check wrote with scans put off reads those files itself', async () => {
  const { root, tasks, restore } = poolFixtureWithoutFileHandler();
  const cacheDir = tempDir('store');
  const check = new AnalysisEngine({ roots: [root], threads: 1, oneShot: true, cacheDir });
  await check.loadAll();
  check.analyze();
  assert.ok(check.scansPutOff().includes(tasks));
  check.saveCache();

  restore();
  const server = new AnalysisEngine({ roots: [root], threads: 1, cacheDir });
  await server.loadAll();
  assert.equal(server.cacheStats()?.hits, 3);
  assert.ok(server.factsOf(tasks)?.functions.some((f) => f.qualname === 'process_order'), 'tasks.py read on demand');
  const fresh = new AnalysisEngine({ roots: [root], threads: 1 });
  await fresh.loadAll();
  assert.deepEqual(server.analyze().findings.map(shown), fresh.analyze().findings.map(shown));
  assert.equal(server.analyze().findings.filter((f) => f.rule === 'LF001').length, 1);
});

test('a check\'s cache written in the background holds every file: the next check reads none and finds the same', async () => {
  const root = copyFixture('cross-file-pkg-pool');
  for (let i = 0; i < 40; i++) fs.writeFileSync(path.join(root, `m${i}.py`), `import os\n\ndef f${i}():\n    return os.getpid() + ${i}\n`);
  const cacheDir = tempDir('store');
  const check = async () => {
    const engine = new AnalysisEngine({ roots: [root], threads: 1, oneShot: true, cacheDir });
    await engine.loadAll();
    const findings = engine.analyze().findings.map(shown);
    await engine.saveCacheInBackground();
    return { findings, stats: engine.loadStats() };
  };
  const first = await check();
  assert.ok(first.findings.some((f) => f.rule === 'LF001'));
  const shards = fs.readdirSync(cacheDir).filter((f) => f.startsWith('facts-'));
  assert.ok(shards.length > 4 && shards.every((f) => f.endsWith('.bin')), `shards renamed into place, no temporary left: ${shards.join(', ')}`);
  const second = await check();
  assert.deepEqual(second.stats, { fromCache: 44, readHere: 0, readInWorkers: 0 });
  assert.deepEqual(second.findings, first.findings);
});
