/**
 * The stored run (runCache.ts): a check of an unchanged workspace shows the last check's findings
 * without reading any file; any change a finding could depend on (a file's text, a new or
 * deleted file, a neighbour file such as `.env`, a damaged store) makes it analyse again.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { AnalysisEngine } from '../src/workspace/engine';
import { copyFixture, REPO, tempDir } from './tempTrees';
import type { Finding } from '../src/model/findings';

const CLI = path.join(REPO, 'bin', 'logfunnel.js');

const shown = (f: Finding) => ({ rule: f.rule, file: f.span.file, line: f.span.start.line, severity: f.severity, message: f.message, related: f.related.map((r) => `${r.span.file}:${r.span.start.line}: ${r.message}`) });

/** A check as the CLI does it: the stored run if it still holds, else a full analysis that is then stored. */
async function check(root: string, cacheDir: string) {
  const engine = new AnalysisEngine({ roots: [root], cacheDir, threads: 1 });
  const stored = engine.storedRun();
  if (stored) return { reused: true, findings: stored.findings.map(shown) };
  await engine.loadAll();
  const result = engine.analyze();
  engine.rememberRun(result);
  engine.saveCache();
  return { reused: false, findings: result.findings.map(shown) };
}

test('an unchanged workspace reuses the stored run; every kind of change analyses again', async () => {
  const root = copyFixture('config-gunicorn-web-concurrency-dotenv');
  const cacheDir = tempDir('store');
  const first = await check(root, cacheDir);
  assert.equal(first.reused, false);
  assert.match(first.findings.find((f) => f.rule === 'LF001')?.message ?? '', /active in 3 processes/);

  const second = await check(root, cacheDir);
  assert.equal(second.reused, true);
  assert.deepEqual(second.findings, first.findings, 'the stored findings are the ones shown before, evidence included');

  // A neighbour file the Procfile's facts were read from.
  fs.writeFileSync(path.join(root, '.env'), 'WEB_CONCURRENCY=5\n');
  const afterEnv = await check(root, cacheDir);
  assert.equal(afterEnv.reused, false);
  assert.match(afterEnv.findings.find((f) => f.rule === 'LF001')?.message ?? '', /active in 5 processes/);
  assert.equal((await check(root, cacheDir)).reused, true);

  // A new file, then its removal.
  const extra = path.join(root, 'extra.py');
  fs.writeFileSync(extra, 'import os\n');
  assert.equal((await check(root, cacheDir)).reused, false);
  fs.unlinkSync(extra);
  assert.equal((await check(root, cacheDir)).reused, false);
  assert.equal((await check(root, cacheDir)).reused, true);

  // An edit to a Python file; the result must be the edited file's.
  const app = fs.readdirSync(root).map((f) => path.join(root, f)).find((f) => f.endsWith('.py') && /FileHandler/.test(fs.readFileSync(f, 'utf8')))!;
  fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace(/logging\.handlers\.RotatingFileHandler\([^)]*\)|RotatingFileHandler\([^)]*\)/, 'logging.StreamHandler()'));
  const afterEdit = await check(root, cacheDir);
  assert.equal(afterEdit.reused, false);
  assert.equal(afterEdit.findings.filter((f) => f.rule === 'LF001').length, 0);

  // A damaged store is no stored run.
  for (const f of fs.readdirSync(cacheDir).filter((n) => n.startsWith('run-'))) fs.writeFileSync(path.join(cacheDir, f), '{"format":1,"key":');
  const afterDamage = await check(root, cacheDir);
  assert.equal(afterDamage.reused, false);
  assert.deepEqual(afterDamage.findings, afterEdit.findings);
});

test('logfunnel check: the first check leaves only a mark, the second writes the caches, the third shows the stored run; an edit is seen', () => {
  const root = copyFixture('pool-task-rotating');
  const cacheDir = tempDir('cli');
  const cli = () => spawnSync(process.execPath, [CLI, 'check', root, '--format', 'json', '--cache-dir', cacheDir], { encoding: 'utf8' });
  // The code cache goes to LOGFUNNEL_CACHE_DIR, the janitor's stamp is the folder's: only the workspace's files here.
  const workspaceFiles = () => fs.readdirSync(cacheDir).filter((n) => !n.startsWith('code-') && n !== 'janitor.stamp').map((n) => n.replace(/-[0-9a-f]{16}/, '-ID')).sort();
  const runFile = () => path.join(cacheDir, fs.readdirSync(cacheDir).find((n) => n.startsWith('run-'))!);
  const findings = (out: string) => JSON.parse(out).findings;

  const first = cli();
  assert.equal(first.status, 1, first.stderr);
  assert.deepEqual(workspaceFiles(), ['seen-ID']);

  const second = cli();
  assert.equal(second.status, 1, second.stderr);
  assert.deepEqual(findings(second.stdout), findings(first.stdout));
  const written = workspaceFiles();
  assert.ok(written.includes('run-ID.json') && written.some((n) => /^facts-ID\.\d+\.bin$/.test(n)), written.join(' '));
  const storedRun = fs.statSync(runFile()).ino;

  const third = cli();
  assert.equal(third.status, 1, third.stderr);
  assert.deepEqual(findings(third.stdout), findings(first.stdout));
  assert.equal(JSON.parse(third.stdout).stats.files, JSON.parse(first.stdout).stats.files);
  // A check that analysed would have stored its run anew (written to a temporary file, renamed).
  assert.equal(fs.statSync(runFile()).ino, storedRun, 'the third check showed the stored run');

  const main = path.join(root, 'main.py');
  fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace(/(logging\.handlers\.|\b)RotatingFileHandler\([^)]*\)/, 'logging.StreamHandler()'));
  const fourth = cli();
  assert.equal(fourth.status, 0, fourth.stdout + fourth.stderr);
  assert.deepEqual(findings(fourth.stdout), []);
  assert.notEqual(fs.statSync(runFile()).ino, storedRun, 'the edited workspace was analysed and its run stored');
});
