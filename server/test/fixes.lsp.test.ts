/**
 * The code-action protocol around the fixes: the capability, `diagnostic.data`, quick fixes
 * with their preferred one, `source.fixAll.logfunnel` (safe offers only, merged), and the
 * `changes` fallback for clients without resource operations.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { FixTestClient, LspDiagnostic } from './fixClient';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test-fixtures', 'python');

function copy(name: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `lf-fixlsp-${name}-`)));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

async function diagnosticsOf(client: FixTestClient, uri: string, n: number): Promise<LspDiagnostic[]> {
  const p = await client.waitFor(uri, (d) => d.diagnostics.length === n);
  return p.diagnostics as unknown as LspDiagnostic[];
}

test('quick fixes: one per strategy, funnel preferred and safe, data carried by the diagnostic', async () => {
  const dir = copy('pool-two-handlers-two-rules');
  const client = new FixTestClient();
  try {
    const init = (await client.initializeForFixes(dir)) as { capabilities: { codeActionProvider: { codeActionKinds: string[] } } };
    assert.deepEqual(init.capabilities.codeActionProvider.codeActionKinds, ['quickfix', 'source.fixAll.logfunnel']);
    const uri = URI.file(path.join(dir, 'main.py')).toString();
    const diagnostics = await diagnosticsOf(client, uri, 2);
    const lf001 = diagnostics.find((d) => d.code === 'LF001')!;
    assert.ok(lf001.data, 'the diagnostic carries the id of its fixes');
    const actions = await client.codeActions(uri, [lf001], ['quickfix']);
    const strategies = actions.map((a) => a.data!);
    assert.deepEqual(strategies.map((s) => `${s.strategy}/${s.safety}`), ['funnel/safe', 'locking/safe', 'server/unsafe']);
    assert.deepEqual(actions.map((a) => !!a.isPreferred), [true, false, false]);
    assert.equal(actions[0].title, 'logfunnel (LF001): Funnel all.log through one writer');
  } finally {
    await client.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('source.fixAll.logfunnel applies every safe preferred fix of the document at once', async () => {
  const dir = copy('pool-two-handlers-two-rules');
  const client = new FixTestClient();
  try {
    await client.initializeForFixes(dir);
    const uri = URI.file(path.join(dir, 'main.py')).toString();
    await diagnosticsOf(client, uri, 2);
    const actions = await client.codeActions(uri, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, 'source.fixAll.logfunnel');
    await client.applyEdit(actions[0]);
    await diagnosticsOf(client, uri, 0);
    const text = fs.readFileSync(path.join(dir, 'main.py'), 'utf8');
    assert.match(text, /^from logfunnel import RotatingFileHandler$/m);
    assert.match(text, /errors\.addHandler\(logfunnel\.FileHandler\('logs\/errors\.log'\)\)/);
    assert.equal(text.match(/^import logfunnel$/gm)?.length, 1, 'one shared import');
    const again = await client.codeActions(uri, [], ['source.fixAll']);
    assert.deepEqual(again, [], 'nothing left to fix');
  } finally {
    await client.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('fix-all leaves unsafe fixes out', async () => {
  const dir = copy('lf105-queue-root-and-child');
  const client = new FixTestClient();
  try {
    await client.initializeForFixes(dir);
    const uri = URI.file(path.join(dir, 'main.py')).toString();
    const [d] = await diagnosticsOf(client, uri, 1);
    const quick = await client.codeActions(uri, [d], ['quickfix']);
    assert.equal(quick.length, 1, 'the LF105 fix is offered as a quick fix');
    assert.deepEqual(await client.codeActions(uri, [], ['source.fixAll.logfunnel']), [], 'but never in fix-all (unsafe)');
  } finally {
    await client.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
