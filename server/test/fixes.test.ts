/**
 * Every fixture with a finding, fixed through the real language server and then run.
 *
 * For each strategy offered for a fixture (computed in-process first, to know what to ask
 * for): copy the fixture to a temp dir, start the server on it, and repeatedly take a published
 * diagnostic, ask `textDocument/codeAction`, apply the action of that strategy as a client
 * would (CreateFile + TextDocumentEdits, then watched-file events), until none is offered.
 * Then: every edited Python file parses without errors, every edited log config loads with
 * `logging.config`, the fixed findings are gone and no new one appeared (in-process analysis
 * and the server agree), a stale diagnostic gets no action, and the fixed program, run with
 * python3, writes exactly the fixture's RECORDS count: nothing lost, nothing duplicated.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { AnalysisEngine } from '../src/workspace/engine';
import { pythonParser } from '../src/python/parser';
import { fixesFor } from '../src/fixes/index';
import type { FixStrategy } from '../src/fixes/types';
import { listFixtures, readExpectations } from './fixtureExpectations';
import { FixTestClient, LspDiagnostic } from './fixClient';

const readIfExists = (file: string) => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);

const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURES = path.join(REPO, 'test-fixtures', 'python');
const RUNTIME = path.join(REPO, 'runtime', 'python');
const ONLY = process.env.LOGFUNNEL_FIX_FIXTURES?.split(',');

interface Published {
  uri: string;
  diagnostic: LspDiagnostic;
}

const key = (uri: string, d: { code: string; range: { start: { line: number } } }) => `${uri}:${d.range.start.line + 1}:${d.code}`;

async function analyse(dir: string) {
  const engine = new AnalysisEngine({ roots: [dir] });
  await engine.loadAll();
  return engine.analyze();
}

/** The strategies the fixes module offers for a fixture's findings (to know what to test). */
async function offeredStrategies(dir: string): Promise<FixStrategy[]> {
  const parser = await pythonParser();
  const result = await analyse(dir);
  const found = new Set<FixStrategy>();
  for (const f of result.findings) {
    const ctx = { readText: readIfExists, parser, program: result.context.program, rootOf: () => dir };
    for (const o of fixesFor(f, ctx)) found.add(o.strategy);
  }
  return [...found];
}

function copyFixture(src: string): string {
  const dest = fs.mkdtempSync(path.join(os.tmpdir(), `lf-fix-${path.basename(src)}-`));
  fs.cpSync(src, dest, { recursive: true, filter: (p) => !/(^|\/)(logs|__pycache__)(\/|$)/.test(path.relative(src, p)) });
  return fs.realpathSync(dest);
}

function allPublished(client: FixTestClient): Published[] {
  const out: Published[] = [];
  for (const p of client.published.values()) for (const d of p.diagnostics) out.push({ uri: p.uri, diagnostic: d as unknown as LspDiagnostic });
  return out;
}

/** Waits until the server's diagnostics are exactly what an in-process analysis finds now. */
async function settle(client: FixTestClient, engine: AnalysisEngine, written: Iterable<string> = []): Promise<Set<string>> {
  for (const file of written) if (engine.isAnalysable(file)) engine.readFromDisk(file);
  const result = engine.analyze();
  const wanted = new Set(result.findings.map((f) => key(URI.file(f.span.file).toString(), { code: f.rule, range: { start: f.span.start } })));
  const matches = () => {
    const have = new Set(allPublished(client).map((p) => key(p.uri, p.diagnostic)));
    return have.size === wanted.size && [...wanted].every((k) => have.has(k));
  };
  const deadline = Date.now() + 30000;
  while (!matches()) {
    if (Date.now() > deadline) throw new Error(`server diagnostics never matched ${[...wanted].join(', ')}; have ${allPublished(client).map((p) => key(p.uri, p.diagnostic)).join(', ')}\n${client.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return wanted;
}

function checkPython(file: string, parser: Awaited<ReturnType<typeof pythonParser>>) {
  const tree = parser.parse(fs.readFileSync(file, 'utf8'))!;
  try {
    assert.equal(tree.rootNode.hasError, false, `${file} does not parse after the fix:\n${fs.readFileSync(file, 'utf8')}`);
  } finally {
    tree.delete();
  }
}

const LOAD_CONFIG = `
import json, logging.config, os, sys
path = sys.argv[1]
os.makedirs('logs', exist_ok=True)
if path.endswith(('.ini', '.cfg', '.conf')):
    logging.config.fileConfig(path, disable_existing_loggers=False)
else:
    if path.endswith('.json'):
        config = json.load(open(path))
    elif path.endswith(('.yaml', '.yml')):
        import yaml
        config = yaml.safe_load(open(path))
    else:
        import tomllib
        config = tomllib.load(open(path, 'rb'))
    logging.config.dictConfig(config)
classes = sorted({type(h).__module__ + '.' + type(h).__name__ for r in [logging.getLogger()] + [logging.getLogger(n) for n in logging.root.manager.loggerDict] for h in getattr(r, 'handlers', [])})
print(' '.join(classes))
logging.shutdown()
`;

function pythonEnv(dir: string): NodeJS.ProcessEnv {
  // The vendored copy when the fix added one, else the runtime from the source tree.
  const vendored = fs.existsSync(path.join(dir, 'logfunnel', '__init__.py'));
  return { ...process.env, PYTHONPATH: vendored ? dir : RUNTIME, PYTHONDONTWRITEBYTECODE: '1' };
}

function checkConfig(file: string, dir: string, strategy: FixStrategy) {
  // A config naming a file outside the project (`/data/logs/...` of a container) is not loaded here.
  if (/"filename": "\//.test(fs.readFileSync(file, 'utf8'))) return;
  const r = spawnSync('python3', ['-c', LOAD_CONFIG, file], { cwd: dir, env: pythonEnv(dir), encoding: 'utf8', timeout: 30000 });
  assert.equal(r.status, 0, `logging.config cannot load ${file}:\n${r.stderr}`);
  if (strategy !== 'server') assert.match(r.stdout, /logfunnel\./, `${file} loads no logfunnel handler: ${r.stdout}`);
}

/** The fixture's RECORDS: each log file (a glob) and how many records the program writes there. */
function expectedRecords(dir: string): { glob: string; count: number }[] {
  const out: { glob: string; count: number }[] = [];
  for (const line of fs.readFileSync(path.join(dir, 'RECORDS'), 'utf8').split('\n')) {
    const m = /^(\S+)\s+(\d+)/.exec(line.trim());
    if (m) out.push({ glob: m[1], count: Number(m[2]) });
  }
  return out;
}

/** Lines in the files matching `glob` (relative; `*` only in the last part). */
function countLines(dir: string, glob: string): number {
  const folder = path.join(dir, path.dirname(glob));
  const pattern = new RegExp('^' + path.basename(glob).replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*') + '$');
  if (!fs.existsSync(folder)) return 0;
  let n = 0;
  for (const f of fs.readdirSync(folder)) {
    if (!pattern.test(f)) continue;
    const text = fs.readFileSync(path.join(folder, f), 'utf8');
    n += text.split('\n').filter((l) => l.length > 0).length;
  }
  return n;
}

/**
 * Runs the entry in its own process group, output to a file (a process left behind by the
 * program must not keep the test waiting on a pipe); whatever is left of the group once the
 * entry exits is killed.
 */
function runProgram(dir: string): Promise<{ code: number | null; output: string }> {
  const entry = fs.existsSync(path.join(dir, 'ENTRY')) ? fs.readFileSync(path.join(dir, 'ENTRY'), 'utf8').trim() : 'main.py';
  const outFile = path.join(dir, '.run-output');
  const fd = fs.openSync(outFile, 'w');
  return new Promise((resolve) => {
    const child = spawn('python3', [entry], { cwd: dir, env: pythonEnv(dir), stdio: ['ignore', fd, fd], detached: true });
    fs.closeSync(fd);
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* the group is gone */
      }
    };
    const timer = setTimeout(killGroup, 60000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, output: fs.readFileSync(outFile, 'utf8') });
    });
  });
}

const trace = (msg: string) => {
  if (process.env.LOGFUNNEL_FIX_TRACE) process.stderr.write(`${new Date().toISOString().slice(14, 23)} ${msg}\n`);
};

/** The generated server config's server runs for one program at a time (it has a fixed port). */
let serverTurn: Promise<unknown> = Promise.resolve();

async function withLogServer<T>(dir: string, written: Set<string>, body: () => Promise<T>): Promise<T> {
  const config = [...written].find((f) => path.basename(f) === 'logfunnel-server.json');
  assert.ok(config, 'the server fix generated no logfunnel-server.json');
  const turn = serverTurn.then(async () => {
    const ready = path.join(dir, '.server-ready');
    const server = spawn('python3', ['-m', 'logfunnel.server', '--config', config, '--ready-file', ready], { cwd: dir, env: { ...process.env, PYTHONPATH: RUNTIME }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => server.on('close', (code) => resolve(code)));
    try {
      for (let i = 0; !fs.existsSync(ready); i++) {
        if (server.exitCode !== null || i > 600) throw new Error(`log server did not start:\n${stderr}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return await body();
    } finally {
      server.kill('SIGTERM'); // a clean shutdown flushes everything it received
      assert.equal(await exited, 0, `log server exit:\n${stderr}`);
    }
  });
  serverTurn = turn.catch(() => undefined);
  return turn;
}

/** What the runs counted, for the summary line. */
const tally = { fixed: 0, ran: 0, records: 0 };

async function fixAndRun(fixture: string, strategy: FixStrategy): Promise<void> {
  const parser = await pythonParser();
  const dir = copyFixture(fixture);
  const client = new FixTestClient();
  try {
    await client.initializeForFixes(dir);
    trace('init');
    const engine = new AnalysisEngine({ roots: [dir] });
    await engine.loadAll();
    const original = await settle(client, engine);
    trace('settled');
    const before = allPublished(client);
    const fixed = new Set<string>();
    let lastWritten: string[] = [];
    const written = new Set<string>();
    for (let round = 0; round < 10; round++) {
      let applied = false;
      for (const { uri, diagnostic } of allPublished(client)) {
        const actions = await client.codeActions(uri, [diagnostic], ['quickfix']);
        const action = actions.find((a) => a.data?.strategy === strategy);
        if (!action) continue;
        assert.equal(action.kind, 'quickfix');
        assert.match(action.title, new RegExp(`^logfunnel \\(${diagnostic.code}\\): `));
        const changed = await client.applyEdit(action);
        for (const f of changed) written.add(f);
        lastWritten = changed;
        fixed.add(key(uri, diagnostic));
        trace('applied');
        applied = true;
        break;
      }
      if (!applied) break;
      await settle(client, engine, lastWritten);
      trace('resettled');
    }
    assert.ok(fixed.size > 0, `no ${strategy} fix was applied`);
    tally.fixed += fixed.size;
    const now = await settle(client, engine);
    for (const k of fixed) assert.ok(!now.has(k), `${k} is still reported after its ${strategy} fix`);
    // No new finding: per file and rule, at most the findings that were there and not fixed
    // (lines may move when an import is added).
    const perFileRule = (keys: Iterable<string>) => {
      const counts = new Map<string, number>();
      for (const k of keys) counts.set(k.replace(/:\d+:(LF\d+)$/, ':$1'), (counts.get(k.replace(/:\d+:(LF\d+)$/, ':$1')) ?? 0) + 1);
      return counts;
    };
    const allowed = perFileRule([...original].filter((k) => !fixed.has(k)));
    for (const [k, n] of perFileRule(now)) assert.ok(n <= (allowed.get(k) ?? 0), `the ${strategy} fix introduced a new finding ${k}`);
    // Idempotent: the diagnostics that were fixed are gone, and a stale one gets no action.
    for (const { uri, diagnostic } of before) {
      if (!fixed.has(key(uri, diagnostic))) continue;
      assert.deepEqual(await client.codeActions(uri, [diagnostic], ['quickfix']), [], 'a stale diagnostic still gets a fix');
    }
    for (const file of written) {
      if (file.endsWith('.py')) checkPython(file, parser);
      else if (/\.(ini|json|ya?ml|toml)$/.test(file) && !file.includes(`${path.sep}logfunnel${path.sep}`)) checkConfig(file, dir, strategy);
    }
    const recordsFile = path.join(dir, 'RECORDS');
    if (fs.existsSync(path.join(dir, 'NORUN')) || !fs.existsSync(recordsFile)) return;
    trace('run');
    const run = strategy === 'server' ? await withLogServer(dir, written, () => runProgram(dir)) : await runProgram(dir);
    trace('ran');
    assert.equal(run.code, 0, `the fixed program failed:\n${run.output}`);
    for (const { glob, count } of expectedRecords(dir)) {
      assert.equal(countLines(dir, glob), count, `${glob}: records counted back after the ${strategy} fix`);
      tally.records += count;
    }
    tally.ran++;
  } finally {
    await client.shutdown().catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('fixes through the language server, then the fixed programs run', { concurrency: 2 }, async (t) => {
  const jobs: Promise<unknown>[] = [];
  for (const fixture of listFixtures(FIXTURES)) {
    const name = path.basename(fixture);
    if (ONLY && !ONLY.includes(name)) continue;
    if (readExpectations(fixture).findings.length === 0) continue;
    for (const strategy of await offeredStrategies(fixture)) {
      jobs.push(t.test(`${name} (${strategy})`, () => fixAndRun(fixture, strategy)));
    }
  }
  await Promise.all(jobs).finally(() =>
    t.diagnostic(`${tally.fixed} findings fixed in ${jobs.length} fixture/strategy runs; ${tally.ran} fixed programs ran with every record counted back (${tally.records} records)`));
});

// A near-miss is silent because its program loses nothing: run as written (no fix), it writes
// exactly its RECORDS count, which is what the fixture claims.
test('near-miss fixtures run as written, every record counted back', { concurrency: 2 }, async (t) => {
  const jobs: Promise<unknown>[] = [];
  for (const fixture of listFixtures(FIXTURES)) {
    const name = path.basename(fixture);
    if (ONLY && !ONLY.includes(name)) continue;
    if (readExpectations(fixture).findings.length > 0) continue;
    if (!fs.existsSync(path.join(fixture, 'RECORDS')) || fs.existsSync(path.join(fixture, 'NORUN'))) continue;
    jobs.push(t.test(name, async () => {
      const dir = copyFixture(fixture);
      try {
        const run = await runProgram(dir);
        assert.equal(run.code, 0, `the program failed:\n${run.output}`);
        for (const { glob, count } of expectedRecords(dir)) assert.equal(countLines(dir, glob), count, `${glob}: records counted back`);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }));
  }
  assert.ok(jobs.length > 0 || ONLY !== undefined, 'no near-miss fixture with RECORDS');
  await Promise.all(jobs);
});
