/**
 * Code actions over the real server: offers of the previous analysis still answer right after
 * a re-analysis (and only while their file is unchanged), an unknown id falls back to the current
 * finding at the same range, and a client announcing `logfunnel.addRuntime` gets that command
 * instead of one CreateFile per vendored file.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { FixTestClient, LspCodeAction, LspDiagnostic } from './fixClient';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test-fixtures', 'python');

function copy(name: string): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `lf-fixstale-${name}-`)));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

async function initialize(client: FixTestClient, dir: string, initializationOptions?: unknown): Promise<void> {
  const rootUri = URI.file(dir).toString();
  await client.connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: path.basename(dir) }],
    initializationOptions,
    capabilities: {
      textDocument: {
        publishDiagnostics: { relatedInformation: true, dataSupport: true },
        codeAction: { dataSupport: true, isPreferredSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source'] } } },
      },
      workspace: {
        configuration: true,
        workspaceFolders: true,
        didChangeWatchedFiles: { dynamicRegistration: true },
        workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
      },
    },
  });
  await client.connection.sendNotification('initialized', {});
}

/** Makes the server analyse again (a watched-file event) and waits for a new publication. */
async function reanalyse(client: FixTestClient, uri: string, file: string): Promise<LspDiagnostic[]> {
  const before = client.published.get(uri);
  await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: URI.file(file).toString(), type: 2 }] });
  const p = await client.waitFor(uri, (d) => d !== before && d.diagnostics.length > 0);
  return p.diagnostics as unknown as LspDiagnostic[];
}

test('stale diagnostics: previous generation served while unchanged, unknown ids matched by range and code', async () => {
  const dir = copy('pool-task-rotating');
  const client = new FixTestClient();
  try {
    await initialize(client, dir);
    const main = path.join(dir, 'main.py');
    const uri = URI.file(main).toString();
    const first = (await client.waitFor(uri, (d) => d.diagnostics.length === 1)).diagnostics[0] as unknown as LspDiagnostic;
    const titles = (actions: LspCodeAction[]) => actions.map((a) => a.title);
    const fresh = titles(await client.codeActions(uri, [first], ['quickfix']));
    assert.ok(fresh.length >= 2, `offers: ${fresh}`);

    // One re-analysis later the old id belongs to the previous generation: still answered.
    const second = (await reanalyse(client, uri, main))[0];
    assert.notDeepEqual(second.data, first.data, 'a new generation has new ids');
    assert.deepEqual(titles(await client.codeActions(uri, [first], ['quickfix'])), fresh);

    // Two re-analyses later the old id is gone, but the finding is at the same range: matched.
    await reanalyse(client, uri, main);
    assert.deepEqual(titles(await client.codeActions(uri, [first], ['quickfix'])), fresh);
    assert.deepEqual(titles(await client.codeActions(uri, [{ ...first, data: undefined }], ['quickfix'])), fresh, 'no id at all: matched too');

    // The file changed under the previous generation's offers (a line added above): their ranges
    // no longer hold, so the stale diagnostic gets nothing; the current one gets the offers.
    fs.writeFileSync(main, `# a new first line\n${fs.readFileSync(main, 'utf8')}`);
    const moved = (await reanalyse(client, uri, main))[0];
    assert.equal(moved.range.start.line, first.range.start.line + 1);
    assert.deepEqual(await client.codeActions(uri, [first], ['quickfix']), [], 'a stale diagnostic on changed text gets no fix');
    assert.deepEqual(titles(await client.codeActions(uri, [moved], ['quickfix'])), fresh);
  } finally {
    await client.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a client with logfunnel.addRuntime gets the command instead of CreateFile edits; others get the files', async () => {
  for (const commands of [['logfunnel.addRuntime'], undefined]) {
    const dir = copy('pool-task-rotating');
    const client = new FixTestClient();
    try {
      await initialize(client, dir, commands && { clientCommands: commands });
      const uri = URI.file(path.join(dir, 'main.py')).toString();
      const [d] = (await client.waitFor(uri, (p) => p.diagnostics.length === 1)).diagnostics as unknown as LspDiagnostic[];
      const actions = (await client.codeActions(uri, [d], ['quickfix'])) as (LspCodeAction & { command?: { command: string; arguments?: unknown[] } })[];
      const funnel = actions.find((a) => a.data?.strategy === 'funnel')!;
      const creates = (funnel.edit?.documentChanges ?? []).filter((c) => 'kind' in c);
      const mainEdits = (funnel.edit?.documentChanges ?? []).filter((c) => !('kind' in c) && c.textDocument.uri === uri);
      assert.equal(mainEdits.length, 1, 'the import and the class change are there either way');
      if (commands) {
        assert.deepEqual(creates, [], 'no file creations');
        assert.deepEqual(funnel.command, { title: 'logfunnel: Add the runtime library to the workspace', command: 'logfunnel.addRuntime', arguments: [{ folderUri: URI.file(dir).toString(), method: 'vendor' }] });
      } else {
        assert.equal(funnel.command, undefined);
        assert.ok(creates.some((c) => 'kind' in c && c.uri.endsWith('/logfunnel/__init__.py')), 'the package is created by the edit');
      }
    } finally {
      await client.shutdown();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});
