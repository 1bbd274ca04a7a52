/** Findings → LSP diagnostics. Decides nothing: severity overrides come from settings. */
import { Diagnostic, DiagnosticSeverity, DiagnosticRelatedInformation } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import type { Finding } from '../model/findings';
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
    range: { start: finding.span.start, end: finding.span.end },
    severity: SEVERITY[override ?? finding.severity],
    code: finding.rule,
    codeDescription: { href: ruleDocUrl(finding.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (relatedSupport && finding.related.length) {
    diagnostic.relatedInformation = finding.related.map((r) =>
      DiagnosticRelatedInformation.create({ uri: URI.file(r.span.file).toString(), range: { start: r.span.start, end: r.span.end } }, r.message));
  }
  return diagnostic;
}
