/**
 * Python syntax through web-tree-sitter and the tree-sitter-python grammar.
 *
 * One Parser per process (tree-sitter parsers are not re-entrant but are cheap to reuse).
 * Trees are kept by the caller so an edit can be re-parsed incrementally: `reparse` applies the
 * edit to the old tree first, which lets tree-sitter reuse every unchanged subtree.
 */
import * as path from 'path';
import * as fs from 'fs';
import { Parser, Language, Tree, Node, Edit } from 'web-tree-sitter';

export type { Tree, Node };

let parserPromise: Promise<Parser> | undefined;

/**
 * Where the two wasm files live: beside the bundle in the packaged extension (dist/), or in
 * node_modules when running from source.
 */
function locateWasm(fileName: string, packageName: string): string {
  const besideBundle = path.join(__dirname, fileName);
  if (fs.existsSync(besideBundle)) return besideBundle;
  return require.resolve(`${packageName}/${fileName}`);
}

export function pythonParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      const runtimeWasm = locateWasm('web-tree-sitter.wasm', 'web-tree-sitter');
      await Parser.init({ locateFile: () => runtimeWasm });
      const language = await Language.load(locateWasm('tree-sitter-python.wasm', 'tree-sitter-python'));
      const parser = new Parser();
      parser.setLanguage(language);
      return parser;
    })();
  }
  return parserPromise;
}

/** Parses a whole file. Returns null only if tree-sitter gave up (timeout or cancellation). */
export async function parsePython(text: string): Promise<Tree | null> {
  const parser = await pythonParser();
  return parser.parse(text);
}

/** Synchronous variant for callers that already awaited `pythonParser()` once. */
export function parsePythonSync(parser: Parser, text: string, old?: Tree | null): Tree | null {
  return parser.parse(text, old ?? null);
}

/** Computes the tree-sitter edit for replacing `oldText` by `newText` (same prefix/suffix trimmed). */
export function editBetween(oldText: string, newText: string): Edit | undefined {
  if (oldText === newText) return undefined;
  let start = 0;
  const minLen = Math.min(oldText.length, newText.length);
  while (start < minLen && oldText.charCodeAt(start) === newText.charCodeAt(start)) start++;
  let oldEnd = oldText.length;
  let newEnd = newText.length;
  while (oldEnd > start && newEnd > start && oldText.charCodeAt(oldEnd - 1) === newText.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(oldText, start),
    oldEndPosition: pointAt(oldText, oldEnd),
    newEndPosition: pointAt(newText, newEnd),
  });
}

/**
 * tree-sitter's `column` counts UTF-16 code units in web-tree-sitter (it parses JS strings),
 * which matches LSP's default position encoding.
 */
function pointAt(text: string, index: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: index - lineStart };
}

/** Re-parses after an edit, reusing the old tree. */
export async function reparsePython(oldTree: Tree, oldText: string, newText: string): Promise<Tree | null> {
  const parser = await pythonParser();
  const edit = editBetween(oldText, newText);
  if (!edit) return oldTree;
  oldTree.edit(edit);
  return parser.parse(newText, oldTree);
}
