/** Answers `logfunnel/processModel`: which processes run this file's code, and why. */
import * as path from 'path';
import { URI } from 'vscode-uri';
import type { ProcessModelNode, ProcessModelResult } from '../../../common/protocol';
import type { ProcessGroup } from '../model/processModel';
import type { AnalysisResult } from '../workspace/engine';

export function processModelFor(result: AnalysisResult | undefined, file: string, uri: string): ProcessModelResult {
  if (!result) return { uri, roots: [] };
  const model = result.context.models.fork;
  const module = model.program.moduleOfFile(file);
  const scopes = new Set<string>();
  if (module) {
    scopes.add(`module:${module.key}`);
    for (const f of module.facts.functions) scopes.add(f.scope);
  } else {
    scopes.add(`config:${file}`);
  }
  const roots: ProcessModelNode[] = [];
  for (const group of model.groups) {
    const here = [...scopes].filter((s) => group.reach.has(s));
    if (here.length === 0) continue;
    roots.push({
      label: groupLabel(group),
      kind: 'process',
      detail: group.start ? `started at ${path.basename(group.start.span.file)}:${group.start.span.start.line + 1} (${group.startMethod})` : undefined,
      uri: group.start ? URI.file(group.start.span.file).toString() : undefined,
      range: group.start ? { start: group.start.span.start, end: group.start.span.end } : undefined,
      children: here.map((scope) => ({
        label: scope.startsWith('module:') ? `module top level` : `${scope.split(':').pop()}()`,
        kind: scope.startsWith('module:') ? 'module' : 'function',
        detail: describeStep(group, scope),
        children: handlersIn(result, scope),
      })),
    });
  }
  return { uri, roots };
}

function groupLabel(group: ProcessGroup): string {
  if (group.start?.countInDescription) return group.label;
  const n = group.count.kind === 'known' ? `${group.count.n}` : `${group.count.atLeast ?? '?'}+`;
  return `${n} × ${group.label}`;
}

function describeStep(group: ProcessGroup, scope: string): string | undefined {
  const step = group.reach.get(scope);
  if (!step) return 'runs here directly';
  return `${step.how} from ${path.basename(step.span.file)}:${step.span.start.line + 1}`;
}

function handlersIn(result: AnalysisResult, scope: string): ProcessModelNode[] {
  return result.context.models.fork.handlers
    .filter((h) => h.scope === scope)
    .map((h) => ({
      label: `${h.className.split('.').pop()} → ${h.path?.kind === 'literal' ? h.path.value : h.path?.text ?? '?'}`,
      kind: 'handler' as const,
      detail: h.path?.kind === 'per-process' ? `per process: ${h.path.why}` : undefined,
      uri: URI.file(h.span.file).toString(),
      range: { start: h.span.start, end: h.span.end },
      children: [],
    }));
}
