// Figures for the bench output (issue 6): the size of the packaged .vsix and the language
// server's start time — spawn of `node dist/server.js --stdio` until the `initialize` result —
// median and p95 over N runs, plus the time until the first diagnostics of the e2e fixture.
// A measurement, not a test: it asserts nothing.
// Usage: node e2e/measure-extension.mjs [--runs=N] [--json]   (after `npm run package`)
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startStdioServer } from './lsp-stdio.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.split('=')[1] ?? 10);
const version = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version;
const vsix = path.join(root, `logfunnel-${version}.vsix`);

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function oneRun(folder) {
  const uri = pathToFileURL(folder).href;
  const started = performance.now();
  const server = startStdioServer(process.execPath, [path.join(root, 'dist', 'server.js'), '--stdio'], { cwd: folder });
  await server.request('initialize', { processId: process.pid, rootUri: uri, workspaceFolders: [{ uri, name: 'w' }], capabilities: { window: { workDoneProgress: true } } });
  const initializeMs = performance.now() - started;
  server.notify('initialized', {});
  await server.waitForNotification((m) => m.method === 'textDocument/publishDiagnostics' && m.params.diagnostics.length > 0);
  const firstDiagnosticsMs = performance.now() - started;
  await server.shutdown();
  return { initializeMs, firstDiagnosticsMs };
}

const folder = mkdtempSync(path.join(tmpdir(), 'logfunnel-measure-'));
cpSync(path.join(root, 'e2e', 'workspace-template'), folder, { recursive: true });
try {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await oneRun(folder));
  const init = results.map((r) => r.initializeMs);
  const diag = results.map((r) => r.firstDiagnosticsMs);
  const figures = {
    vsix_bytes: existsSync(vsix) ? statSync(vsix).size : null,
    server_bundle_bytes: statSync(path.join(root, 'dist', 'server.js')).size,
    runs,
    start_initialize_p50_ms: Math.round(percentile(init, 50)),
    start_initialize_p95_ms: Math.round(percentile(init, 95)),
    first_diagnostics_p50_ms: Math.round(percentile(diag, 50)),
    first_diagnostics_p95_ms: Math.round(percentile(diag, 95)),
  };
  if (process.argv.includes('--json')) console.log(JSON.stringify(figures));
  else {
    console.log(`vsix                   ${figures.vsix_bytes === null ? 'not packaged (npm run package)' : `${(figures.vsix_bytes / 1024).toFixed(0)} KiB`}`);
    console.log(`dist/server.js         ${(figures.server_bundle_bytes / 1024).toFixed(0)} KiB`);
    console.log(`server start → initialize result   p50 ${figures.start_initialize_p50_ms} ms   p95 ${figures.start_initialize_p95_ms} ms   (${runs} runs)`);
    console.log(`server start → first diagnostics   p50 ${figures.first_diagnostics_p50_ms} ms   p95 ${figures.first_diagnostics_p95_ms} ms   (2-file fixture)`);
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
