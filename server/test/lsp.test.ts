/**
 * The real language server over stdio: diagnostics at exact lines with rule, related
 * information and doc link; edits that introduce and remove a bug; bad input that must not
 * take the server down.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TestLspClient } from './lspClient';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test-fixtures', 'python');

function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `lf-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return fs.realpathSync(dir);
}

const uriOf = (file: string) => 'file://' + file;

/**
 * The real server on a copy of pool-task-rotating, once its LF001 is published, with main.py
 * opened as an editor would; `body` gets the client, main.py and its text; shut down after.
 */
async function withOpenMain(body: (client: TestLspClient, main: string, original: string) => Promise<void>): Promise<void> {
  const dir = copyFixture('pool-task-rotating');
  const client = new TestLspClient();
  try {
    await client.initialize(dir);
    const main = path.join(dir, 'main.py');
    const original = fs.readFileSync(main, 'utf8');
    await client.waitFor(uriOf(main), (p) => p.diagnostics.length === 1);
    await client.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(main), languageId: 'python', version: 1, text: original } });
    await body(client, main, original);
  } finally {
    await client.shutdown();
  }
}

function change(client: TestLspClient, main: string, version: number, text: string): Promise<void> {
  return client.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(main), version }, contentChanges: [{ text }] });
}

test('publishes LF001 on the handler line with the spawn site as related information', async () => {
  const dir = copyFixture('pool-task-rotating');
  const client = new TestLspClient();
  try {
    await client.initialize(dir);
    const main = path.join(dir, 'main.py');
    const lines = fs.readFileSync(main, 'utf8').split('\n');
    const expectLine = lines.findIndex((l) => /#\s*expect: LF001/.test(l));
    const relatedLine = lines.findIndex((l) => /#\s*related: LF001/.test(l));
    const published = await client.waitFor(uriOf(main), (p) => p.diagnostics.length > 0);
    assert.equal(published.diagnostics.length, 1);
    const d = published.diagnostics[0] as unknown as { code: string; severity: number; range: { start: { line: number } }; source: string; codeDescription: { href: string }; relatedInformation: { location: { uri: string; range: { start: { line: number } } } }[] };
    assert.equal(d.code, 'LF001');
    assert.equal(d.severity, 2); // warning
    assert.equal(d.source, 'logfunnel');
    assert.equal(d.range.start.line, expectLine);
    assert.match(d.codeDescription.href, /docs\/rules\/LF001\.md$/);
    assert.ok(d.relatedInformation.some((r) => r.location.uri === uriOf(main) && r.location.range.start.line === relatedLine));
  } finally {
    await client.shutdown();
  }
});

test('an edit that removes the bug clears the diagnostic, and putting it back restores it', () =>
  withOpenMain(async (client, main, original) => {
    const fixed = original.replace(/logging\.handlers\.RotatingFileHandler|RotatingFileHandler(?=\()/g, 'logging.StreamHandler').replace(/StreamHandler\([^)]*\)/g, 'StreamHandler()');
    assert.notEqual(fixed, original);
    await change(client, main, 2, fixed);
    await client.waitFor(uriOf(main), (p) => p.diagnostics.length === 0);
    await change(client, main, 3, original);
    const back = await client.waitFor(uriOf(main), (p) => p.diagnostics.length === 1);
    assert.equal(back.diagnostics[0].code, 'LF001');
  }));

test('half-typed code never crashes the server and keeps the other findings', () =>
  withOpenMain(async (client, main, original) => {
    // Type a broken statement at the end, a few characters at a time.
    const partial = 'def broken(:\n    x = [1, 2,\n';
    for (let i = 1; i <= partial.length; i += 3) await change(client, main, 1 + i, original + '\n' + partial.slice(0, i));
    // A request is answered after the notifications before it: the server read every edit.
    const model = await client.connection.sendRequest('logfunnel/processModel', { uri: uriOf(main) }) as { roots: unknown[] };
    assert.ok(model.roots.length > 0, 'the process model of main.py is still known');
    // Give the debounced analysis time to run on the broken text, then check it kept the finding.
    await new Promise((r) => setTimeout(r, 500));
    const after = await client.waitFor(uriOf(main), (p) => p.diagnostics.length === 1);
    assert.equal(after.diagnostics[0].code, 'LF001');
    assert.equal(client.process.exitCode, null);
  }));

test('bad input: huge, binary, deeply nested, cyclic and symlinked files do not stop the analysis', async () => {
  const dir = copyFixture('pool-task-rotating');
  fs.writeFileSync(path.join(dir, 'huge.py'), '# filler\n'.repeat(10 * 1024 * 1024 / 9));
  fs.writeFileSync(path.join(dir, 'binary.py'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1, 2, 0xff, 0xfe, 0, 10]));
  fs.writeFileSync(path.join(dir, 'nested.py'), 'x = ' + '['.repeat(3000) + ']'.repeat(3000) + '\n' + 'if a:\n'.concat(Array.from({ length: 200 }, (_, i) => ' '.repeat(i + 1) + 'if a:\n').join('')) );
  fs.writeFileSync(path.join(dir, 'cycle_a.py'), 'import cycle_b\ndef f():\n    cycle_b.g()\n');
  fs.writeFileSync(path.join(dir, 'cycle_b.py'), 'import cycle_a\ndef g():\n    cycle_a.f()\n');
  fs.mkdirSync(path.join(dir, 'loop'));
  fs.symlinkSync(dir, path.join(dir, 'loop', 'again'));
  fs.writeFileSync(path.join(dir, 'syntax.py'), 'def (:\n  ))) ::: \x00\n');
  const client = new TestLspClient();
  try {
    await client.initialize(dir);
    const main = path.join(dir, 'main.py');
    const published = await client.waitFor(uriOf(main), (p) => p.diagnostics.length > 0, 60000);
    assert.equal(published.diagnostics[0].code, 'LF001');
    // Still answering requests.
    const model = await client.connection.sendRequest('logfunnel/processModel', { uri: uriOf(main) });
    assert.ok(Array.isArray((model as { roots: unknown[] }).roots));
  } finally {
    await client.shutdown();
  }
});

test('a watched-file event for a .env re-reads the launcher that read it', async () => {
  const dir = copyFixture('config-gunicorn-web-concurrency-dotenv');
  const client = new TestLspClient();
  try {
    await client.initialize(dir);
    const app = uriOf(path.join(dir, 'app.py'));
    await client.waitFor(app, (p) => p.diagnostics.some((d) => /active in 3 processes/.test(d.message)));
    // .env is not analysed itself; the Procfile's worker count came from it.
    fs.writeFileSync(path.join(dir, '.env'), 'WEB_CONCURRENCY=1\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, '.env')), type: 2 }] });
    await client.waitFor(app, (p) => p.diagnostics.length === 0);
    fs.writeFileSync(path.join(dir, '.env'), 'WEB_CONCURRENCY=6\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(path.join(dir, '.env')), type: 2 }] });
    await client.waitFor(app, (p) => p.diagnostics.some((d) => /active in 6 processes/.test(d.message)));
  } finally {
    await client.shutdown();
  }
});
