/** Small helpers to read Python source for edits: offsets, nodes at a position, imports. */
import type { Node, Tree } from 'web-tree-sitter';
import type { LineIndex } from '../model/lineIndex';
import type { TextFileEdit } from './types';

/** An edit replacing the text of `node` (by character offsets, web-tree-sitter's index unit). */
export function replaceNode(file: string, index: LineIndex, node: Node, newText: string): TextFileEdit {
  return replaceOffsets(file, index, node.startIndex, node.endIndex, newText);
}

export function replaceOffsets(file: string, index: LineIndex, start: number, end: number, newText: string): TextFileEdit {
  return { file, range: { start: index.position(start), end: index.position(end) }, newText };
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
  return insertAtLine(file, index, lineAfterImports(tree, index), `import ${moduleName}\n`);
}

/** Where module-level code added by a fix goes: after the last top-level import, else after the docstring. */
export function lineAfterImports(tree: Tree, index: LineIndex): number {
  const top = tree.rootNode.namedChildren.filter((c): c is Node => !!c);
  const imports = top.filter((c) => IMPORT_TYPES.includes(c.type));
  if (imports.length) return imports[imports.length - 1].endPosition.row + 1;
  const first = top.find((c) => c.type !== 'comment');
  const isDocstring = first?.type === 'expression_statement' && first.firstNamedChild?.type === 'string';
  return first ? (isDocstring ? first.endPosition.row + 1 : first.startPosition.row) : index.lineCount;
}

/** Inserts whole lines before `line`; past the last line, at the end (after a line break if the text lacks one). */
export function insertAtLine(file: string, index: LineIndex, line: number, lines: string): TextFileEdit {
  if (line >= index.lineCount) {
    const end = index.position(index.text.length);
    const prefix = index.text.endsWith('\n') || index.text.length === 0 ? '' : '\n';
    return { file, range: { start: end, end }, newText: `${prefix}${lines}` };
  }
  const at = { line, character: 0 };
  return { file, range: { start: at, end: at }, newText: lines };
}
