/**
 * Pull diagnostics (LSP 3.17) against the real server over stdio: a client that announces
 * `textDocument.diagnostic` gets no publishDiagnostics, and exact findings from
 * `textDocument/diagnostic` and `workspace/diagnostic`, with result ids that say `unchanged`,
 * a refresh request after an edit changes the findings, and quick fixes for pulled diagnostics.
 */
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { URI } from 'vscode-uri';
import { CancellationTokenSource } from 'vscode-jsonrpc/node';
import { FixTestClient, LspDiagnostic } from './fixClient';
import { readExpectations } from './fixtureExpectations';

const FIXTURES = path.resolve(__dirname, '..', '..', '..', 'test-fixtures', 'python');

interface PulledDiagnostic extends LspDiagnostic {
  relatedInformation?: { location: { uri: string; range: { start: { line: number } } } }[];
}
type DocumentReport = { kind: 'full'; resultId?: string; items: PulledDiagnostic[] } | { kind: 'unchanged'; resultId: string };
type WorkspaceItem = ({ kind: 'full'; items: PulledDiagnostic[] } | { kind: 'unchanged' }) & { uri: string; resultId?: string; version: number | null };

/** A client announcing pull diagnostics and refresh support, as VS Code's client does. */
class PullTestClient extends FixTestClient {
  refreshes = 0;
  /** `logfunnel/status` notifications with state `idle`: one per finished analysis. */
  analyses = 0;
  private refreshWaiters: (() => void)[] = [];
  private settingsGate: Promise<void> = Promise.resolve();
  private progressGate: Promise<void> = Promise.resolve();
  private progressAskedWake = () => {};
  /** Resolves when the server asks to show progress: it has its engine and is about to read files. */
  readonly progressAsked = new Promise<void>((resolve) => (this.progressAskedWake = resolve));
  private settingsAskedWake = () => {};
  /** Resolves when the server first asks for settings: its workspace scan has started. */
  readonly settingsAsked = new Promise<void>((resolve) => (this.settingsAskedWake = resolve));

  constructor() {
    super();
    // Settings are the scan's first step: holding the answer holds the server inside its scan.
    this.connection.onRequest('workspace/configuration', async (p: { items: unknown[] }) => {
      this.settingsAskedWake();
      await this.settingsGate;
      return p.items.map(() => ({}));
    });
    this.connection.onRequest('window/workDoneProgress/create', async () => {
      this.progressAskedWake();
      await this.progressGate;
      return null;
    });
    this.connection.onRequest('workspace/diagnostic/refresh', () => {
      this.refreshes++;
      for (const wake of this.refreshWaiters.splice(0)) wake();
      return null;
    });
    this.connection.onNotification('logfunnel/status', (p: { state: string }) => {
      if (p.state === 'idle') this.analyses++;
    });
  }

  /** Holds every settings answer until the returned function is called. */
  holdSettings(): () => void {
    let release = () => {};
    this.settingsGate = new Promise((resolve) => (release = resolve));
    return release;
  }

  /** Holds the answer to the server's progress request (sent before it reads the files). */
  holdProgress(): () => void {
    let release = () => {};
    this.progressGate = new Promise((resolve) => (release = resolve));
    return release;
  }

  async initializeForPull(folders: string[]): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: URI.file(folders[0]).toString(),
      workspaceFolders: folders.map((f) => ({ uri: URI.file(f).toString(), name: path.basename(f) })),
      capabilities: {
        textDocument: {
          // VS Code announces both; pull must win.
          publishDiagnostics: { relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
          diagnostic: { dynamicRegistration: true, relatedDocumentSupport: false, relatedInformation: true, codeDescriptionSupport: true, dataSupport: true },
          codeAction: { dataSupport: true, isPreferredSupport: true, codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix', 'source', 'source.fixAll'] } } },
          synchronization: { didSave: true },
        },
        workspace: {
          configuration: true,
          workspaceFolders: true,
          didChangeWatchedFiles: { dynamicRegistration: true },
          workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
          diagnostics: { refreshSupport: true },
        },
        window: { workDoneProgress: true },
      },
    });
    await this.connection.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown> };
  }

  pull(uri: string, previousResultId?: string): Promise<DocumentReport> {
    return this.connection.sendRequest('textDocument/diagnostic', { identifier: 'logfunnel', textDocument: { uri }, previousResultId }) as Promise<DocumentReport>;
  }

  async pullWorkspace(previousResultIds: { uri: string; value: string }[] = []): Promise<WorkspaceItem[]> {
    const report = (await this.connection.sendRequest('workspace/diagnostic', { identifier: 'logfunnel', previousResultIds })) as { items: WorkspaceItem[] };
    return report.items;
  }

  /** Resolves once more than `seen` refresh requests have arrived. */
  refreshAfter(seen: number, ms = 20000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no workspace/diagnostic/refresh after ${seen} within ${ms} ms\n${this.stderr}`)), ms);
      const check = () => {
        if (this.refreshes > seen) {
          clearTimeout(timer);
          resolve();
        } else this.refreshWaiters.push(check);
      };
      check();
    });
  }

  open(uri: string, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'python', version: 1, text } });
  }

  change(uri: string, version: number, text: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }
}

const tempDirs: string[] = [];
after(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

function copyFixture(name: string, parent?: string): string {
  const dir = parent ? path.join(parent, name) : fs.mkdtempSync(path.join(os.tmpdir(), `lf-pull-${name}-`));
  if (!parent) tempDirs.push(dir);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return fs.realpathSync(dir);
}

/** The line (0-based) of the first `# <marker>: LF001` comment in a file. */
function markedLine(file: string, marker: 'expect' | 'related'): number {
  const line = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => new RegExp(`#\\s*${marker}: LF001`).test(l));
  assert.ok(line >= 0, `${file} has a ${marker} marker`);
  return line;
}

/** The text with the rotating handler replaced by a StreamHandler: no finding left. */
function withoutBug(text: string): string {
  const fixed = text.replace(/logging\.handlers\.RotatingFileHandler|RotatingFileHandler(?=\()/g, 'logging.StreamHandler').replace(/StreamHandler\([^)]*\)/g, 'StreamHandler()');
  assert.notEqual(fixed, text);
  return fixed;
}

const full = (report: DocumentReport) => {
  assert.equal(report.kind, 'full', JSON.stringify(report));
  return report as Extract<DocumentReport, { kind: 'full' }>;
};

async function withClient(body: (client: PullTestClient) => Promise<void>): Promise<void> {
  const client = new PullTestClient();
  try {
    await body(client);
  } finally {
    await client.shutdown();
  }
}

test('a pull sent right after initialize waits for the first analysis and gets the exact finding; no push', () =>
  withClient(async (client) => {
    const dir = copyFixture('pool-task-rotating');
    const main = path.join(dir, 'main.py');
    const uri = URI.file(main).toString();
    const release = client.holdSettings();
    const init = await client.initializeForPull([dir]);
    assert.deepEqual(init.capabilities.diagnosticProvider, { identifier: 'logfunnel', interFileDependencies: true, workspaceDiagnostics: true });
    await client.settingsAsked;
    // The scan cannot finish before we answer: this pull reaches the server while it loads.
    const pending = client.pull(uri);
    release();
    const report = full(await pending);
    assert.ok(client.analyses >= 1, 'answered after the first analysis, not with an empty report before it');
    assert.equal(report.items.length, 1, JSON.stringify(report.items));
    const [d] = report.items;
    assert.equal(d.code, 'LF001');
    assert.equal(d.range.start.line, markedLine(main, 'expect'));
    assert.ok(d.relatedInformation?.some((r) => r.location.uri === uri && r.location.range.start.line === markedLine(main, 'related')), 'the spawn site as related information');
    assert.ok(report.resultId, 'a result id to ask with next time');

    const again = await client.pull(uri, report.resultId);
    assert.deepEqual(again, { kind: 'unchanged', resultId: report.resultId });
    // A file without findings: an empty full report, then unchanged with its id.
    const clean = full(await client.pull(URI.file(path.join(dir, 'RECORDS')).toString()));
    assert.deepEqual(clean.items, []);
    assert.equal((await client.pull(URI.file(path.join(dir, 'RECORDS')).toString(), clean.resultId)).kind, 'unchanged');
    // A request after the pulls: any publish the server sent before it has arrived by now.
    await client.connection.sendRequest('logfunnel/processModel', { uri });
    assert.deepEqual([...client.published.keys()], [], 'no publishDiagnostics to a pulling client');
  }));

test('a cancelled pull is answered at once while the workspace is still loading', () =>
  withClient(async (client) => {
    const dir = copyFixture('pool-task-rotating');
    const uri = URI.file(path.join(dir, 'main.py')).toString();
    const release = client.holdSettings();
    await client.initializeForPull([dir]);
    await client.settingsAsked;
    const source = new CancellationTokenSource();
    const pending = client.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri } }, source.token);
    const workspacePending = client.connection.sendRequest('workspace/diagnostic', { previousResultIds: [] }, source.token);
    source.cancel();
    // Answered while the scan still waits for our settings: the wait never held the server up.
    await assert.rejects(pending, (e: { code?: number }) => e.code === -32800);
    await assert.rejects(workspacePending, (e: { code?: number }) => e.code === -32800);
    assert.equal(client.analyses, 0, 'no analysis has run yet');
    release();
    assert.deepEqual(full(await client.pull(uri)).items.map((d) => d.code), ['LF001']);
  }));

test('a document opened while the workspace loads is not analysed alone: pulls get the whole workspace\'s findings', () =>
  withClient(async (client) => {
    // The finding is in pkg/log_setup.py; main.py alone has none.
    const dir = copyFixture('cross-file-pkg-pool');
    const main = path.join(dir, 'main.py');
    const setup = path.join(dir, 'pkg', 'log_setup.py');
    const release = client.holdProgress();
    await client.initializeForPull([dir]);
    await client.progressAsked; // the scan is under way and has not read the files yet
    await client.open(URI.file(main).toString(), fs.readFileSync(main, 'utf8'));
    const pending = client.pull(URI.file(setup).toString());
    // Time for the open's debounced analysis to come due: it must wait for the scan, not run on
    // main.py alone (which would answer this pull with no finding).
    await new Promise((r) => setTimeout(r, 400));
    release();
    const report = full(await pending);
    assert.deepEqual(report.items.map((d) => [d.code, d.range.start.line]), [['LF001', markedLine(setup, 'expect')]]);
  }));

test('an edit that removes the bug: the next pull has no LF001 and the server asks for a refresh; putting it back restores it', () =>
  withClient(async (client) => {
    const dir = copyFixture('pool-task-rotating');
    const main = path.join(dir, 'main.py');
    const uri = URI.file(main).toString();
    const original = fs.readFileSync(main, 'utf8');
    await client.initializeForPull([dir]);
    await client.open(uri, original);
    const before = full(await client.pull(uri));
    assert.deepEqual(before.items.map((d) => d.code), ['LF001']);

    const refreshes = client.refreshes;
    await client.change(uri, 2, withoutBug(original));
    const after = full(await client.pull(uri, before.resultId));
    assert.deepEqual(after.items.filter((d) => d.code === 'LF001'), []);
    assert.notEqual(after.resultId, before.resultId);
    await client.refreshAfter(refreshes);

    await client.change(uri, 3, original);
    const back = full(await client.pull(uri, after.resultId));
    assert.deepEqual(back.items.map((d) => [d.code, d.range.start.line]), [['LF001', markedLine(main, 'expect')]]);
    assert.deepEqual([...client.published.keys()], []);
  }));

test('workspace/diagnostic lists every finding across the workspace folders, honours previousResultIds, and clears fixed files', () =>
  withClient(async (client) => {
    const parent = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'lf-pull-ws-')));
    tempDirs.push(parent);
    const names = ['pool-task-rotating', 'cross-file-pkg-pool', 'config-yaml-dictconfig-dockerfile', 'config-ini-seed003-fileconfig-gunicorn-conf', 'pool-two-handlers-two-rules'];
    const folders = names.map((n) => copyFixture(n, parent));
    const expected = folders.flatMap((f) => readExpectations(f).findings.map((e) => `${URI.file(path.join(f, e.file)).toString()}:${e.line} ${e.rule}`)).sort();
    assert.ok(expected.length >= 7, 'the fixtures expect findings in several files');
    await client.initializeForPull(folders);

    const first = await client.pullWorkspace();
    const found = first.flatMap((r) => (r.kind === 'full' ? r.items.map((d) => `${r.uri}:${d.range.start.line + 1} ${d.code}`) : [])).sort();
    assert.deepEqual(found, expected);
    assert.ok(first.every((r) => r.kind === 'full' && r.resultId && r.version === null), 'full reports with ids; no file is open');

    // Asking with the ids just received: nothing changed, nothing re-sent.
    const ids = first.map((r) => ({ uri: r.uri, value: r.resultId! }));
    const second = await client.pullWorkspace(ids);
    assert.deepEqual(second.map((r) => [r.uri, r.kind, r.resultId]).sort(), first.map((r) => [r.uri, 'unchanged', r.resultId]).sort());

    // Fix one file in the editor: its report comes back empty (so the client clears it), with
    // the document's version; the others stay unchanged.
    const main = path.join(folders[0], 'main.py');
    const uri = URI.file(main).toString();
    await client.open(uri, fs.readFileSync(main, 'utf8'));
    await client.change(uri, 2, withoutBug(fs.readFileSync(main, 'utf8')));
    const third = await client.pullWorkspace(ids);
    const fixed = third.find((r) => r.uri === uri);
    assert.deepEqual(fixed && { kind: fixed.kind, items: fixed.kind === 'full' ? fixed.items : undefined, version: fixed.version }, { kind: 'full', items: [], version: 2 });
    assert.deepEqual(third.filter((r) => r.uri !== uri).map((r) => r.kind), first.filter((r) => r.uri !== uri).map(() => 'unchanged'));
    // A client without ids (it forgot the file) still hears that the fixed file is clean.
    const fresh = await client.pullWorkspace();
    assert.deepEqual(fresh.find((r) => r.uri === uri)?.kind === 'full' && fresh.find((r) => r.uri === uri), { kind: 'full', uri, resultId: fixed!.resultId, version: 2, items: [] });
    // An id from another server process: the file is reported clean, not left as the client has it.
    const stranger = URI.file(path.join(folders[1], 'main.py')).toString();
    const cleared = (await client.pullWorkspace([{ uri: stranger, value: 'old-server:7' }])).find((r) => r.uri === stranger);
    assert.deepEqual(cleared && { kind: cleared.kind, items: cleared.kind === 'full' ? cleared.items : undefined }, { kind: 'full', items: [] });
  }));

test('quick fixes for a pulled diagnostic, also when a later pull said unchanged and the client kept it', () =>
  withClient(async (client) => {
    const dir = copyFixture('pool-two-handlers-two-rules');
    const main = path.join(dir, 'main.py');
    const uri = URI.file(main).toString();
    const original = fs.readFileSync(main, 'utf8');
    await client.initializeForPull([dir]);
    await client.open(uri, original);
    const report = full(await client.pull(uri));
    const lf001 = report.items.find((d) => d.code === 'LF001')!;
    assert.ok(lf001.data, 'the pulled diagnostic carries the id of its fixes');
    const strategies = async (d: LspDiagnostic) => (await client.codeActions(uri, [d], ['quickfix'])).map((a) => `${a.data!.strategy}/${a.data!.safety}`);
    assert.deepEqual(await strategies(lf001), ['funnel/safe', 'locking/safe', 'server/unsafe']);

    // Two edits that change no finding: the pulls say unchanged, so the client keeps the
    // diagnostic of the first analysis, whose fix id is two analyses old.
    await client.change(uri, 2, original + '\n# a comment\n');
    assert.equal((await client.pull(uri, report.resultId)).kind, 'unchanged');
    await client.change(uri, 3, original + '\n# a comment\n# another\n');
    assert.equal((await client.pull(uri, report.resultId)).kind, 'unchanged');
    assert.deepEqual(await strategies(lf001), ['funnel/safe', 'locking/safe', 'server/unsafe']);
  }));

test('a client without pull support keeps getting publishDiagnostics and no diagnosticProvider', () =>
  withClient(async (client) => {
    const dir = copyFixture('pool-task-rotating');
    const main = path.join(dir, 'main.py');
    const init = (await client.initializeForFixes(dir)) as { capabilities: Record<string, unknown> };
    assert.equal(init.capabilities.diagnosticProvider, undefined);
    const published = await client.waitFor(URI.file(main).toString(), (p) => p.diagnostics.length > 0);
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range.start.line]), [['LF001', markedLine(main, 'expect')]]);
  }));
