/**
 * A minimal LSP client over stdio for tests: spawns the real server, replays the parts of a
 * VS Code `initialize` that matter, and records every published diagnostic.
 */
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';

export interface PublishedDiagnostics {
  uri: string;
  diagnostics: { range: { start: { line: number } }; code: string; severity: number; message: string; relatedInformation?: { location: { uri: string; range: { start: { line: number } } }; message: string }[] }[];
}

const SERVER = path.resolve(__dirname, '..', 'src', 'lsp', 'main.js');

export class TestLspClient {
  readonly process: ChildProcess;
  readonly connection: MessageConnection;
  readonly published = new Map<string, PublishedDiagnostics>();
  private waiters: (() => void)[] = [];
  stderr = '';

  constructor() {
    this.process = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.process.stderr!.on('data', (d) => (this.stderr += d));
    this.connection = createMessageConnection(new StreamMessageReader(this.process.stdout!), new StreamMessageWriter(this.process.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      this.published.set(p.uri, p);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onNotification(() => undefined);
    this.connection.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
    this.connection.onRequest('client/registerCapability', () => null);
    this.connection.onRequest('window/workDoneProgress/create', () => null);
    this.connection.listen();
  }

  async initialize(rootDir: string): Promise<unknown> {
    const rootUri = 'file://' + rootDir;
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(rootDir) }],
      capabilities: {
        textDocument: { publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true }, synchronization: { didSave: true } },
        workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        window: { workDoneProgress: true },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result;
  }

  /** Resolves when a publish for `uri` satisfies `predicate` (or rejects after `ms`). */
  waitFor(uri: string, predicate: (p: PublishedDiagnostics) => boolean, ms = 20000): Promise<PublishedDiagnostics> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${ms} ms; have ${JSON.stringify([...this.published.values()])}\n${this.stderr}`)), ms);
      const check = () => {
        const p = this.published.get(uri);
        if (p && predicate(p)) {
          clearTimeout(timer);
          resolve(p);
          return;
        }
        this.waiters.push(check);
      };
      check();
    });
  }

  async shutdown(): Promise<void> {
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } finally {
      this.connection.dispose();
      this.process.kill();
    }
  }
}
