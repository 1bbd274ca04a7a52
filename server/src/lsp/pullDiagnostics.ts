/**
 * Pull diagnostics (LSP 3.17): the client asks with `textDocument/diagnostic` and
 * `workspace/diagnostic` instead of waiting for `publishDiagnostics`.
 *
 * Each file's report carries a result id that changes only when that file's diagnostics change,
 * so a client asking again with the id it holds gets `unchanged` and nothing is re-sent; the
 * workspace report lists every file that has findings or had some before (with an empty report,
 * so they clear). The analysis is whole-workspace (an edit in one file can add or remove a finding
 * in another), hence `interFileDependencies`, and `workspace/diagnostic/refresh` after an analysis
 * that changed any report.
 *
 * A request waits for the analysis the latest edit queued, and at start for the first analysis
 * of the workspace: answering earlier would show findings of text that no longer exists, or
 * none at all, and the client would keep them (the id says they are current). The wait is a
 * promise, never a loop; a cancelled request is answered at once.
 */
import { randomBytes } from 'crypto';
import {
  CancellationToken, ClientCapabilities, Connection, Diagnostic, DocumentDiagnosticParams, DocumentDiagnosticReport, DocumentDiagnosticReportKind,
  LSPErrorCodes, ResponseError, ServerCapabilities, WorkspaceDiagnosticParams, WorkspaceDiagnosticReport, WorkspaceDocumentDiagnosticReport,
} from 'vscode-languageserver/node';
import { DIAGNOSTIC_SOURCE } from '../../../common/protocol';
import type { DiagnosticsChannel } from './diagnostics';

/** Whether the client pulls diagnostics (it announced `textDocument.diagnostic`). */
export function clientPullsDiagnostics(client: ClientCapabilities): boolean {
  return client.textDocument?.diagnostic !== undefined;
}

interface FileReport {
  resultId: string;
  items: Diagnostic[];
  /** The diagnostics without their fix ids (those change with every analysis): decides `unchanged`. */
  fingerprint: string;
  /** The version of the open document the diagnostics were computed from; null for files on disk. */
  version: number | null;
}

export class PullDiagnostics implements DiagnosticsChannel {
  readonly capabilities: ServerCapabilities = {
    diagnosticProvider: { identifier: DIAGNOSTIC_SOURCE, interFileDependencies: true, workspaceDiagnostics: true },
  };
  readonly relatedInformation: boolean;
  private readonly refreshSupport: boolean;
  /** A result id from an earlier server process must never match one of ours. */
  private readonly session = randomBytes(6).toString('hex');
  /** The id of "no diagnostics" for a file that never had any. */
  private readonly emptyId = `${this.session}:0`;
  /** Every file that has diagnostics or had some: the files a workspace report lists. */
  private readonly reports = new Map<string, FileReport>();
  private generation = 0;
  /** True until the first analysis, and from a queued analysis until it has run. */
  private stale = true;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly connection: Connection, client: ClientCapabilities, private readonly versionOf: (uri: string) => number | null) {
    this.relatedInformation = !!client.textDocument?.diagnostic?.relatedInformation;
    this.refreshSupport = !!client.workspace?.diagnostics?.refreshSupport;
    connection.languages.diagnostics.on((params, token) => this.documentReport(params, token));
    connection.languages.diagnostics.onWorkspace((params, token) => this.workspaceReport(params, token));
  }

  analysisQueued(): void {
    this.stale = true;
  }

  analysisDone(byUri: Map<string, Diagnostic[]>): void {
    this.generation++;
    let changed = false;
    for (const [uri, items] of byUri) changed = this.store(uri, items) || changed;
    for (const uri of this.reports.keys()) {
      if (!byUri.has(uri)) changed = this.store(uri, []) || changed;
    }
    this.settle();
    if (changed && this.refreshSupport) {
      // The client pulls its open documents again; the others come with its next workspace pull.
      this.connection.languages.diagnostics.refresh().catch(() => undefined);
    }
  }

  analysisFailed(): void {
    this.settle();
  }

  /** Keeps a file's diagnostics; true when they differ from what its result id stood for. */
  private store(uri: string, items: Diagnostic[]): boolean {
    const fingerprint = JSON.stringify(items.map(({ data: _fixId, ...rest }) => rest));
    const version = this.versionOf(uri);
    const known = this.reports.get(uri);
    if (known?.fingerprint === fingerprint) {
      // Same findings: the id stands. The fresh fix ids go to clients that ask without one.
      known.items = items;
      known.version = version;
      return false;
    }
    if (!known && !items.length) return false;
    this.reports.set(uri, { resultId: `${this.session}:${this.generation}`, items, fingerprint, version });
    return true;
  }

  private settle(): void {
    this.stale = false;
    const waiters = [...this.waiters];
    this.waiters.clear();
    for (const wake of waiters) wake();
  }

  private async documentReport(params: DocumentDiagnosticParams, token: CancellationToken): Promise<DocumentDiagnosticReport> {
    await this.whenCurrent(token);
    const report = this.reports.get(params.textDocument.uri);
    const resultId = report?.resultId ?? this.emptyId;
    if (params.previousResultId === resultId) return { kind: DocumentDiagnosticReportKind.Unchanged, resultId };
    return { kind: DocumentDiagnosticReportKind.Full, resultId, items: report?.items ?? [] };
  }

  private async workspaceReport(params: WorkspaceDiagnosticParams, token: CancellationToken): Promise<WorkspaceDiagnosticReport> {
    await this.whenCurrent(token);
    const previous = new Map((params.previousResultIds ?? []).map((p) => [p.uri, p.value]));
    const items: WorkspaceDocumentDiagnosticReport[] = [];
    for (const [uri, report] of this.reports) {
      const { resultId, version } = report;
      items.push(previous.get(uri) === resultId
        ? { kind: DocumentDiagnosticReportKind.Unchanged, uri, resultId, version }
        : { kind: DocumentDiagnosticReportKind.Full, uri, resultId, version, items: report.items });
    }
    // Files the client holds an id for that we never reported (an earlier server's): clear them.
    for (const [uri, value] of previous) {
      if (!this.reports.has(uri) && value !== this.emptyId) {
        items.push({ kind: DocumentDiagnosticReportKind.Full, uri, resultId: this.emptyId, version: this.versionOf(uri), items: [] });
      }
    }
    return { items };
  }

  /** Resolves once no analysis is queued; rejects with RequestCancelled when the client cancels. */
  private whenCurrent(token: CancellationToken): Promise<void> {
    if (token.isCancellationRequested) return Promise.reject(cancelled());
    if (!this.stale) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const wake = () => {
        subscription.dispose();
        resolve();
      };
      const subscription = token.onCancellationRequested(() => {
        this.waiters.delete(wake);
        reject(cancelled());
      });
      this.waiters.add(wake);
    });
  }
}

function cancelled(): ResponseError<void> {
  return new ResponseError(LSPErrorCodes.RequestCancelled, 'the request was cancelled');
}
