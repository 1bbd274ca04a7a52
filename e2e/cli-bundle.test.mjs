// The CLI as `npx logfunnel` runs it: bin/logfunnel.js loads the bundle (dist/cli.js) with a V8
// code cache (bin/loadCli.js): the one the production build ships beside the bundle when it fits
// the Node that runs it, else one kept in the cache folder. That one must be made once (by the
// second run where logfunnel never ran), then used as it is; a damaged one is replaced;
// --no-cache keeps it (it is the program's, not the workspace's); LOGFUNNEL_NO_CODE_CACHE=1
// makes none; the output never changes. Tests of the user's code cache run an installed copy
// (bin/ and dist/) without the shipped one, as where it was made for another Node.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fixture = path.join(root, 'test-fixtures', 'python', 'cross-file-pkg-pool');

before(() => {
  // The bundle must be newer than out/, or bin/ runs the tsc output (a development checkout).
  execFileSync('node', [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
});

const CODE_CACHE = /^code-[0-9a-f]{16}\.bin$/;
const codeCaches = (folder) => readdirSync(folder).filter((f) => CODE_CACHE.test(f));

/**
 * bin/ and dist/ copied as a package installs them (no out/, so the bundle runs), with or without
 * the code cache the build shipped; its bin/logfunnel.js.
 */
function installedCopy(t, { shippedCodeCache }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'logfunnel-installed-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(root, 'bin'), path.join(dir, 'bin'), { recursive: true });
  cpSync(path.join(root, 'dist'), path.join(dir, 'dist'), { recursive: true, filter: (from) => shippedCodeCache || !CODE_CACHE.test(path.basename(from)) });
  return path.join(dir, 'bin', 'logfunnel.js');
}

function check(cli, cacheFolder, ...extra) {
  const r = spawnSync(process.execPath, [cli, 'check', fixture, '--format', 'json', ...extra], {
    encoding: 'utf8',
    env: { ...process.env, LOGFUNNEL_CACHE_DIR: cacheFolder },
  });
  assert.equal(r.status, 1, `one finding expected; stderr:\n${r.stderr}`);
  const { findings } = JSON.parse(r.stdout);
  return findings.map((f) => `${f.file}:${f.line} ${f.rule} ${f.message}`);
}

test('the production build ships the CLI\'s code cache: a first run compiles from it and writes none; one V8 rejects gives way to the user\'s', (t) => {
  const shipped = createRequire(import.meta.url)(path.join(root, 'bin', 'loadCli.js')).shippedCodeCache();
  assert.ok(shipped, `a code cache for ${process.version} beside dist/cli.js: ${readdirSync(path.join(root, 'dist')).join(', ')}`);
  assert.deepEqual(codeCaches(path.join(root, 'dist')), [path.basename(shipped)], 'only the one of this build');
  const cli = installedCopy(t, { shippedCodeCache: true });
  const folder = mkdtempSync(path.join(tmpdir(), 'logfunnel-code-cache-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));

  // The folder exists, so a run that had to compile from source would make a cache there.
  const first = check(cli, folder, '--no-cache');
  assert.equal(first.length, 1);
  assert.deepEqual(readdirSync(folder), [], 'the shipped cache was accepted: nothing to make');

  // Damaged (or made by another V8): rejected, the same findings, and the user's cache is made.
  writeFileSync(path.join(path.dirname(cli), '..', 'dist', path.basename(shipped)), 'not a code cache');
  assert.deepEqual(check(cli, folder, '--no-cache'), first);
  assert.deepEqual(codeCaches(folder), [path.basename(shipped)]);
});

test('bin/logfunnel.js compiles the bundle from a code cache it made once; a damaged one is replaced', (t) => {
  const cli = installedCopy(t, { shippedCodeCache: false });
  const folder = mkdtempSync(path.join(tmpdir(), 'logfunnel-code-cache-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));

  const first = check(cli, folder);
  assert.equal(first.length, 1);
  const [cacheName] = codeCaches(folder);
  assert.ok(cacheName, `a code cache was written: ${readdirSync(folder).join(', ')}`);
  const cacheFile = path.join(folder, cacheName);
  const written = { ino: statSync(cacheFile).ino, bytes: readFileSync(cacheFile) };

  // Accepted by V8: used as it is, not written again (only touched, so the janitor keeps it).
  assert.deepEqual(check(cli, folder), first);
  assert.equal(statSync(cacheFile).ino, written.ino);
  assert.deepEqual(readFileSync(cacheFile), written.bytes);

  // Garbage in its place: V8 rejects it, the run is the same, and a good cache replaces it.
  writeFileSync(cacheFile, 'not a code cache');
  assert.deepEqual(check(cli, folder), first);
  assert.notEqual(readFileSync(cacheFile, 'utf8'), 'not a code cache');
  assert.deepEqual(codeCaches(folder), [cacheName]);
});

for (const shippedCodeCache of [true, false]) {
  test(`a first run where logfunnel never ran leaves only the mark that it checked the workspace; the second writes the caches (${shippedCodeCache ? 'with' : 'without'} a shipped code cache)`, (t) => {
    // No cache folder at all, as in a fresh CI container: no code cache, no facts, no stored run
    // (server/src/workspace/checkedBefore.ts, bin/loadCli.js).
    const cli = installedCopy(t, { shippedCodeCache });
    const parent = mkdtempSync(path.join(tmpdir(), 'logfunnel-first-run-'));
    t.after(() => rmSync(parent, { recursive: true, force: true }));
    const folder = path.join(parent, 'cache');
    const first = check(cli, folder);
    assert.equal(first.length, 1);
    const workspaceMark = readdirSync(folder).filter((f) => f !== 'janitor.stamp');
    assert.equal(workspaceMark.length, 1, readdirSync(folder).join(', '));
    assert.match(workspaceMark[0], /^seen-[0-9a-f]{16}$/);

    assert.deepEqual(check(cli, folder), first);
    const names = readdirSync(folder);
    // The user's code cache only where the shipped one does not fit.
    assert.equal(codeCaches(folder).length, shippedCodeCache ? 0 : 1, names.join(', '));
    assert.ok(names.some((f) => /^facts-[0-9a-f]{16}\.\d+\.bin$/.test(f)) && names.some((f) => /^run-[0-9a-f]{16}\.json$/.test(f)), names.join(', '));
    assert.deepEqual(check(cli, folder), first);
  });
}

test('bin/logfunnel.js --no-cache keeps no facts but the program\'s code cache; LOGFUNNEL_NO_CODE_CACHE=1 makes none', (t) => {
  const cli = installedCopy(t, { shippedCodeCache: false });
  const folder = mkdtempSync(path.join(tmpdir(), 'logfunnel-code-cache-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const first = check(cli, folder, '--no-cache');
  assert.equal(first.length, 1);
  // Compiled code of the program, nothing of the workspace: no facts shards, no stored run.
  assert.deepEqual(readdirSync(folder), codeCaches(folder));
  assert.equal(codeCaches(folder).length, 1);
  assert.deepEqual(check(cli, folder, '--no-cache'), first);

  const none = mkdtempSync(path.join(tmpdir(), 'logfunnel-code-cache-'));
  t.after(() => rmSync(none, { recursive: true, force: true }));
  const r = spawnSync(process.execPath, [cli, 'check', fixture, '--format', 'json', '--no-cache'], {
    encoding: 'utf8',
    env: { ...process.env, LOGFUNNEL_CACHE_DIR: none, LOGFUNNEL_NO_CODE_CACHE: '1' },
  });
  assert.equal(r.status, 1, r.stderr);
  assert.deepEqual(readdirSync(none), []);
});

test('the bundle loads the YAML, JavaScript and TOML parsers from dist/parsers/ when a file needs them, with the findings of the tsc output', () => {
  // lazyParsers.ts: kept out of dist/cli.js, each parser is its own file beside it (esbuild.mjs).
  const bundle = readFileSync(path.join(root, 'dist', 'cli.js'), 'utf8');
  for (const parser of ['yaml', 'acorn', 'smol-toml']) {
    assert.ok(statSync(path.join(root, 'dist', 'parsers', `${parser}.js`)).isFile(), `dist/parsers/${parser}.js`);
    assert.ok(bundle.includes(`require("./parsers/${parser}.js")`), `dist/cli.js requires ./parsers/${parser}.js`);
  }
  assert.ok(!bundle.includes('parseDocument('), 'the YAML parser is not inside dist/cli.js');
  const findings = (script, fixture) => {
    const r = spawnSync(process.execPath, [script, 'check', path.join(root, 'test-fixtures', 'python', fixture), '--format', 'json', '--no-cache'], {
      encoding: 'utf8',
      env: { ...process.env, LOGFUNNEL_NO_CODE_CACHE: '1' },
    });
    assert.equal(r.status, 1, `${fixture}: findings expected; stderr:\n${r.stderr}`);
    return JSON.parse(r.stdout).findings;
  };
  const keys = (list) => list.map((f) => `${f.file}:${f.line} ${f.rule}`);
  // A YAML dictConfig, a TOML one and a PM2 ecosystem.config.js: one parser each (the fixtures'
  // `# expect:` markers say where).
  for (const [fixture, expected] of [
    ['config-yaml-dictconfig-dockerfile', ['logging.yaml:8 LF001']],
    ['config-toml-tomllib-uwsgi-ini', ['logging.toml:7 LF001']],
    ['config-pm2-instances-rotating', ['worker.py:6 LF001']],
  ]) {
    const bundled = findings(path.join(root, 'bin', 'logfunnel.js'), fixture);
    assert.deepEqual(keys(bundled), expected, fixture);
    assert.deepEqual(bundled, findings(path.join(root, 'out', 'server', 'src', 'cli', 'main.js'), fixture), fixture);
    // The PM2 count comes from the JavaScript file: the finding says so.
    if (fixture.includes('pm2')) assert.match(bundled[0].message, /ecosystem\.config\.js/);
  }
});

test('a check that starts worker threads (V8 flags changed for its phases) still writes a code cache the next run accepts', (t) => {
  // server/src/workspace/checkV8Flags.ts: the flags go back before exit, when the cache is made.
  // The engine starts workers only with two cores or more (engine.ts, loadAll).
  if (availableParallelism() < 2) return t.skip('one core: a check starts no worker threads');
  const cli = installedCopy(t, { shippedCodeCache: false });
  const folder = mkdtempSync(path.join(tmpdir(), 'logfunnel-code-cache-'));
  const tree = mkdtempSync(path.join(tmpdir(), 'logfunnel-worker-tree-'));
  t.after(() => {
    rmSync(folder, { recursive: true, force: true });
    rmSync(tree, { recursive: true, force: true });
  });
  // Enough files for workers (200) and, early in the walk, enough text to parse (64K).
  const parsed = ['import multiprocessing', '', ''];
  for (let i = 0; i < 60; i++) parsed.push(`def task_${i}(x):`, `    total = sum(range(x)) + ${i}`, '    return multiprocessing.current_process().name, total', '');
  for (let i = 0; i < 40; i++) writeFileSync(path.join(tree, `a_${String(i).padStart(2, '0')}.py`), parsed.join('\n'));
  mkdirSync(path.join(tree, 'zz'));
  for (let i = 0; i < 200; i++) writeFileSync(path.join(tree, 'zz', `m_${i}.py`), `def f_${i}(a):\n    return a + ${i}\n`);
  const run = () => {
    const r = spawnSync(process.execPath, [cli, 'check', tree, '--format', 'json', '--no-cache'], {
      encoding: 'utf8',
      env: { ...process.env, LOGFUNNEL_CACHE_DIR: folder },
    });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout).stats.files;
  };
  assert.equal(run(), 240);
  const [cacheName] = codeCaches(folder);
  assert.ok(cacheName, 'a code cache was written');
  const cacheFile = path.join(folder, cacheName);
  const written = { ino: statSync(cacheFile).ino, bytes: readFileSync(cacheFile) };
  assert.equal(run(), 240);
  assert.equal(statSync(cacheFile).ino, written.ino, 'accepted: not written again');
  assert.deepEqual(readFileSync(cacheFile), written.bytes);
});

test('npm pack ships the CLI on its own: installed from the tarball with no dependency, it finds, fixes and vendors the runtime, and the fixed program loses nothing', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'logfunnel-packed-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  // The bundle was built by before(); --ignore-scripts skips prepack's second build.
  const [packed] = JSON.parse(execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8' }));
  const files = packed.files.map((f) => f.path);
  for (const needed of ['bin/logfunnel.js', 'bin/loadCli.js', 'dist/cli.js', 'dist/server.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'runtime/python/logfunnel/__init__.py', 'docs/rules/LF001.md']) {
    assert.ok(files.includes(needed), `${needed} is in the package`);
  }
  assert.deepEqual(files.filter((f) => /^(out|server|client|e2e|bench|scripts|test-fixtures|node_modules)\/|__pycache__/.test(f)), [], 'sources, tests and build output stay out');
  t.diagnostic(`${packed.filename}: ${files.length} files, ${Math.round(packed.size / 1024)} KB packed, ${Math.round(packed.unpackedSize / 1024)} KB unpacked`);

  // A project that installs only the tarball: nothing to download (--offline), no node_modules of ours.
  const app = path.join(dir, 'app');
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), '{ "name": "uses-logfunnel", "private": true }\n');
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(dir, packed.filename)], { cwd: app, stdio: 'pipe' });
  assert.deepEqual(readdirSync(path.join(app, 'node_modules')).filter((n) => !n.startsWith('.')), ['logfunnel'], 'the package installs no dependency');

  const project = path.join(dir, 'project');
  cpSync(path.join(root, 'test-fixtures', 'python', 'pool-task-rotating'), project, { recursive: true });
  const cli = path.join(app, 'node_modules', '.bin', 'logfunnel');
  const env = { ...process.env, LOGFUNNEL_CACHE_DIR: path.join(dir, 'cache'), PYTHONPATH: '' };
  const found = spawnSync(cli, ['check', project, '--format', 'json'], { encoding: 'utf8', env });
  assert.equal(found.status, 1, found.stderr);
  assert.deepEqual(JSON.parse(found.stdout).findings.map((f) => `${f.file}:${f.line} ${f.rule}`), ['main.py:14 LF001']);
  const fixed = spawnSync(cli, ['check', project, '--fix'], { encoding: 'utf8', env });
  assert.equal(fixed.status, 0, `${fixed.stdout}\n${fixed.stderr}`);
  assert.ok(readFileSync(path.join(project, 'logfunnel', '__init__.py'), 'utf8').length > 0, 'the runtime is vendored from the installed package');

  const run = spawnSync('python3', ['main.py'], { cwd: project, encoding: 'utf8', env, timeout: 60000 });
  assert.equal(run.status, 0, run.stderr);
  const [glob, count] = readFileSync(path.join(project, 'RECORDS'), 'utf8').trim().split(/\s+/);
  const prefix = path.basename(glob).replace(/\*$/, '');
  const logs = path.join(project, path.dirname(glob));
  const lines = readdirSync(logs).filter((f) => f.startsWith(prefix)).reduce((n, f) => n + readFileSync(path.join(logs, f), 'utf8').split('\n').filter(Boolean).length, 0);
  assert.equal(lines, Number(count), 'records counted back');
});
