/**
 * Incremental analysis gives what a fresh analysis gives. One engine takes a sequence of
 * editor edits (comment lines inserted and removed, code moved down, whitespace, a literal
 * changed, a handler line deleted) through `update()`; after each, its findings — rule, every
 * position, message, related evidence — must equal those of a new engine reading the same text
 * from disk. Edits that only move code take the engine's shortcut (spans moved in place, no
 * re-link); edits that change facts take the re-link path; both are checked the same way.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { AnalysisEngine, AnalysisResult } from '../src/workspace/engine';
import { copyFixture, tempDir } from './tempTrees';

const shown = (r: AnalysisResult) => ({
  findings: r.findings.map((f) => ({
    rule: f.rule,
    severity: f.severity,
    span: f.span,
    message: f.message,
    related: f.related.map((x) => ({ span: x.span, message: x.message })),
  })),
  problems: r.problems,
});

/** What a new engine finds once `file` holds `text` on disk. */
async function freshAnalysis(dir: string, file: string, text: string): Promise<ReturnType<typeof shown>> {
  fs.writeFileSync(file, text);
  const fresh = new AnalysisEngine({ roots: [dir], threads: 1 });
  await fresh.loadAll();
  return shown(fresh.analyze());
}

/** A small deterministic generator, so a failure names an edit sequence that can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function insertLine(lines: string[], at: number, text: string): string[] {
  return [...lines.slice(0, at), text, ...lines.slice(at)];
}

function editSequence(lines0: string[], rnd: () => number): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  let lines = lines0;
  const at = () => Math.floor(rnd() * (lines.length + 1));
  const push = (name: string) => out.push({ name, text: lines.join('\n') });
  lines = insertLine(lines, at(), '# a comment line');
  push('comment line inserted');
  lines = insertLine(lines, 0, '');
  push('blank line at the top (everything moves down)');
  const i = Math.floor(rnd() * lines.length);
  lines = lines.map((l, k) => (k === i ? `${l}   ` : l));
  push('trailing spaces on one line');
  lines = lines.slice(1);
  push('blank line removed again');
  const literal = lines.findIndex((l) => /\b\d+\b/.test(l) && !l.trimStart().startsWith('#'));
  if (literal !== -1) {
    lines = lines.map((l, k) => (k === literal ? l.replace(/\b(\d+)\b/, (d) => String(Number(d) + 1)) : l));
    push('an integer literal changed');
  }
  lines = insertLine(lines, at(), 'def added_later():\n    return 1\n');
  push('a function added');
  const handler = lines.findIndex((l) => /Handler\(|basicConfig\(/.test(l) && !l.trimStart().startsWith('#'));
  if (handler !== -1) {
    const indent = /^\s*/.exec(lines[handler])![0];
    lines = lines.map((l, k) => (k === handler ? `${indent}pass  # handler removed` : l));
    push('the handler line replaced by pass');
  }
  lines = lines0;
  push('back to the original text');
  return out;
}

const CASES = [
  'pool-task-rotating',
  'cross-file-pkg-pool',
  'fork-basicconfig-filename',
  'billiard-pool-rotating',
  'executor-submit-rotating',
  'module-level-rotating-process-loop',
  'lf101-logging-config-listen',
  'lf101-unpickle-helper-makefile',
  'ok-handler-removed-before-pool',
  'ok-initializer-swaps-file-handler-for-queue',
  'lf103-pool-initializer-global-queue',
  'ok-pool-one-worker',
  'config-gunicorn-web-concurrency-dotenv',
];

for (const [n, name] of CASES.entries()) {
  test(`incremental = fresh analysis after each edit: ${name}`, async () => {
    const dir = copyFixture(name);
    const incremental = new AnalysisEngine({ roots: [dir], keepTrees: true, threads: 1 });
    await incremental.loadAll();
    incremental.analyze();
    const pythonFiles = incremental.fileList().filter((f) => f.endsWith('.py')).sort();
    // The file with the most handler or process code is the one edited.
    const score = (f: string) => (fs.readFileSync(f, 'utf8').match(/Handler|Process|Pool|fork|Executor|listen|basicConfig/g) ?? []).length;
    const file = pythonFiles.sort((a, b) => score(b) - score(a))[0];
    const original = fs.readFileSync(file, 'utf8');
    for (const edit of editSequence(original.split('\n'), random(1000 + n))) {
      incremental.update(file, edit.text);
      const got = shown(incremental.analyze());
      fs.writeFileSync(file, edit.text);
      const fresh = new AnalysisEngine({ roots: [dir], threads: 1 });
      await fresh.loadAll();
      assert.deepEqual(got, shown(fresh.analyze()), `after "${edit.name}" in ${path.relative(dir, file)}`);
    }
  });
}

test('an edit that changes no fact reuses the last result; one that moves code moves the findings', async () => {
  const dir = copyFixture('pool-task-rotating');
  const engine = new AnalysisEngine({ roots: [dir], keepTrees: true, threads: 1 });
  await engine.loadAll();
  const before = engine.analyze();
  const file = path.join(dir, 'main.py');
  const text = fs.readFileSync(file, 'utf8');
  const line = before.findings.find((f) => f.rule === 'LF001')!.span.start.line;
  engine.update(file, `# moved\n${text}`);
  const moved = engine.analyze();
  assert.equal(moved.findings.find((f) => f.rule === 'LF001')!.span.start.line, line + 1);
  engine.update(file, `# Moved\n${text}`);
  assert.equal(engine.analyze().findings, moved.findings, 'a comment changed in place: the previous findings stand');
});

/** A Pool whose task passes a path to a function that builds the handler, and builds a workspace subclass. */
const ARGUMENTS_MAIN = `import logging
import logging.handlers
import os
from multiprocessing import Pool


class SizeRotating(logging.handlers.RotatingFileHandler):
    pass


def setup(path):
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1000)
    logging.getLogger().addHandler(handler)


def work(n):
    setup(f"app-{os.getpid()}.log")
    logging.getLogger().addHandler(SizeRotating(f"other-{os.getpid()}.log"))
    logging.info("%d", n)
    return n


if __name__ == "__main__":
    with Pool(4) as pool:
        pool.map(work, range(10))
`;

test("a call's arguments edited: the models stand for a function's call, not for a workspace class's", async () => {
  const dir = tempDir('incr-arguments');
  const file = path.join(dir, 'main.py');
  fs.writeFileSync(file, ARGUMENTS_MAIN);
  const engine = new AnalysisEngine({ roots: [dir], keepTrees: true, threads: 1 });
  await engine.loadAll();
  engine.update(file, ARGUMENTS_MAIN);
  const before = engine.analyze();
  const freshFor = (text: string) => freshAnalysis(dir, file, text);

  // setup() is a workspace function: its argument is read by the rules only (the path followed
  // back from the parameter), so the edit is made in place and the models are kept.
  const literalPath = ARGUMENTS_MAIN.replace('setup(f"app-{os.getpid()}.log")', 'setup("app.log")');
  engine.update(file, literalPath);
  const afterFunctionCall = engine.analyze();
  assert.equal(afterFunctionCall.context.models, before.context.models, 'the models were kept');
  assert.match(afterFunctionCall.findings.find((f) => f.span.start.line === 11)!.message, /on 'app\.log'/);
  assert.deepEqual(shown(afterFunctionCall), await freshFor(literalPath));

  // SizeRotating is a workspace subclass of a handler class: the handler site built from its
  // call holds the path, so the program is linked again.
  const sharedSubclassPath = literalPath.replace('SizeRotating(f"other-{os.getpid()}.log")', 'SizeRotating("other.log")');
  engine.update(file, sharedSubclassPath);
  const afterClassCall = engine.analyze();
  assert.notEqual(afterClassCall.context.models, afterFunctionCall.context.models, 'the models were built again');
  assert.ok(afterClassCall.findings.some((f) => f.rule === 'LF001' && /SizeRotating on 'other\.log'/.test(f.message)));
  assert.deepEqual(shown(afterClassCall), await freshFor(sharedSubclassPath));
});

test('an edit to the caller decides LF101 in the unchanged helper that unpickles (the trace crosses statements)', async () => {
  const dir = copyFixture('lf101-unpickle-helper-makefile');
  const file = path.join(dir, 'main.py');
  const original = fs.readFileSync(file, 'utf8');
  const engine = new AnalysisEngine({ roots: [dir], keepTrees: true, threads: 1 });
  await engine.loadAll();
  engine.update(file, original);
  const lf101Lines = (r: AnalysisResult) => r.findings.filter((f) => f.rule === 'LF101').map((f) => f.span.start.line + 1);
  assert.deepEqual(lf101Lines(engine.analyze()), [14]);
  const freshFor = (text: string) => freshAnalysis(dir, file, text);

  // Only serve() changes: decode() (another top-level statement, not walked again) no longer
  // gets bytes from the connection.
  const fromMemory = original.replace('attrs = decode(stream.read(size))', 'attrs = decode(pickle.dumps({"msg": received}))');
  assert.notEqual(fromMemory, original);
  engine.update(file, fromMemory);
  const after = engine.analyze();
  assert.deepEqual(lf101Lines(after), []);
  assert.deepEqual(shown(after), await freshFor(fromMemory));

  engine.update(file, original);
  const back = engine.analyze();
  assert.deepEqual(lf101Lines(back), [14]);
  assert.deepEqual(shown(back), await freshFor(original));
});
