/**
 * Small helpers over tree-sitter-python nodes: spans, scopes, string values, and turning
 * dict/list literals into positioned value trees.
 */
import type { Node } from '../../python/parser';
import type { ScopeId, Span } from '../../model/facts';
import { functionScope, moduleScope } from '../../model/facts';
import type { PValue, PEntry } from '../pvalue';

export function spanOf(node: Node, file: string): Span {
  return {
    file,
    start: { line: node.startPosition.row, character: node.startPosition.column },
    end: { line: node.endPosition.row, character: node.endPosition.column },
  };
}

/** The qualified name of the function a node is in (`Class.method`, `outer.inner`), if any. */
export function enclosingQualname(node: Node): { qualname?: string; functionNode?: Node } {
  const names: string[] = [];
  let functionNode: Node | undefined;
  let inFunction = false;
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'class_definition') {
      const name = n.childForFieldName('name')?.text;
      if (name) names.unshift(name);
      if (n.type === 'function_definition') {
        inFunction = true;
        functionNode ??= n;
      }
    }
  }
  return inFunction ? { qualname: names.join('.'), functionNode } : {};
}

export function scopeOfNode(node: Node, module: string): ScopeId {
  const { qualname } = enclosingQualname(node);
  return qualname ? functionScope(module, qualname) : moduleScope(module);
}

/** The value of a plain string literal (no f-string interpolation), or undefined. */
export function stringValue(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === 'concatenated_string') {
    let out = '';
    for (const part of node.namedChildren) {
      const v = stringValue(part);
      if (v === undefined) return undefined;
      out += v;
    }
    return out;
  }
  if (node.type !== 'string') return undefined;
  let out = '';
  const start = node.children.find((c) => c.type === 'string_start')?.text ?? '';
  const raw = /r/i.test(start);
  for (const child of node.children) {
    if (child.type === 'interpolation') return undefined;
    if (child.type === 'string_content') out += child.text;
    else if (child.type === 'escape_sequence') out += raw ? child.text : decodeEscape(child.text);
  }
  return out;
}

function decodeEscape(text: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
  return map[text.slice(1)] ?? text.slice(1);
}

/** Callee text without whitespace: `logging.config.dictConfig`. */
export function calleeName(call: Node): string {
  return (call.childForFieldName('function')?.text ?? '').replace(/\s+/g, '');
}

export function callArguments(call: Node): { positional: Node[]; keywords: Map<string, Node> } {
  const positional: Node[] = [];
  const keywords = new Map<string, Node>();
  const args = call.childForFieldName('arguments');
  for (const arg of args?.namedChildren ?? []) {
    if (arg.type === 'keyword_argument') {
      const name = arg.childForFieldName('name')?.text;
      const value = arg.childForFieldName('value');
      if (name && value) keywords.set(name, value);
    } else if (arg.type !== 'comment') positional.push(arg);
  }
  return { positional, keywords };
}

/** Resolves names to module-level constants while building a value tree. */
export type NameLookup = (name: string, at: Node) => PValue | undefined;

const MAX_DEPTH = 40;

export function pyValue(node: Node, file: string, lookup: NameLookup, depth = 0): PValue {
  const span = spanOf(node, file);
  if (depth > MAX_DEPTH) return { kind: 'expr', text: node.text, span };
  switch (node.type) {
    case 'parenthesized_expression': {
      const inner = node.namedChildren.find((c) => c.type !== 'comment');
      return inner ? pyValue(inner, file, lookup, depth + 1) : { kind: 'expr', text: node.text, span };
    }
    case 'dictionary': {
      const entries: PEntry[] = [];
      for (const child of node.namedChildren) {
        if (child.type === 'pair') {
          const keyNode = child.childForFieldName('key');
          const valueNode = child.childForFieldName('value');
          const key = stringValue(keyNode);
          if (key === undefined || !keyNode || !valueNode) continue;
          entries.push({ key, keySpan: spanOf(keyNode, file), value: pyValue(valueNode, file, lookup, depth + 1), pairSpan: spanOf(child, file) });
        } else if (child.type === 'dictionary_splat') {
          // `{**BASE, 'handlers': ...}`: merge a dict we can see.
          const inner = child.namedChildren[0];
          const merged = inner ? pyValue(inner, file, lookup, depth + 1) : undefined;
          if (merged?.kind === 'map') entries.push(...merged.entries);
        }
      }
      return { kind: 'map', entries, span };
    }
    case 'call': {
      // `dict(class_=..., filename=...)` is rare for handler dicts but common for nesting.
      if (calleeName(node) === 'dict') {
        const entries: PEntry[] = [];
        const { keywords } = callArguments(node);
        for (const [key, valueNode] of keywords) {
          const pair = valueNode.parent ?? valueNode;
          entries.push({ key, keySpan: spanOf(pair, file), value: pyValue(valueNode, file, lookup, depth + 1), pairSpan: spanOf(pair, file) });
        }
        return { kind: 'map', entries, span };
      }
      return { kind: 'expr', text: node.text, span };
    }
    case 'list':
    case 'tuple':
    case 'set':
      return { kind: 'list', items: node.namedChildren.filter((c) => c.type !== 'comment').map((c) => pyValue(c, file, lookup, depth + 1)), span };
    case 'string':
    case 'concatenated_string': {
      const value = stringValue(node);
      return value !== undefined ? { kind: 'string', value, span } : { kind: 'expr', text: node.text, span };
    }
    case 'integer':
    case 'float':
    case 'true':
    case 'false':
    case 'none':
      return { kind: 'scalar', text: node.text, span };
    case 'identifier': {
      const found = lookup(node.text, node);
      // Keep the use-site span: diagnostics belong where the value is used.
      if (found && (found.kind === 'string' || found.kind === 'scalar')) return { ...found, span };
      if (found) return found;
      return { kind: 'expr', text: node.text, span };
    }
    default:
      return { kind: 'expr', text: node.text, span };
  }
}

const BLOCK_STATEMENTS = new Set(['if_statement', 'elif_clause', 'else_clause', 'try_statement', 'except_clause', 'finally_clause', 'with_statement', 'for_statement', 'while_statement', 'block']);

/** Statements that run at import: the module's own, and those nested in if/try/with/for blocks. */
export function moduleLevelStatements(root: Node): Node[] {
  const out: Node[] = [];
  const visit = (node: Node, depth: number) => {
    for (const child of node.namedChildren) {
      if (BLOCK_STATEMENTS.has(child.type) && depth < 8) visit(child, depth + 1);
      else out.push(child);
    }
  };
  visit(root, 0);
  return out;
}

/**
 * Calls whose callee contains a match of `pattern` (global), found from the text instead of
 * walking every call of the tree: most files mention none of the names we look for.
 */
export function callsMatching(root: Node, text: string, pattern: RegExp): Node[] {
  const calls: Node[] = [];
  const seen = new Set<number>();
  for (const m of text.matchAll(pattern)) {
    const index = m.index ?? 0;
    let n: Node | null = root.descendantForIndex(index, index + m[0].length);
    while (n && n.type !== 'call') n = n.parent;
    const callee = n?.childForFieldName('function');
    if (!n || !callee || index < callee.startIndex || index >= callee.endIndex || seen.has(n.id)) continue;
    seen.add(n.id);
    calls.push(n);
  }
  return calls;
}
