/**
 * Workspace discovery on real folders: symlinked folders (loops, a folder reached twice), the
 * skip rules (.gitignore layers, virtualenvs, always-skipped folders, user excludes) and
 * maxFiles. Every test asserts the exact list, in order.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { discoverFiles } from '../src/workspace/discovery';
import { isConfigFile } from '../src/configs';

/** A fresh folder with the given files (path -> content); removed after the test. */
function tree(t: { after(fn: () => void): void }, files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-discovery-'));
  t.after(() => fs.rmSync(root, { recursive: true, force: true }));
  for (const [rel, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), content);
  }
  return root;
}

const relative = (root: string, files: string[]) => files.map((f) => path.relative(root, f).split(path.sep).join('/'));

test('discovery: a symlink back to the root is not followed round (the walk ends)', (t) => {
  const root = tree(t, { 'a.py': '', 'loop/b.py': '' });
  fs.symlinkSync(root, path.join(root, 'loop', 'again'));
  assert.deepEqual(relative(root, discoverFiles(root)), ['a.py', 'loop/b.py']);
});

test('discovery: a symlink to an ancestor deep inside a symlinked folder ends too', (t) => {
  const root = tree(t, { 'pkg/deep/m.py': '', 'z.py': '' });
  fs.symlinkSync(path.join(root, 'pkg'), path.join(root, 'link'));
  fs.symlinkSync('../..', path.join(root, 'pkg', 'deep', 'up'));
  // 'link' sorts first: the package is read through it, then never again (not as pkg/, not via up/).
  assert.deepEqual(relative(root, discoverFiles(root)), ['link/deep/m.py', 'z.py']);
});

test('discovery: a folder reachable twice (a symlink beside its target) is read once, first path in order', (t) => {
  const root = tree(t, { 'pkg/m.py': '', 'pkg/sub/n.py': '' });
  fs.symlinkSync(path.join(root, 'pkg'), path.join(root, 'alias'));
  assert.deepEqual(relative(root, discoverFiles(root)), ['alias/m.py', 'alias/sub/n.py']);
  // A subfolder of the target seen through the link is not read again under its own path.
  const sub = tree(t, { 'a/x.py': '', 'b/c/y.py': '' });
  fs.symlinkSync(path.join(sub, 'b', 'c'), path.join(sub, 'a', 'c'));
  assert.deepEqual(relative(sub, discoverFiles(sub)), ['a/c/y.py', 'a/x.py']);
});

test('discovery: symlinked files are listed, dangling links are not', (t) => {
  const root = tree(t, { 'real.py': '' });
  fs.symlinkSync(path.join(root, 'real.py'), path.join(root, 'linked.py'));
  fs.symlinkSync(path.join(root, 'missing.py'), path.join(root, 'dangling.py'));
  assert.deepEqual(relative(root, discoverFiles(root)), ['linked.py', 'real.py']);
});

test('discovery: nested .gitignore layers, virtualenvs, always-skipped and egg-info folders', (t) => {
  const root = tree(t, {
    '.gitignore': 'out/\nsecret.py\n',
    'app/.gitignore': '*.gen.py\n!keep.gen.py\n/local.py\n',
    'app/a.py': '',
    'app/b.gen.py': '',
    'app/keep.gen.py': '',
    'app/local.py': '',
    'app/inner/local.py': '',
    'app/secret.py': '',
    'out/x.py': '',
    'env/pyvenv.cfg': '',
    'env/lib/y.py': '',
    'venv/__init__.py': '',
    'node_modules/n.py': '',
    '__pycache__/c.py': '',
    'thing.egg-info/e.py': '',
    'locale/fr/__init__.py': '',
    'locale/fr/LC_MESSAGES/django.py': '',
    'main.py': '',
  });
  assert.deepEqual(relative(root, discoverFiles(root)), [
    'app/a.py', 'app/inner/local.py', 'app/keep.gen.py', 'locale/fr/__init__.py', 'main.py', 'venv/__init__.py',
  ]);
});

test('discovery: user excludes, other files by the caller, maxFiles, a single file', (t) => {
  const root = tree(t, {
    'a.py': '', 'b.py': '', 'tests/t.py': '', 'deploy/gunicorn.conf': '', 'notes.txt': '', 'pkg/c.py': '',
  });
  const isOtherFile = (f: string) => f.endsWith('.conf');
  assert.deepEqual(relative(root, discoverFiles(root, { isOtherFile })), ['a.py', 'b.py', 'deploy/gunicorn.conf', 'pkg/c.py', 'tests/t.py']);
  assert.deepEqual(relative(root, discoverFiles(root, { isOtherFile, exclude: ['tests/', '*.conf', '/b.py'] })), ['a.py', 'pkg/c.py']);
  assert.deepEqual(relative(root, discoverFiles(root, { maxFiles: 2 })), ['a.py', 'b.py']);
  assert.deepEqual(discoverFiles(path.join(root, 'a.py')), [path.join(root, 'a.py')]);
  // A relative root gives the same absolute paths.
  const cwd = process.cwd();
  try {
    process.chdir(root);
    const here = process.cwd();
    assert.ok(discoverFiles('.').every((f) => path.isAbsolute(f) && f.startsWith(here)));
    assert.deepEqual(relative(here, discoverFiles('.')), relative(root, discoverFiles(root)));
  } finally {
    process.chdir(cwd);
  }
});

test('discovery: JavaScript is read only as a PM2 process file (ecosystem*.config.js and kin), never from node_modules', (t) => {
  const root = tree(t, {
    'worker.py': '', 'ecosystem.config.js': 'module.exports = {}', 'deploy/ecosystem.prod.config.cjs': '', 'web/ecosystem.config.mjs': '',
    'web/server.js': '', 'webpack.config.js': '', 'node_modules/pm2/ecosystem.config.js': '',
  });
  assert.deepEqual(relative(root, discoverFiles(root, { isOtherFile: isConfigFile })), [
    'deploy/ecosystem.prod.config.cjs', 'ecosystem.config.js', 'web/ecosystem.config.mjs', 'worker.py',
  ]);
});
