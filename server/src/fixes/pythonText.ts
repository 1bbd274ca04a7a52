/** Small helpers to read Python source for edits: offsets, nodes at a position, imports. */
import type { Node, Tree } from 'web-tree-sitter';
import type { Position } from '../model/facts';
import type { TextFileEdit } from './types';

/** Offsets ↔ LSP positions (UTF-16), over one text. */
export class LineIndex {
  private readonly starts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }
  offsetOf(p: Position): number {
    const start = this.starts[Math.min(p.line, this.starts.length - 1)] ?? 0;
    return Math.min(start + p.character, this.text.length);
  }
  positionOf(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }
  lineText(line: number): string {
    const start = this.starts[line] ?? this.text.length;
    const next = this.starts[line + 1];
    return this.text.slice(start, next === undefined ? undefined : next - 1).replace(/\r$/, '');
  }
  get lineCount(): number {
    return this.starts.length;
  }
}

/** An edit replacing the text of `node` (by character offsets, web-tree-sitter's index unit). */
export function replaceNode(file: string, index: LineIndex, node: Node, newText: string): TextFileEdit {
  return replaceOffsets(file, index, node.startIndex, node.endIndex, newText);
}

export function replaceOffsets(file: string, index: LineIndex, start: number, end: number, newText: string): TextFileEdit {
  return { file, range: { start: index.positionOf(start), end: index.positionOf(end) }, newText };
}

/** The outermost node of `type` that starts exactly at `offset`. */
export function nodeStartingAt(tree: Tree, offset: number, type: string): Node | undefined {
  let node: Node | null = tree.rootNode.descendantForIndex(offset, offset);
  let found: Node | undefined;
  while (node) {
    if (node.type === type && node.startIndex === offset) found = node;
    if (node.startIndex < offset) break;
    node = node.parent;
  }
  return found;
}

/** The innermost ancestor (or self) of one of `types`. */
export function enclosing(node: Node, types: string[]): Node | undefined {
  let n: Node | null = node;
  while (n) {
    if (types.includes(n.type)) return n;
    n = n.parent;
  }
  return undefined;
}

const IMPORT_TYPES = ['import_statement', 'import_from_statement', 'future_import_statement'];

/** True when the module already has `import logfunnel` at top level. */
export function hasTopLevelImport(tree: Tree, moduleName: string): boolean {
  for (const child of tree.rootNode.namedChildren) {
    if (!child || child.type !== 'import_statement') continue;
    for (const name of child.namedChildren) {
      if (name && name.type === 'dotted_name' && name.text === moduleName) return true;
    }
  }
  return false;
}

/**
 * `import <module>` after the last top-level import (or after the docstring and leading
 * comments when there is none), once: returns undefined when it is already there.
 */
export function addImportEdit(file: string, tree: Tree, index: LineIndex, moduleName: string): TextFileEdit | undefined {
  if (hasTopLevelImport(tree, moduleName)) return undefined;
  const top = tree.rootNode.namedChildren.filter((c): c is Node => !!c);
  const imports = top.filter((c) => IMPORT_TYPES.includes(c.type));
  let line: number;
  if (imports.length) {
    line = imports[imports.length - 1].endPosition.row + 1;
  } else {
    const first = top.find((c) => c.type !== 'comment');
    const isDocstring = first?.type === 'expression_statement' && first.firstNamedChild?.type === 'string';
    line = first ? (isDocstring ? first.endPosition.row + 1 : first.startPosition.row) : index.lineCount;
  }
  if (line >= index.lineCount) {
    const end = index.positionOf(index.text.length);
    const prefix = index.text.endsWith('\n') || index.text.length === 0 ? '' : '\n';
    return { file, range: { start: end, end }, newText: `${prefix}import ${moduleName}\n` };
  }
  const at = { line, character: 0 };
  return { file, range: { start: at, end: at }, newText: `import ${moduleName}\n` };
}
