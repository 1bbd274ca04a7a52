/**
 * The stdlib queue strategy and the LF103/LF104 fixes, in-process: the exact edit, re-parse,
 * the analysis afterwards, the fixed program run with python3 under fork AND spawn with every
 * record counted back. (fixes.test.ts runs the queue strategy over every fixture through the
 * language server; this file pins what the edit looks like and the spawn case.)
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisEngine } from '../src/workspace/engine';
import { pythonParser } from '../src/python/parser';
import { applyTextEdits, fixesFor } from '../src/fixes/index';
import type { FixOffer, FixStrategy, TextFileEdit } from '../src/fixes/types';

const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(REPO, 'test-fixtures', 'python');
const readIfExists = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);

function copyFixture(name: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `lf-queuefix-${name}-`)));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true, filter: (p) => !/(^|\/)(logs|__pycache__)(\/|$)/.test(p.slice(FIXTURES.length)) });
  return dir;
}

async function analyse(dir: string) {
  const engine = new AnalysisEngine({ roots: [dir] });
  await engine.loadAll();
  return engine.analyze();
}

/** The offer of `strategy` (matching `title`) for the first finding that has one. */
async function offerFor(dir: string, strategy: FixStrategy, title = /./): Promise<FixOffer | undefined> {
  const parser = await pythonParser();
  const result = await analyse(dir);
  const ctx = { readText: readIfExists, parser, program: result.context.program, rootOf: () => dir, runtime: { importable: true, vendorFiles: () => [] } };
  for (const f of result.findings) {
    const offer = fixesFor(f, ctx).find((o) => o.strategy === strategy && title.test(o.title));
    if (offer) return offer;
  }
  return undefined;
}

/** Applies the offer to disk; returns the new text of `main.py`. Every edited file must parse. */
async function apply(dir: string, offer: FixOffer): Promise<string> {
  const parser = await pythonParser();
  const files = new Set(offer.edits.map((e) => e.file));
  for (const file of files) {
    const edits = offer.edits.filter((e): e is TextFileEdit => !e.create && e.file === file);
    const text = applyTextEdits(fs.readFileSync(file, 'utf8'), edits);
    fs.writeFileSync(file, text);
    const tree = parser.parse(text)!;
    try {
      assert.equal(tree.rootNode.hasError, false, `${file} does not parse after the fix:\n${text}`);
    } finally {
      tree.delete();
    }
  }
  return fs.readFileSync(path.join(dir, 'main.py'), 'utf8');
}

/** Runs main.py with the start method forced to `method`; returns the lines under logs/ matching `prefix*`. */
function run(dir: string, method: 'fork' | 'spawn', prefix: string): string[] {
  fs.rmSync(path.join(dir, 'logs'), { recursive: true, force: true });
  const boot = `import multiprocessing, runpy, sys\nmultiprocessing.set_start_method('${method}')\nsys.argv = ['main.py']\nrunpy.run_path('main.py', run_name='__main__')\n`;
  const r = spawnSync('python3', ['-c', boot], { cwd: dir, encoding: 'utf8', timeout: 120000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } });
  assert.equal(r.status, 0, `the fixed program failed under ${method}:\n${r.stderr}`);
  assert.doesNotMatch(r.stderr, /Logging error/, r.stderr);
  const logs = path.join(dir, 'logs');
  return fs.readdirSync(logs).filter((f) => f.startsWith(prefix)).flatMap((f) => fs.readFileSync(path.join(logs, f), 'utf8').split('\n').filter(Boolean));
}

test('queue fix, Pool task creating the handler: QueueHandler in the workers, the original handler in one QueueListener', async () => {
  const dir = copyFixture('pool-task-rotating');
  try {
    const offer = await offerFor(dir, 'queue');
    assert.ok(offer, 'a queue fix is offered');
    assert.equal(offer.safety, 'unsafe');
    assert.equal(offer.title, 'logfunnel (LF001): Write app.log from one QueueListener (stdlib queue)');
    const text = await apply(dir, offer);
    // The worker's handler is the module's QueueHandler; its formatter line stays and applies to it.
    assert.match(text, /^        handler = _log_queue_handler {2}# expect: LF001 warning$/m);
    assert.match(text, /^        handler\.setFormatter\(logging\.Formatter\('%\(asctime\)s %\(process\)d %\(message\)s'\)\)$/m);
    // The parent owns the original handler, its arguments as written, and stops it at exit.
    assert.match(text, /^    _log_listener = logging\.handlers\.QueueListener\(multiprocessing\.Manager\(\)\.Queue\(\), logging\.handlers\.RotatingFileHandler\('logs\/app\.log', maxBytes=16 \* 1024, backupCount=50\)\)$/m);
    assert.match(text, /^    atexit\.register\(_log_listener\.stop\)$/m);
    // The queue reaches the workers as an initializer argument (works under spawn).
    assert.match(text, /^    with multiprocessing\.Pool\(4, initializer=_log_through_queue, initargs=\(_log_listener\.queue,\)\) as pool:$/m);
    assert.deepEqual((await analyse(dir)).findings, [], 'nothing is reported after the fix');
    assert.equal(await offerFor(dir, 'queue'), undefined, 'applying again changes nothing');
    for (const method of ['fork', 'spawn'] as const) {
      const lines = run(dir, method, 'app.log');
      assert.equal(lines.length, 800, `${method}: every record once`);
      assert.equal(new Set(lines.map((l) => l.replace(/^\S+ \S+ \d+ /, ''))).size, 800, `${method}: no duplicate`);
      // Formatted once, in the worker: `<date> <time> <pid> task ...`, never a second prefix.
      for (const l of lines) assert.match(l, /^\d{4}-\d\d-\d\d \S+ \d+ task \d+ step \d+ total \d+$/);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('queue fix, an existing initializer is chained through a wrapper that calls it by name', async () => {
  const dir = copyFixture('pool-initializer-timed-rotating');
  try {
    const offer = await offerFor(dir, 'queue');
    assert.ok(offer);
    const text = await apply(dir, offer);
    assert.match(text, /^def _init_worker_with_log_queue\(log_queue, \*args, \*\*kwargs\):\n(.*\n)    _log_through_queue\(log_queue\)\n    return init_worker\(\*args, \*\*kwargs\)$/m);
    assert.match(text, /^    pool = Pool\(initializer=_init_worker_with_log_queue, initargs=\(_log_listener\.queue,\)\)  # related: LF001$/m);
    assert.match(text, /QueueListener\(multiprocessing\.Manager\(\)\.Queue\(\), TimedRotatingFileHandler\('logs\/jobs\.log', when='midnight', backupCount=7\)\)/);
    assert.match(text, /^import logging\.handlers$/m, 'QueueHandler needs logging.handlers imported');
    assert.deepEqual((await analyse(dir)).findings, []);
    for (const method of ['fork', 'spawn'] as const) assert.equal(run(dir, method, 'jobs.log').length, 400, method);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('queue fix is not offered where the file creates a second shared file handler (one listener per file)', async () => {
  const dir = copyFixture('pool-two-handlers-two-rules');
  try {
    assert.equal(await offerFor(dir, 'queue'), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('queue fix, module-level handler and Process children: the target is wrapped, args keep their order', async () => {
  const dir = copyFixture('module-level-rotating-process-loop');
  try {
    const offer = await offerFor(dir, 'queue');
    assert.ok(offer);
    const text = await apply(dir, offer);
    assert.match(text, /^_handler = _log_queue_handler {2}# expect: LF001 warning$/m);
    assert.match(text, /multiprocessing\.Process\(target=_serve_with_log_queue, args=\(_log_listener\.queue, shard\)\)/);
    assert.deepEqual((await analyse(dir)).findings, []);
    for (const method of ['fork', 'spawn'] as const) {
      const lines = run(dir, method, 'service.log');
      assert.equal(lines.length, 802, `${method}: 4 x 200 worker records and the parent's 2`);
      assert.equal(lines.filter((l) => /starting shards|all shards done/.test(l)).length, 2);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('queue fix is not offered when the handler and the start are in different files', async () => {
  const dir = copyFixture('executor-submit-rotating');
  try {
    assert.equal(await offerFor(dir, 'queue'), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('LF103 fix: the child takes the queue as a parameter and the start passes it; works under spawn', async () => {
  for (const [name, log, records, start] of [
    ['lf103-global-queue-process', 'global-queue.log', 600, /Process\(target=worker, args=\(n, log_queue\)\)/],
    ['lf103-pool-initializer-global-queue', 'classify.log', 300, /Pool\(3, initializer=init_worker, initargs=\(LOG_QUEUE,\)\)/],
  ] as const) {
    const dir = copyFixture(name);
    try {
      const offer = await offerFor(dir, 'rule', /LF103/);
      assert.ok(offer, `${name}: an LF103 fix`);
      const text = await apply(dir, offer);
      assert.match(text, start);
      assert.match(text, /^def (worker\(n, log_queue\)|init_worker\(LOG_QUEUE\)):$/m);
      assert.deepEqual((await analyse(dir)).findings, [], `${name}: nothing reported after the fix`);
      // Before the fix, spawn children logged nowhere; now every record arrives.
      assert.equal(run(dir, 'spawn', log).length, records, `${name} under spawn`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});

test('LF104 fix: seed 004 daemon waits for its children before re-exec, as the ok- fixture does', async () => {
  const dir = copyFixture('seed004-daemon-reexec');
  try {
    const offer = await offerFor(dir, 'rule', /LF104/);
    assert.ok(offer);
    const text = await apply(dir, offer);
    assert.match(text, /^    for child in multiprocessing\.active_children\(\):\n        child\.join\(\)\n    logging\.shutdown\(\)\n    os\.execl\(python, python, \*sys\.argv\)/m);
    assert.deepEqual((await analyse(dir)).findings, []);
    // The expected counts of the fixed (ok-) version of the same program.
    const expected = fs.readFileSync(path.join(FIXTURES, 'ok-seed004-daemon-restart-stops-children', 'RECORDS'), 'utf8');
    run(dir, 'fork', 'feature');
    for (const line of expected.split('\n')) {
      const m = /^logs\/(\S+?)\*?\s+(\d+)/.exec(line);
      if (!m) continue;
      const lines = fs.readdirSync(path.join(dir, 'logs')).filter((f) => f.startsWith(m[1])).flatMap((f) => fs.readFileSync(path.join(dir, 'logs', f), 'utf8').split('\n').filter(Boolean));
      assert.equal(lines.length, Number(m[2]), m[1]);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
