/**
 * Findings → LSP diagnostics, and how they reach the client. Decides nothing: severity
 * overrides come from settings.
 */
import { ClientCapabilities, Connection, Diagnostic, Range, DiagnosticSeverity, DiagnosticRelatedInformation, ServerCapabilities } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Finding } from '../model/findings';
import type { Span } from '../model/facts';
import { ruleDocUrl } from '../rules/docs';
import { DIAGNOSTIC_SOURCE } from '../../../common/protocol';
import type { RuleSeverity } from '../../../common/settings';

const SEVERITY: Record<Exclude<RuleSeverity, 'off'>, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, override: RuleSeverity | undefined, relatedSupport: boolean): Diagnostic | undefined {
  if (override === 'off') return undefined;
  const diagnostic: Diagnostic = {
    range: rangeOf(finding.span),
    severity: SEVERITY[override ?? finding.severity],
    code: finding.rule,
    codeDescription: { href: ruleDocUrl(finding.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (relatedSupport && finding.related.length) {
    diagnostic.relatedInformation = finding.related.map((r) =>
      DiagnosticRelatedInformation.create({ uri: URI.file(r.span.file).toString(), range: rangeOf(r.span) }, r.message));
  }
  return diagnostic;
}

/**
 * A copy of a span's positions: the engine moves the spans of facts in place when an edit only
 * moves code, and a diagnostic already sent (or held to compare with the next) must not move.
 */
function rangeOf(span: Span): Range {
  return { start: { line: span.start.line, character: span.start.character }, end: { line: span.end.line, character: span.end.character } };
}

/**
 * Where the diagnostics of each finished analysis go. Two implementations, chosen once at
 * `initialize` from the client's capabilities: {@link PushDiagnostics} (publishDiagnostics) and
 * PullDiagnostics in ./pullDiagnostics (textDocument/diagnostic, workspace/diagnostic). The
 * server tells a channel when an analysis is queued and what it found; it never asks which kind
 * of channel it has.
 */
export interface DiagnosticsChannel {
  /** What the channel adds to the `initialize` result. */
  readonly capabilities: ServerCapabilities;
  /** Whether the client can show `relatedInformation` on the diagnostics of this channel. */
  readonly relatedInformation: boolean;
  /** An edit, file event or settings change queued an analysis: what is held is about to be stale. */
  analysisQueued(): void;
  /** A finished analysis: every file with diagnostics, by URI (files absent have none). */
  analysisDone(byUri: Map<string, Diagnostic[]>): void;
  /** The queued analysis could not run: the last diagnostics stand. */
  analysisFailed(): void;
}

/** LSP before 3.17, and every client that does not announce `textDocument.diagnostic`. */
export class PushDiagnostics implements DiagnosticsChannel {
  readonly capabilities: ServerCapabilities = {};
  readonly relatedInformation: boolean;
  /** URIs with diagnostics in the last publish: they get an empty publish when they clear. */
  private published = new Set<string>();

  constructor(private readonly connection: Connection, client: ClientCapabilities) {
    this.relatedInformation = !!client.textDocument?.publishDiagnostics?.relatedInformation;
  }

  analysisQueued(): void {}

  analysisDone(byUri: Map<string, Diagnostic[]>): void {
    for (const uri of this.published) {
      if (!byUri.has(uri)) void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    for (const [uri, diagnostics] of byUri) void this.connection.sendDiagnostics({ uri, diagnostics });
    this.published = new Set(byUri.keys());
  }

  analysisFailed(): void {}
}
