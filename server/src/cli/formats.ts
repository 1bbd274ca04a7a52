/** CLI output formats: compiler-style text, the JSON other tools read, and SARIF 2.1.0. */
import * as path from 'path';
import type { Finding } from '../model/findings';
import { RULE_TITLES } from '../model/findings';
import type { StoredRun } from '../workspace/engine';
import { ruleDocUrl } from '../rules/docs';

export interface JsonReport {
  findings: {
    file: string;
    line: number;
    column: number;
    endLine: number;
    endColumn: number;
    rule: string;
    severity: string;
    message: string;
    related: { file: string; line: number; message: string }[];
  }[];
  stats: { files: number; lines: number; ms: number };
}

const rel = (root: string, file: string) => path.relative(root, file).split(path.sep).join('/') || path.basename(file);

export function toJson(result: StoredRun, root: string, ms: number): JsonReport {
  return {
    findings: result.findings.map((f) => ({
      file: rel(root, f.span.file),
      line: f.span.start.line + 1,
      column: f.span.start.character + 1,
      endLine: f.span.end.line + 1,
      endColumn: f.span.end.character + 1,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      related: f.related.map((r) => ({ file: rel(root, r.span.file), line: r.span.start.line + 1, message: r.message })),
    })),
    stats: { files: result.stats.files, lines: result.stats.lines, ms: Math.round(ms) },
  };
}

export function toText(result: StoredRun, root: string): string {
  const out: string[] = [];
  for (const f of result.findings) {
    out.push(`${rel(root, f.span.file)}:${f.span.start.line + 1}:${f.span.start.character + 1}: ${f.rule} [${f.severity}] ${f.message}`);
    for (const r of f.related) out.push(`    ${rel(root, r.span.file)}:${r.span.start.line + 1}: ${r.message}`);
  }
  const n = result.findings.length;
  out.push(n === 0 ? `No findings in ${result.stats.files} files.` : `${n} finding${n === 1 ? '' : 's'} in ${result.stats.files} files.`);
  return out.join('\n');
}

const SARIF_LEVEL: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(result: StoredRun, root: string, version: string): object {
  const rules = Object.entries(RULE_TITLES).map(([id, name]) => ({
    id,
    name,
    helpUri: ruleDocUrl(id),
    shortDescription: { text: name.replace(/-/g, ' ') },
  }));
  const location = (file: string, line: number, col?: number, endLine?: number, endCol?: number) => ({
    physicalLocation: {
      artifactLocation: { uri: rel(root, file), uriBaseId: '%SRCROOT%' },
      region: { startLine: line, ...(col ? { startColumn: col } : {}), ...(endLine ? { endLine, endColumn: endCol } : {}) },
    },
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'logfunnel', version, informationUri: 'https://github.com/logfunnel/logfunnel', rules } },
        results: result.findings.map((f) => ({
          ruleId: f.rule,
          ruleIndex: rules.findIndex((r) => r.id === f.rule),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [location(f.span.file, f.span.start.line + 1, f.span.start.character + 1, f.span.end.line + 1, f.span.end.character + 1)],
          relatedLocations: f.related.map((r, i) => ({ id: i, message: { text: r.message }, ...location(r.span.file, r.span.start.line + 1) })),
        })),
      },
    ],
  };
}
