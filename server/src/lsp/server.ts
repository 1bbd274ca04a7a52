/**
 * Protocol wiring only: documents and file events go into the engine, findings come out as
 * diagnostics (pushed, or pulled by clients that announce it: see DiagnosticsChannel). Analysis
 * runs after a short quiet period and a newer edit supersedes it, so typing never waits for the
 * analysis.
 */
import * as fs from 'fs';
import {
  CodeAction, CodeActionKind, CodeActionParams, Range, Connection, Diagnostic, DidChangeWatchedFilesNotification, DidChangeWatchedFilesParams, TextDocumentChangeEvent, FileChangeType, InitializeParams, InitializeResult,
  TextDocumentSyncKind, TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { AnalysisEngine, AnalysisResult } from '../workspace/engine';
import { defaultCacheDir } from '../workspace/factCache';
import { DiagnosticsChannel, PushDiagnostics, toDiagnostic } from './diagnostics';
import { clientPullsDiagnostics, PullDiagnostics } from './pullDiagnostics';
import { DiagnosticFixData, FIX_ALL_KIND, fixAll, quickFixes } from './codeActions';
import { offersForResult } from '../fixes/workspaceFixes';
import type { FixOffer } from '../fixes/types';
import { pythonParser } from '../python/parser';
import type { Parser } from 'web-tree-sitter';
import { processModelFor } from './processModelView';
import { ProcessModelRequest, StatusNotification, StatusParams } from '../../../common/protocol';
import { DEFAULT_SETTINGS, LogfunnelSettings, normalizeSettings, SETTINGS_SECTION } from '../../../common/settings';

/** Quiet time before the facts cache is written (a burst of file events makes one write). */
const CACHE_SAVE_DELAY_MS = 3000;
const ANALYSIS_DELAY_MS = 80;

export class LogfunnelServer {
  private readonly documents = new TextDocuments(TextDocument);
  private engine?: AnalysisEngine;
  private roots: string[] = [];
  private settings: LogfunnelSettings = DEFAULT_SETTINGS;
  /** Replaced at `initialize` by the channel the client's capabilities call for. */
  private diagnostics: DiagnosticsChannel;
  private configurationSupport = false;
  private watchedFilesDynamic = false;
  private progressSupport = false;
  private timer?: NodeJS.Timeout;
  private cacheTimer?: NodeJS.Timeout;
  private cacheDir: string | undefined = defaultCacheDir();
  private ready: Promise<void> = Promise.resolve();
  /** A workspace scan is running: an analysis now would see part of the workspace. */
  private scanning = 0;
  private scannedOnce = false;
  private last?: AnalysisResult;
  private resourceOps = false;
  private generation = 0;
  private parser?: Parser;
  /** Fix offers of the last analysis, by the id carried in `diagnostic.data`, with their document. */
  private offers = new Map<string, OfferEntry>();
  /**
   * The generation before: a client may ask with the diagnostics it still shows right after an
   * edit. Its offers are served only while the files they edit are unchanged.
   */
  private previousOffers = new Map<string, OfferEntry>();
  /** Commands the client announced in initializationOptions.clientCommands. */
  private clientCommands: string[] = [];

  constructor(private readonly connection: Connection) {
    this.diagnostics = new PushDiagnostics(connection, {});
  }

  listen(): void {
    const c = this.connection;
    c.onInitialize((params) => this.initialize(params));
    c.onInitialized(() => this.initialized());
    c.onDidChangeConfiguration((params: { settings?: { logfunnel?: unknown } }) => {
      this.diagnostics.analysisQueued(); // the new settings may change every finding
      const before = JSON.stringify(this.settings.exclude);
      // Clients without workspace/configuration (Neovim 0.7) push the settings here.
      if (!this.configurationSupport && params?.settings?.logfunnel) this.settings = normalizeSettings(params.settings.logfunnel);
      void this.loadSettings().then(async () => {
        try {
          // Excludes decide which files exist for the analysis: read the workspace again.
          if (JSON.stringify(this.settings.exclude) !== before) {
            this.ready = this.scanWorkspace();
            await this.ready;
          }
        } finally {
          this.schedule(0);
        }
      });
    });
    c.onDidChangeWatchedFiles((params: DidChangeWatchedFilesParams) => {
      for (const change of params.changes) {
        // Any file: besides analysed ones, a launcher's `.env` or gunicorn config changes its facts.
        // An open document's editor text wins over the disk.
        this.engine?.diskChanged(URI.parse(change.uri).fsPath, change.type === FileChangeType.Deleted, !!this.documents.get(change.uri));
      }
      this.schedule();
      this.scheduleCacheSave();
    });
    this.documents.onDidChangeContent((e: TextDocumentChangeEvent<TextDocument>) => this.onDocument(e.document));
    this.documents.onDidOpen((e: TextDocumentChangeEvent<TextDocument>) => this.onDocument(e.document));
    this.documents.onDidClose((e: TextDocumentChangeEvent<TextDocument>) => {
      // Closing without saving: the disk's text is the file again.
      const file = URI.parse(e.document.uri).fsPath;
      this.engine?.diskChanged(file, !fs.existsSync(file));
      this.schedule();
    });
    c.onRequest(ProcessModelRequest.method, async (params: { uri: string }) => {
      await this.ready;
      return processModelFor(this.last, URI.parse(params.uri).fsPath, params.uri);
    });
    c.onCodeAction(async (params) => {
      await this.ready;
      return this.codeActions(params);
    });
    c.onShutdown(() => {
      clearTimeout(this.timer);
      clearTimeout(this.cacheTimer);
      this.engine?.saveCache();
    });
    this.documents.listen(c);
    c.listen();
  }

  private initialize(params: InitializeParams): InitializeResult {
    const caps = params.capabilities;
    this.diagnostics = clientPullsDiagnostics(caps)
      ? new PullDiagnostics(this.connection, caps, (uri) => this.documents.get(uri)?.version ?? null)
      : new PushDiagnostics(this.connection, caps);
    this.configurationSupport = !!caps.workspace?.configuration;
    this.watchedFilesDynamic = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    this.progressSupport = !!caps.window?.workDoneProgress;
    this.resourceOps = !!caps.workspace?.workspaceEdit?.documentChanges && !!caps.workspace.workspaceEdit.resourceOperations?.includes('create');
    const folders = params.workspaceFolders?.map((f) => URI.parse(f.uri).fsPath)
      ?? (params.rootUri ? [URI.parse(params.rootUri).fsPath] : params.rootPath ? [params.rootPath] : []);
    this.roots = folders;
    const init = params.initializationOptions as { settings?: unknown; clientCommands?: unknown; cacheDir?: unknown } | undefined;
    if (init?.settings) this.settings = normalizeSettings(init.settings);
    if (Array.isArray(init?.clientCommands)) this.clientCommands = init.clientCommands.filter((c): c is string => typeof c === 'string');
    // The facts cache: where the client asks (VS Code: the workspace's storage folder), off with
    // null, else where the CLI keeps it.
    if (init?.cacheDir === null) this.cacheDir = undefined;
    else if (typeof init?.cacheDir === 'string' && init.cacheDir) this.cacheDir = init.cacheDir;
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        workspace: { workspaceFolders: { supported: true } },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
        ...this.diagnostics.capabilities,
      },
      serverInfo: { name: 'logfunnel', version: '0.1.0' },
    };
  }

  private async initialized(): Promise<void> {
    if (this.watchedFilesDynamic) {
      void this.connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*' }],
      });
    }
    this.ready = this.scanWorkspace();
    try {
      await this.ready;
    } finally {
      this.schedule(0); // even after a failed scan: pulls wait for an analysis
    }
  }

  private async loadSettings(): Promise<void> {
    if (!this.configurationSupport) return;
    try {
      const raw = await this.connection.workspace.getConfiguration({ section: SETTINGS_SECTION });
      this.settings = normalizeSettings(raw);
    } catch {
      /* keep the last settings */
    }
  }

  private async scanWorkspace(): Promise<void> {
    this.scanning++;
    try {
      await this.readWorkspace();
    } finally {
      this.scanning--;
      this.scannedOnce = true;
    }
    this.scheduleCacheSave();
  }

  /**
   * Writes the facts cache a while after the workspace's files changed on disk (and after the
   * first scan), never in the way of an analysis the user waits for.
   */
  private scheduleCacheSave(): void {
    clearTimeout(this.cacheTimer);
    this.cacheTimer = setTimeout(() => {
      try {
        this.engine?.saveCache();
      } catch (e) {
        this.connection.console.error(`logfunnel: could not write the facts cache: ${(e as Error).message}`);
      }
    }, CACHE_SAVE_DELAY_MS);
  }

  private async readWorkspace(): Promise<void> {
    await this.loadSettings();
    this.parser = await pythonParser();
    this.engine = new AnalysisEngine({ roots: this.roots, exclude: this.settings.exclude, keepTrees: true, cacheDir: this.cacheDir });
    const progress = this.progressSupport ? await this.connection.window.createWorkDoneProgress().catch(() => undefined) : undefined;
    progress?.begin('logfunnel: reading the workspace', 0, undefined, false);
    this.status({ state: 'analyzing', files: 0, findings: 0 });
    try {
      if (this.roots.length) {
        await this.engine.loadAll((done, total) => {
          progress?.report(total ? Math.round((done / total) * 100) : 0, `${done}/${total} files`);
          this.status({ state: 'analyzing', files: done, findings: this.last?.findings.length ?? 0, done, total });
        });
      } else {
        await this.engine.init();
      }
      for (const doc of this.documents.all()) this.applyDocument(doc);
    } catch (e) {
      this.connection.console.error(`logfunnel: workspace scan failed: ${(e as Error).stack ?? e}`);
    } finally {
      progress?.done();
    }
  }

  private onDocument(doc: TextDocument): void {
    if (!this.engine) return; // picked up when the scan finishes
    this.applyDocument(doc);
    this.schedule();
  }

  private applyDocument(doc: TextDocument): void {
    const uri = URI.parse(doc.uri);
    if (uri.scheme !== 'file') return;
    const file = uri.fsPath;
    if (!this.engine?.isAnalysable(file) && !file.endsWith('.py')) return;
    try {
      this.engine!.update(file, doc.getText());
    } catch (e) {
      this.connection.console.error(`logfunnel: could not read ${file}: ${(e as Error).message}`);
    }
  }

  private schedule(delay = ANALYSIS_DELAY_MS): void {
    this.diagnostics.analysisQueued();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.analyzeAndPublish(), delay);
  }

  private analyzeAndPublish(): void {
    // The scan's end queues the analysis again; without an engine after a scan, none can run.
    if (this.scanning || !this.scannedOnce) return;
    if (!this.engine) {
      this.diagnostics.analysisFailed();
      return;
    }
    if (!this.settings.enable || !this.settings.languages.python.enable) {
      this.diagnostics.analysisDone(new Map());
      return;
    }
    let result: AnalysisResult;
    try {
      result = this.engine.analyze();
    } catch (e) {
      this.connection.console.error(`logfunnel: analysis failed: ${(e as Error).stack ?? e}`);
      this.diagnostics.analysisFailed();
      return;
    }
    this.last = result;
    const offers = this.computeOffers(result);
    this.previousOffers = this.offers;
    this.offers = new Map();
    const texts = new Map<string, string | undefined>(); // one copy per file for this generation
    this.generation++;
    const byFile = new Map<string, Diagnostic[]>();
    for (const finding of result.findings) {
      const diagnostic = toDiagnostic(finding, this.settings.rules[finding.rule], this.diagnostics.relatedInformation);
      if (!diagnostic) continue;
      const uri = URI.file(finding.span.file).toString();
      const fixes = offers.get(finding);
      if (fixes?.length) {
        // The analysis generation in the id: a stale diagnostic never picks up another finding's fixes.
        const fixId = `${this.generation}:${this.offers.size}`;
        this.offers.set(fixId, { uri, code: finding.rule, range: diagnostic.range, offers: fixes, texts: this.textsOf(fixes, texts) });
        diagnostic.data = { fixId } satisfies DiagnosticFixData;
      }
      const list = byFile.get(uri) ?? [];
      list.push(diagnostic);
      byFile.set(uri, list);
    }
    this.diagnostics.analysisDone(byFile);
    let count = 0;
    for (const list of byFile.values()) count += list.length;
    this.status({ state: 'idle', files: result.stats.files, findings: count });
  }

  /** Fix offers, computed with the diagnostics so a code action is a lookup. */
  private computeOffers(result: AnalysisResult): Map<unknown, FixOffer[]> {
    if (!this.parser) return new Map();
    try {
      return offersForResult(result, {
        parser: this.parser,
        roots: this.roots,
        interpreter: this.settings.python.interpreter,
        readText: (file) => this.documents.get(URI.file(file).toString())?.getText(),
      });
    } catch (e) {
      this.connection.console.error(`logfunnel: computing fixes failed: ${(e as Error).stack ?? e}`);
      return new Map();
    }
  }

  private codeActions(params: CodeActionParams): CodeAction[] {
    const only = params.context.only;
    const wants = (kind: string) => !only || only.some((k) => kind === k || kind.startsWith(k + '.'));
    const strategy = this.settings.fix.strategy;
    const actions: CodeAction[] = [];
    if (wants(CodeActionKind.QuickFix)) {
      for (const diagnostic of params.context.diagnostics) {
        const entry = this.entryFor(diagnostic, params.textDocument.uri);
        if (entry) actions.push(...quickFixes(diagnostic, entry.offers, strategy, this.resourceOps, this.clientCommands));
      }
    }
    if (only && wants(FIX_ALL_KIND)) {
      const lists = [...this.offers.values()].filter((e) => e.uri === params.textDocument.uri).map((e) => e.offers);
      const action = fixAll(lists, strategy, this.resourceOps, this.clientCommands);
      if (action) actions.push(action);
    }
    return actions;
  }

  /**
   * The offers for a diagnostic the client sent: by its id in this generation; by its id in the
   * previous one while every file those offers edit is unchanged (their ranges still hold); else
   * the current finding at the same range with the same code (the id is unknown or stale).
   */
  private entryFor(diagnostic: Diagnostic, uri: string): OfferEntry | undefined {
    const id = (diagnostic.data as DiagnosticFixData | undefined)?.fixId;
    const current = id === undefined ? undefined : this.offers.get(id);
    if (current) return current.uri === uri ? current : undefined;
    const previous = id === undefined ? undefined : this.previousOffers.get(id);
    if (previous && previous.uri === uri && this.unchanged(previous)) return previous;
    for (const entry of this.offers.values()) {
      if (entry.uri === uri && entry.code === diagnostic.code && sameRange(entry.range, diagnostic.range)) return entry;
    }
    return undefined;
  }

  /** The text of every existing file the offers edit, as it is now (editor first, then disk). */
  private textsOf(offers: FixOffer[], cache: Map<string, string | undefined>): Map<string, string | undefined> {
    const texts = new Map<string, string | undefined>();
    for (const offer of offers) {
      for (const e of offer.edits) {
        if (e.create || texts.has(e.file)) continue;
        if (!cache.has(e.file)) cache.set(e.file, this.currentText(e.file));
        texts.set(e.file, cache.get(e.file));
      }
    }
    return texts;
  }

  private unchanged(entry: OfferEntry): boolean {
    for (const [file, text] of entry.texts) if (this.currentText(file) !== text) return false;
    return true;
  }

  private currentText(file: string): string | undefined {
    const open = this.documents.get(URI.file(file).toString());
    if (open) return open.getText();
    try {
      return fs.readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  }

  private status(params: StatusParams): void {
    void this.connection.sendNotification(StatusNotification.method, params);
  }
}

interface OfferEntry {
  uri: string;
  code: string;
  range: Range;
  offers: FixOffer[];
  /** The texts the offers' edits were computed against. */
  texts: Map<string, string | undefined>;
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
