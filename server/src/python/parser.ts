/**
 * Python syntax through web-tree-sitter and the tree-sitter-python grammar.
 *
 * One Parser per process (tree-sitter parsers are not re-entrant but are cheap to reuse).
 * Trees are kept by the caller so an edit can be re-parsed incrementally: the reader applies the
 * edit (textEdit.ts) to the old tree first, which lets tree-sitter reuse every unchanged subtree.
 */
import * as path from 'path';
import * as fs from 'fs';
import * as v8 from 'v8';
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

/**
 * How V8 runs WebAssembly, for every thread of the process. `tiered` is V8's default: a function
 * is compiled with Liftoff on its first call and again with TurboFan once it is hot. `baseline`
 * is `--liftoff-only`: Liftoff code throughout, compiled up front.
 *
 * One thread that parses a little (a check of Django: 4 files, 62K characters) does better on
 * `baseline`: the check took 237 against 279 ms (alternated, median of 11). Neither half of it
 * alone gave that (`--no-wasm-tier-up` 278, `--no-wasm-lazy-compilation` 282, against 272). Set
 * only while the grammar loaded it saved nothing: it must stay set while files are parsed and
 * walked. Parsing megabytes is faster `tiered`: the stdlib's check with its workers on
 * `baseline` took 100-150 ms longer, so the engine goes back before it starts workers.
 *
 * `--liftoff-only` turns `--wasm-tier-up` and `--wasm-dynamic-tiering` off as it is set, and
 * clearing it does not turn them back on: `tiered` sets all three. Back on V8's defaults, the
 * flag hash that a V8 code cache is checked against (bin/loadCli.js writes one at exit) is the
 * default one again.
 */
export function setWasmTiering(mode: 'baseline' | 'tiered'): void {
  v8.setFlagsFromString(mode === 'baseline' ? '--liftoff-only' : '--no-liftoff-only --wasm-tier-up --wasm-dynamic-tiering');
}

/** Whether anything in this thread has asked for the parser yet (its grammar is then loading or loaded). */
export function parserRequested(): boolean {
  return parserPromise !== undefined;
}

export function pythonParser(): Promise<Parser> {
  if (!parserPromise) {
    parserPromise = (async () => {
      const runtimeWasm = locateWasm('web-tree-sitter.wasm', 'web-tree-sitter');
      // As bytes, not a path: for a path the library reads the file through a dynamic
      // import('fs/promises'), which a bundle compiled with vm.Script (bin/loadCli.js, for its
      // code cache) cannot run on Node 20.
      const grammar = fs.readFileSync(locateWasm('tree-sitter-python.wasm', 'tree-sitter-python'));
      await Parser.init({ locateFile: () => runtimeWasm });
      const language = await Language.load(grammar);
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
