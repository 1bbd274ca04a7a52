// Smoke test of the bundled language server (dist/server.js), the file the .vsix ships:
// it starts, loads both .wasm files from beside the bundle (the web-tree-sitter trap), answers
// `initialize`, reports LF001 on the e2e fixture, and shuts down cleanly. Also checks the
// `logfunnel-language-server` bin that other editors (Neovim) spawn.
// Prints the server's start time (spawn → initialize result) for the bench output.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startStdioServer } from './lsp-stdio.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const serverBundle = path.join(root, 'dist', 'server.js');
const template = path.join(root, 'e2e', 'workspace-template');

// What VS Code 1.100 sends that matters to the server: related information, code action
// literals, work-done progress, configuration.
function initializeParams(folder) {
  const uri = pathToFileURL(folder).href;
  return {
    processId: process.pid,
    rootUri: uri,
    workspaceFolders: [{ uri, name: path.basename(folder) }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true }, applyEdit: true, workspaceEdit: { documentChanges: true } },
      textDocument: {
        synchronization: { didSave: true, dynamicRegistration: true },
        publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
        codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } }, dataSupport: true, resolveSupport: { properties: ['edit'] } },
        hover: { contentFormat: ['markdown', 'plaintext'] },
      },
      window: { workDoneProgress: true },
    },
  };
}

before(() => {
  execFileSync('node', [path.join(root, 'esbuild.mjs'), '--production'], { cwd: root, stdio: 'inherit' });
});

test('dist/server.js starts, answers initialize and reports LF001 on the fixture', async (t) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'logfunnel-smoke-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  cpSync(template, folder, { recursive: true });

  const started = performance.now();
  const server = startStdioServer(process.execPath, [serverBundle, '--stdio'], { cwd: folder });
  t.after(() => server.child.kill());
  const init = await server.request('initialize', initializeParams(folder));
  const startMs = performance.now() - started;
  console.log(`server start (spawn → initialize result): ${startMs.toFixed(0)} ms`);
  assert.ok(init.capabilities, 'initialize result has capabilities');
  assert.ok(init.capabilities.textDocumentSync !== undefined, 'server syncs documents');
  server.notify('initialized', {});

  const file = path.join(folder, 'main.py');
  const uri = pathToFileURL(file).href;
  server.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text: readFileSync(file, 'utf8') } });

  let diagnostics;
  if (init.capabilities.diagnosticProvider) {
    const report = await server.request('textDocument/diagnostic', { textDocument: { uri } });
    diagnostics = report.items;
  }
  if (!diagnostics || diagnostics.length === 0) {
    const published = await server.waitForNotification((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri && m.params.diagnostics.length > 0);
    diagnostics = published.params.diagnostics;
  }
  const lf001 = diagnostics.filter((d) => d.code === 'LF001');
  assert.equal(lf001.length, 1, `one LF001, got ${JSON.stringify(diagnostics)}`);
  assert.equal(lf001[0].range.start.line, 5, 'on the RotatingFileHandler line (line 6)');
  assert.equal(lf001[0].source, 'logfunnel');

  const exit = await server.shutdown();
  assert.equal(exit.code, 0, `clean exit; stderr:\n${server.stderr}`);
});

test('bin/logfunnel-language-server.js defaults to --stdio and answers initialize', async (t) => {
  const folder = mkdtempSync(path.join(tmpdir(), 'logfunnel-smoke-'));
  t.after(() => rmSync(folder, { recursive: true, force: true }));
  const server = startStdioServer(process.execPath, [path.join(root, 'bin', 'logfunnel-language-server.js')], { cwd: folder });
  t.after(() => server.child.kill());
  const init = await server.request('initialize', initializeParams(folder));
  assert.ok(init.capabilities);
  assert.equal(init.serverInfo?.name, 'logfunnel', `serverInfo: ${JSON.stringify(init.serverInfo)}`);
  server.notify('initialized', {});
  const exit = await server.shutdown();
  assert.equal(exit.code, 0);
});
