/**
 * The edits each strategy produces, as text (reviewed like Ruff's fix snapshots), on small
 * in-memory projects; and `logfunnel check --fix` on a copied fixture.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AnalysisEngine } from '../src/workspace/engine';
import { pythonParser } from '../src/python/parser';
import { applyTextEdits, fixesFor, mergeOffers } from '../src/fixes/index';
import type { FixOffer, TextFileEdit } from '../src/fixes/types';

const readIfExists = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);

const REPO = path.resolve(__dirname, '..', '..', '..');

function project(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lf-fixedits-')));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** Offers for every finding of the project (runtime importable: no vendoring). */
async function offers(dir: string): Promise<FixOffer[][]> {
  const engine = new AnalysisEngine({ roots: [dir] });
  await engine.loadAll();
  const result = engine.analyze();
  const parser = await pythonParser();
  const ctx = {
    readText: readIfExists,
    parser,
    program: result.context.program,
    rootOf: () => dir,
    runtime: { importable: true, vendorFiles: () => [] },
  };
  return result.findings.map((f) => fixesFor(f, ctx));
}

function applied(dir: string, offer: FixOffer, file: string): string {
  const edits = offer.edits.filter((e): e is TextFileEdit => !e.create && e.file === path.join(dir, file));
  return applyTextEdits(fs.readFileSync(path.join(dir, file), 'utf8'), edits);
}

const POOL_MAIN = (setup: string) => `import logging
import logging.handlers
import multiprocessing
${setup}

def work(n):
    logging.getLogger().info('n=%d', n)


if __name__ == '__main__':
    with multiprocessing.Pool(2, initializer=init) as pool:
        pool.map(work, range(10))
`;

test('funnel rewrites the qualified class and adds one import after the last import', async () => {
  const dir = project({
    'main.py': POOL_MAIN(`
def init():
    h = logging.handlers.RotatingFileHandler('logs/app.log', maxBytes=100, backupCount=3)  # keep me
    h.setFormatter(logging.Formatter('%(message)s'))
    logging.getLogger().addHandler(h)
`),
  });
  const [list] = await offers(dir);
  const funnel = list.find((o) => o.strategy === 'funnel')!;
  assert.equal(funnel.title, 'logfunnel (LF001): Funnel app.log through one writer');
  assert.equal(funnel.safety, 'safe');
  const text = applied(dir, funnel, 'main.py');
  assert.match(text, /^import multiprocessing\nimport logfunnel\n/m);
  assert.match(text, /h = logfunnel\.RotatingFileHandler\('logs\/app\.log', maxBytes=100, backupCount=3\)  # keep me\n/);
  const locking = list.find((o) => o.strategy === 'locking')!;
  assert.match(applied(dir, locking, 'main.py'), /logfunnel\.LockingRotatingFileHandler\('logs\/app\.log', maxBytes=100, backupCount=3\)/);
});

test('funnel rewrites a one-name from-import in place when every use is a call', async () => {
  const dir = project({
    'main.py': POOL_MAIN(`from logging.handlers import RotatingFileHandler as RFH

def init():
    logging.getLogger().addHandler(RFH('logs/app.log', maxBytes=100))
`),
  });
  const [list] = await offers(dir);
  const text = applied(dir, list.find((o) => o.strategy === 'funnel')!, 'main.py');
  assert.match(text, /^from logfunnel import RotatingFileHandler as RFH$/m);
  assert.match(text, /addHandler\(RFH\('logs\/app\.log', maxBytes=100\)\)/);
  assert.doesNotMatch(text, /^import logfunnel$/m);
});

test('basicConfig(filename=) becomes handlers=[logfunnel.FileHandler(...)] keeping mode and encoding', async () => {
  const dir = project({
    'main.py': `import logging
import os

logging.basicConfig(filename='logs/app.log', filemode='a', level=logging.INFO, encoding='utf-8')

if __name__ == '__main__':
    pid = os.fork()
    logging.info('hello from %d', os.getpid())
`,
  });
  const [list] = await offers(dir);
  const text = applied(dir, list[0], 'main.py');
  assert.match(text, /^logging\.basicConfig\(handlers=\[logfunnel\.FileHandler\('logs\/app\.log', mode='a', encoding='utf-8'\)\], level=logging\.INFO\)$/m);
});

test('config class value in a fileConfig .ini', async () => {
  const ini = `[loggers]
keys=root

[handlers]
keys=file

[formatters]
keys=plain

[logger_root]
level=INFO
handlers=file

[handler_file]
class = handlers.RotatingFileHandler
args = ('logs/app.log', 'a', 1000, 3)
formatter = plain

[formatter_plain]
format = %(message)s
`;
  const dir = project({ 'logging.ini': ini, 'Procfile': 'web: gunicorn -w 4 --log-config logging.ini app:app\n', 'app.py': 'def app(environ, start_response):\n    return []\n' });
  const lists = await offers(dir);
  assert.equal(lists.length, 1);
  const text = applied(dir, lists[0].find((o) => o.strategy === 'funnel')!, 'logging.ini');
  assert.equal(text, ini.replace('class = handlers.RotatingFileHandler', 'class = logfunnel.RotatingFileHandler'));
});

test('LF102: the pool queue becomes a Manager().Queue(); LF105: propagate = False after addHandler', async () => {
  const dir = project({
    'main.py': fs.readFileSync(path.join(REPO, 'test-fixtures/python/lf102-pool-apply-async-ctx-queue/main.py'), 'utf8'),
  });
  const [[lf102]] = await offers(dir);
  assert.match(applied(dir, lf102, 'main.py'), /^    log_queue = ctx\.Manager\(\)\.Queue\(\)$/m);
  const dir2 = project({ 'main.py': fs.readFileSync(path.join(REPO, 'test-fixtures/python/lf105-queue-root-and-child/main.py'), 'utf8') });
  const [[lf105]] = await offers(dir2);
  assert.equal(lf105.safety, 'unsafe');
  assert.match(applied(dir2, lf105, 'main.py'), /db_log\.addHandler\(logging\.handlers\.QueueHandler\(records\)\)  # expect: LF105 warning\ndb_log\.propagate = False\n/);
});

test('Celery --logfile gets %I (framework, unsafe) with the copytruncate note', async () => {
  const src = path.join(REPO, 'test-fixtures/python/config-celery-logfile-shared');
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lf-fixedits-')));
  fs.cpSync(src, dir, { recursive: true });
  const [list] = await offers(dir);
  const fw = list.find((o) => o.strategy === 'framework')!;
  assert.equal(fw.safety, 'unsafe');
  assert.match(fw.note!, /copytruncate/);
  assert.match(applied(dir, fw, 'scripts/worker.sh'), /--logfile=logs\/celery-%I\.log --loglevel=INFO/);
});

test('merging offers: identical edits once, an overlapping offer left out whole', () => {
  const file = '/x/main.py';
  const imp: TextFileEdit = { file, range: { start: { line: 2, character: 0 }, end: { line: 2, character: 0 } }, newText: 'import logfunnel\n' };
  const a: FixOffer = { title: 'a', strategy: 'funnel', safety: 'safe', edits: [imp, { file, range: { start: { line: 5, character: 4 }, end: { line: 5, character: 20 } }, newText: 'A' }] };
  const b: FixOffer = { title: 'b', strategy: 'funnel', safety: 'safe', edits: [imp, { file, range: { start: { line: 9, character: 0 }, end: { line: 9, character: 3 } }, newText: 'B' }] };
  const c: FixOffer = { title: 'c', strategy: 'locking', safety: 'safe', edits: [{ file, range: { start: { line: 5, character: 10 }, end: { line: 5, character: 12 } }, newText: 'C' }] };
  const merged = mergeOffers([a, b, c]);
  assert.deepEqual(merged.taken.map((o) => o.title), ['a', 'b']);
  assert.equal(merged.edits.length, 3);
});

test('logfunnel check --fix applies the safe fixes on disk, vendors the runtime, and exits 0', () => {
  const src = path.join(REPO, 'test-fixtures/python/pool-two-handlers-two-rules');
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lf-fixcli-')));
  fs.cpSync(src, dir, { recursive: true });
  const cli = path.join(__dirname, '..', 'src', 'cli', 'main.js');
  const env = { ...process.env, PYTHONPATH: '' };
  const r = spawnSync(process.execPath, [cli, 'check', '--fix', dir], { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /fixed: logfunnel \(LF002\): Funnel errors\.log through one writer \(funnel, safe\) in main\.py/);
  assert.match(r.stdout, /2 fixes applied, 0 findings left/);
  assert.ok(fs.existsSync(path.join(dir, 'logfunnel', '__init__.py')), 'the runtime was vendored');
  const again = spawnSync(process.execPath, [cli, 'check', '--fix', dir], { encoding: 'utf8', env });
  assert.equal(again.status, 0);
  assert.match(again.stdout, /0 fixes applied, 0 findings left/);
  const bad = spawnSync(process.execPath, [cli, 'check', '--fix=nonsense', dir], { encoding: 'utf8' });
  assert.equal(bad.status, 2);
});

test('LF103 across modules: the worker takes the queue, a start file without the module gets its import, a start in the module passes the bare name', async () => {
  const worker = `import logging
import logging.handlers

import logqueue


def index_shard(n):
    logging.getLogger().addHandler(logging.handlers.QueueHandler(logqueue.log_queue))
    logging.info('shard %d', n)
`;
  const dir = project({
    'logqueue.py': `import multiprocessing

log_queue = None


def start_more():
    return multiprocessing.get_context('spawn').Process(target=index_shard, args=(9,))


from worker import index_shard

if __name__ == '__main__':
    start_more().start()
`,
    'worker.py': worker,
    'launcher.py': `import multiprocessing

from worker import index_shard


def launch():
    return [multiprocessing.get_context('spawn').Process(target=index_shard, args=(n,)) for n in range(3)]


if __name__ == '__main__':
    for p in launch():
        p.start()
`,
  });
  const all = await offers(dir);
  assert.equal(all.length, 1);
  const fix = all[0].find((o) => o.strategy === 'rule')!;
  assert.equal(fix.title, 'logfunnel (LF103): Pass the log queue to the child explicitly');
  assert.equal(fix.safety, 'unsafe');
  assert.match(applied(dir, fix, 'worker.py'), /def index_shard\(n, log_queue\):\n {4}logging\.getLogger\(\)\.addHandler\(logging\.handlers\.QueueHandler\(log_queue\)\)\n/);
  assert.match(applied(dir, fix, 'launcher.py'), /^import multiprocessing\n\nfrom worker import index_shard\nimport logqueue\n/);
  assert.match(applied(dir, fix, 'launcher.py'), /Process\(target=index_shard, args=\(n, logqueue\.log_queue\)\)/);
  assert.match(applied(dir, fix, 'logqueue.py'), /Process\(target=index_shard, args=\(9, log_queue\)\)/);

  // Called directly somewhere else: that caller would miss the new argument, so no fix.
  fs.writeFileSync(path.join(dir, 'direct.py'), 'from worker import index_shard\n\n\ndef once():\n    index_shard(0)\n');
  const [again] = await offers(dir);
  assert.equal(again.find((o) => o.strategy === 'rule'), undefined);
  // Called in its own file: no fix either.
  fs.rmSync(path.join(dir, 'direct.py'));
  fs.writeFileSync(path.join(dir, 'worker.py'), `${worker}\n\ndef once():\n    index_shard(0)\n`);
  const [local] = await offers(dir);
  assert.equal(local.find((o) => o.strategy === 'rule'), undefined);
  fs.writeFileSync(path.join(dir, 'worker.py'), worker);
  // Run as a pool task too (one argument from the iterable): no fix either.
  fs.writeFileSync(path.join(dir, 'direct.py'), 'import multiprocessing\n\nfrom worker import index_shard\n\nif __name__ == "__main__":\n    with multiprocessing.Pool(2) as pool:\n        pool.map(index_shard, range(4))\n');
  const [pooled] = await offers(dir);
  assert.equal(pooled.find((o) => o.strategy === 'rule'), undefined);
  // A start in a file that does not parse (half-typed): its edit could land anywhere, so no fix.
  fs.rmSync(path.join(dir, 'direct.py'));
  const launcher = fs.readFileSync(path.join(dir, 'launcher.py'), 'utf8');
  fs.writeFileSync(path.join(dir, 'launcher.py'), `${launcher}\n\ndef half_typed(:\n`);
  const broken = await offers(dir);
  assert.equal(broken.length, 1, 'the finding stays');
  assert.equal(broken[0].find((o) => o.strategy === 'rule'), undefined);
  fs.writeFileSync(path.join(dir, 'launcher.py'), launcher);
  assert.ok((await offers(dir))[0].find((o) => o.strategy === 'rule'), 'fixable again once it parses');
});

const LF106_MAIN = (block: string) => `import logging
import logging.handlers
import multiprocessing


def work(n):
    logging.getLogger().info('n=%d', n)


def run(items):
    log_queue = multiprocessing.Queue()
    listener = logging.handlers.QueueListener(log_queue, logging.FileHandler('app.log'))
    listener.start()
    with multiprocessing.Pool(2) as pool:
${block}
    listener.stop()
`;

test('LF106: close() and join() end the with block; safe after map, unsafe after apply_async, declined on an early return', async () => {
  const lf106 = async (block: string) => {
    const dir = project({ 'main.py': LF106_MAIN(block) });
    const engine = new AnalysisEngine({ roots: [dir] });
    await engine.loadAll();
    assert.deepEqual(engine.analyze().findings.map((f) => `${f.rule}:${f.span.start.line + 1}`), ['LF106:14'], block);
    const found = (await offers(dir)).flat().filter((o) => o.title.startsWith('logfunnel (LF106)'));
    return { dir, found };
  };
  const mapped = await lf106('        for chunk in (range(5), range(5, 10)):\n            if not chunk:\n                break\n            pool.map(work, chunk)');
  assert.equal(mapped.found.length, 1, 'a break of a loop inside the block does not leave it');
  assert.equal(mapped.found[0].safety, 'safe');
  const fixedText = applied(mapped.dir, mapped.found[0], 'main.py');
  assert.match(fixedText, /            pool\.map\(work, chunk\)\n        pool\.close\(\)\n        pool\.join\(\)\n    listener\.stop\(\)\n/);
  // The fixed text has no LF106 left (idempotent), and parses.
  fs.writeFileSync(path.join(mapped.dir, 'main.py'), fixedText);
  assert.deepEqual((await offers(mapped.dir)).flat().filter((o) => o.title.startsWith('logfunnel (LF106)')), []);

  const pending = await lf106('        results = [pool.apply_async(work, (n,)) for n in range(10)]');
  assert.equal(pending.found.length, 1);
  assert.equal(pending.found[0].safety, 'unsafe', 'join now waits for tasks terminate() would have cancelled');

  const early = await lf106('        if not items:\n            return\n        pool.map(work, items)');
  assert.deepEqual(early.found, [], 'a return inside the block would skip the join: no fix');

  // A SimpleQueue has no feeder thread (put writes the pipe itself): nothing is left to flush.
  const simple = project({ 'main.py': LF106_MAIN('        pool.map(work, items)').replace('multiprocessing.Queue()', 'multiprocessing.SimpleQueue()') });
  const engine = new AnalysisEngine({ roots: [simple] });
  await engine.loadAll();
  assert.deepEqual(engine.analyze().findings.map((f) => f.rule), []);
});
