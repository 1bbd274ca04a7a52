/** `logfunnel check` as CI runs it: exit codes, the JSON shape other tools read, SARIF, text. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { workspace } from './configTestUtil';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const CLI = path.join(ROOT, 'bin', 'logfunnel.js');
const fixture = (name: string) => path.join(ROOT, 'test-fixtures', 'python', name);

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('exit 1 with findings, JSON with paths relative to the checked root and 1-based lines', () => {
  const r = run('check', fixture('pool-task-rotating'), '--format', 'json');
  assert.equal(r.code, 1, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.deepEqual(Object.keys(report).sort(), ['findings', 'stats']);
  assert.deepEqual(Object.keys(report.stats).sort(), ['files', 'lines', 'ms']);
  assert.equal(report.findings.length, 1);
  const f = report.findings[0];
  assert.deepEqual(Object.keys(f).sort(), ['column', 'endColumn', 'endLine', 'file', 'line', 'message', 'related', 'rule', 'severity'].sort());
  assert.equal(f.file, 'main.py');
  assert.equal(f.rule, 'LF001');
  const source = require('fs').readFileSync(path.join(fixture('pool-task-rotating'), 'main.py'), 'utf8').split('\n');
  assert.match(source[f.line - 1], /# expect: LF001/);
  for (const r2 of f.related) assert.deepEqual(Object.keys(r2).sort(), ['file', 'line', 'message']);
});

test('exit 0 on a clean project', () => {
  const r = run('check', fixture('ok-threads-only'));
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /No findings/);
});

test('text output reads like a compiler: path:line:col: RULE message, then the chain indented', () => {
  const r = run('check', fixture('pool-task-rotating'));
  assert.equal(r.code, 1);
  const lines = r.stdout.split('\n');
  assert.match(lines[0], /^main\.py:\d+:\d+: LF001 /);
  assert.match(lines[1], /^    main\.py:\d+: /);
});

test('SARIF 2.1.0 with rule metadata and related locations', () => {
  const r = run('check', fixture('seed001-pool-mp-queue'), '--format=sarif');
  assert.equal(r.code, 1);
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.ok(run0.tool.driver.rules.some((rule: { id: string; helpUri: string }) => rule.id === 'LF102' && /LF102\.md$/.test(rule.helpUri)));
  const result = run0.results.find((x: { ruleId: string }) => x.ruleId === 'LF102');
  assert.equal(result.level, 'error');
  assert.equal(result.locations[0].physicalLocation.artifactLocation.uri, 'main.py');
  assert.ok(result.relatedLocations.length >= 1);
});

test('exit 2 on usage errors, with the usage printed', () => {
  for (const args of [['frobnicate'], ['check', '--format', 'xml', '.'], ['check', '/no/such/dir'], ['check', '--bogus']]) {
    const r = run(...args);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, /usage: logfunnel check/);
  }
});

test('a copy count the command already shows (`python w.py × 3 (for …)`) is not said again', () => {
  const r = run('check', fixture('config-shell-loop-background'), '--format', 'json', '--no-cache');
  assert.equal(r.code, 1, r.stderr);
  const { findings } = JSON.parse(r.stdout);
  assert.deepEqual(findings.map((f: { file: string; line: number; rule: string }) => `${f.file}:${f.line} ${f.rule}`), ['worker.py:4 LF002']);
  const [finding] = findings;
  assert.match(finding.message, /is active in 3 processes \(python worker\.py × 3 \(for 1 2 3; … &\) \(run_workers\.sh:3\)\)/);
  assert.doesNotMatch(finding.message, /3 × python/);
});

test('the CLI loads no grammar until a file needs the parser: not by loading its modules, not for a tree it line-scans', () => {
  // Loading factWorker.ts's module in the engine's thread once started a grammar load in every
  // process (its top level asks for the parser as the worker starts).
  const probe = `
    const { main } = require(${JSON.stringify(path.join(ROOT, 'out', 'server', 'src', 'cli', 'main.js'))});
    const parser = require(${JSON.stringify(path.join(ROOT, 'out', 'server', 'src', 'python', 'parser.js'))});
    const loadedAtStart = parser.parserRequested();
    main(['check', process.argv[1], '--no-cache', '--format', 'json']).then((code) => {
      process.stderr.write(JSON.stringify({ loadedAtStart, loadedAfterCheck: parser.parserRequested(), code }));
    });`;
  const probeRun = (folder: string) => {
    const r = spawnSync(process.execPath, ['-e', probe, folder], { encoding: 'utf8', cwd: ROOT });
    return JSON.parse(r.stderr.trim().split('\n').pop()!);
  };
  // Nothing here names what the prefilter looks for: every file is line-scanned.
  const plain = workspace({ 'util.py': 'import logging\n\nlog = logging.getLogger(__name__)\n\n\ndef add(a, b):\n    log.info("adding")\n    return a + b\n' });
  try {
    assert.deepEqual(probeRun(plain), { loadedAtStart: false, loadedAfterCheck: false, code: 0 });
  } finally {
    fs.rmSync(plain, { recursive: true, force: true });
  }
  assert.deepEqual(probeRun(fixture('pool-task-rotating')), { loadedAtStart: false, loadedAfterCheck: true, code: 1 });
});
