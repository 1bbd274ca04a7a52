/**
 * Python syntax through web-tree-sitter and the tree-sitter-python grammar.
 *
 * One Parser per process (tree-sitter parsers are not re-entrant but are cheap to reuse).
 * Trees are kept by the caller so an edit can be re-parsed incrementally: the reader applies the
 * edit (textEdit.ts) to the old tree first, which lets tree-sitter reuse every unchanged subtree.
 */
import * as path from 'path';
import * as fs from 'fs';
import { Parser, Language, Tree, Node } from 'web-tree-sitter';

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

/** Whether anything in this thread has asked for the parser yet (its grammar is then loading or loaded). */
export function parserRequested(): boolean {
  return parserPromise !== undefined;
}

export function pythonParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      const runtimeWasm = locateWasm('web-tree-sitter.wasm', 'web-tree-sitter');
      await Parser.init({ locateFile: () => runtimeWasm });
      // As bytes, not a path: for a path the library reads the file through a dynamic
      // import('fs/promises'), which a bundle compiled with vm.Script (bin/loadCli.js, for its
      // code cache) cannot run on Node 20.
      const language = await Language.load(fs.readFileSync(locateWasm('tree-sitter-python.wasm', 'tree-sitter-python')));
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
