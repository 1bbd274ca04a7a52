// Helpers to run a real VS Code workbench (code-server 4.100.3) for the end-to-end test, as in
// /work/shared/recipes/real-vscode.md: install (cached), install a .vsix into a fresh extensions
// dir, serve on loopback on a free port, stop by pid.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Runs e2e/install-code-server.sh (a no-op when the cache is complete); returns entry.js. */
export function installCodeServer() {
  const out = execFileSync('bash', [path.join(root, 'e2e', 'install-code-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 15 * 60_000 });
  return out.trim().split('\n').pop();
}

/** `npm run package`; returns the .vsix path. */
export function packageExtension() {
  const version = JSON.parse(execFileSync('node', ['-p', 'JSON.stringify(require("./package.json").version)'], { cwd: root, encoding: 'utf8' }));
  execFileSync('npm', ['run', 'package'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], timeout: 5 * 60_000 });
  return path.join(root, `logfunnel-${version}.vsix`);
}

export function installExtension(entry, { extensionsDir, userDataDir }, vsix) {
  execFileSync(process.execPath, [entry, '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix], { stdio: ['ignore', 'pipe', 'inherit'], timeout: 2 * 60_000 });
}

export function writeUserSettings(userDataDir, settings) {
  const dir = path.join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(settings, null, 2));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHttp(url, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server did not answer ${url} within ${timeoutMs} ms`);
}

/**
 * Starts code-server on 127.0.0.1:<free port> in its own process group (the extension host and
 * the language server are its descendants), waits until it answers. `stop()` kills that group by
 * the pid we started, never by name.
 */
export async function startCodeServer(entry, { extensionsDir, userDataDir, folder, logFile }) {
  const port = await freePort();
  // Workspace trust is driven by the user settings the test seeds (security.workspace.trust.enabled).
  const args = [entry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir, folder];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => (log += d));
  child.stderr.on('data', (d) => (log += d));
  const url = `http://127.0.0.1:${port}`;
  const stop = () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    if (logFile) writeFileSync(logFile, log);
  };
  try {
    await waitForHttp(`${url}/healthz`, child, 60_000);
  } catch (error) {
    stop();
    throw new Error(`${error.message}\n${log}`);
  }
  return { url, port, child, stop, get log() { return log; } };
}

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
