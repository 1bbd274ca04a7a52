/** Small helpers shared by the config front-end tests. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { emptyFacts } from '../src/model/facts';
import type { FileFacts } from '../src/model/facts';
import { addPythonConfigFacts, readConfigFile } from '../src/configs';
import { parsePython } from '../src/python/parser';

/** A throwaway workspace with the given files; returns its absolute root. */
export function workspace(files: Record<string, string> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'lf-configs-'));
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

export function readConfig(root: string, rel: string, text: string): FileFacts {
  return readConfigFile(path.join(root, rel), text, { workspaceRoot: root });
}

export async function readPython(root: string, rel: string, module: string, text: string): Promise<FileFacts> {
  const tree = await parsePython(text);
  if (!tree) throw new Error('tree-sitter gave up');
  const facts = emptyFacts(path.join(root, rel), 'python', module);
  addPythonConfigFacts(tree.rootNode, text, facts, { workspaceRoot: root });
  return facts;
}

/** 1-based line of a span, as the fixtures and messages count. */
export function lineOf(span: { start: { line: number } } | undefined): number | undefined {
  return span ? span.start.line + 1 : undefined;
}

export function countOf(facts: FileFacts, index = 0): unknown {
  const c = facts.starts[index]?.count;
  if (!c) return undefined;
  return c.kind === 'known' ? c.n : { dependsOn: c.dependsOn, atLeast: c.atLeast };
}
