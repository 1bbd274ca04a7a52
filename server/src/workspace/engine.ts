/**
 * The analysis engine shared by the language server, the CLI and the benchmark:
 * files → facts (cached per file, re-read only when a file changes) → linked program →
 * process models → rules → findings.
 *
 * Facts are kept per file, so an edit re-parses one file (incrementally, from its last tree)
 * and re-links; nothing else is read again.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Parser, Tree } from 'web-tree-sitter';
import { FileFacts, emptyFacts } from '../model/facts';
import type { Finding } from '../model/findings';
import { compareFindings } from '../model/findings';
import { keyScopes, ModuleLocation, Program } from '../model/program';
import { buildProcessModel, buildScopeGraph } from '../model/processModel';
import { extractPythonFacts } from '../python/extract';
import { editBetween, pythonParser } from '../python/parser';
import { analysisContext, AnalysisContext } from '../rules/analysisContext';
import { runRules } from '../rules';
import { discoverFiles, moduleNameOf } from './discovery';
import * as configs from './configFrontEnd';

/** Files above this size are not parsed (generated code, data dumps named .py). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export interface EngineOptions {
  roots: string[];
  exclude?: string[];
  /** Keep syntax trees of these files for incremental re-parsing (open editor documents). */
  keepTrees?: boolean;
}

interface FileEntry {
  facts: FileFacts;
  lines?: number;
  location?: ModuleLocation;
  text?: string;
  tree?: Tree | null;
}

export interface AnalysisResult {
  findings: Finding[];
  /** The linked program and process models behind the findings (for explanations). */
  context: AnalysisContext;
  problems: { file: string; line: number; message: string }[];
  stats: { files: number; lines: number; ms: number };
}

export class AnalysisEngine {
  private readonly files = new Map<string, FileEntry>();
  private parser?: Parser;

  constructor(private readonly options: EngineOptions) {}

  get roots(): string[] {
    return this.options.roots;
  }

  async init(): Promise<void> {
    this.parser = await pythonParser();
  }

  /** Reads every file of the workspace. `yieldEvery` lets a server answer requests meanwhile. */
  async loadAll(onProgress?: (done: number, total: number) => void, yieldEvery = 50): Promise<void> {
    await this.init();
    const all: string[] = [];
    for (const root of this.options.roots) {
      all.push(...discoverFiles(root, { exclude: this.options.exclude, isOtherFile: (f) => safeIsConfig(f) }));
    }
    let done = 0;
    for (const file of all) {
      this.readFromDisk(file);
      done++;
      if (done % yieldEvery === 0) {
        onProgress?.(done, all.length);
        await new Promise((r) => setImmediate(r));
      }
    }
    onProgress?.(done, all.length);
  }

  /** The file's facts changed on disk (watched-file event) or was created; `undefined` = deleted. */
  readFromDisk(file: string): void {
    let text: string | undefined;
    let problem: string | undefined;
    try {
      const stat = fs.statSync(file);
      if (!stat.isFile()) problem = 'not a regular file';
      else if (stat.size > MAX_FILE_BYTES) problem = `not analysed: ${(stat.size / 1048576).toFixed(1)} MB is over the ${MAX_FILE_BYTES / 1048576} MB limit`;
      else text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      this.files.delete(file);
      return;
    }
    if (problem) {
      const facts = emptyFacts(file, file.endsWith('.py') ? 'python' : 'config');
      facts.problems.push({ span: { file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, message: problem });
      this.files.set(file, { facts });
      return;
    }
    this.update(file, text!);
  }

  remove(file: string): void {
    this.files.delete(file);
  }

  /** New text for a file (an editor change). Re-parses incrementally when the old tree is kept. */
  update(file: string, text: string): void {
    const previous = this.files.get(file);
    if (previous?.text === text && previous.facts) return;
    if (text.length > MAX_FILE_BYTES) {
      const facts = emptyFacts(file, 'python');
      facts.problems.push({ span: zeroSpan(file), message: `not analysed: the file is over the ${MAX_FILE_BYTES / 1048576} MB limit` });
      this.files.set(file, { facts });
      return;
    }
    const entry = file.endsWith('.py') ? this.extractPython(file, text, previous) : { facts: this.extractConfig(file, text) };
    entry.lines = countLines(text);
    this.files.set(file, entry);
  }

  private extractPython(file: string, text: string, previous?: FileEntry): FileEntry {
    const location = moduleNameOf(file);
    if (looksBinary(text)) {
      const facts = emptyFacts(file, 'python', location.module);
      facts.problems.push({ span: zeroSpan(file), message: 'not analysed: the file looks binary (NUL bytes)' });
      return { facts, location };
    }
    const parser = this.parser!;
    let tree: Tree | null = null;
    try {
      if (this.options.keepTrees && previous?.tree && previous.text !== undefined) {
        const edit = editBetween(previous.text, text);
        if (edit) previous.tree.edit(edit);
        tree = parser.parse(text, previous.tree);
      } else {
        tree = parser.parse(text);
      }
    } catch (e) {
      tree = null;
    }
    if (!tree) {
      const facts = emptyFacts(file, 'python', location.module);
      facts.problems.push({ span: zeroSpan(file), message: 'not analysed: the parser gave up on this file' });
      return { facts, location };
    }
    let facts: FileFacts;
    try {
      facts = extractPythonFacts(tree, file, location.module, location.isPackageInit);
      try {
        configs.addPythonConfigFacts(tree.rootNode, text, facts, { workspaceRoot: this.rootOf(file) });
      } catch (e) {
        facts.problems.push({ span: zeroSpan(file), message: `config reader failed: ${(e as Error).message}` });
      }
    } catch (e) {
      facts = emptyFacts(file, 'python', location.module);
      facts.problems.push({ span: zeroSpan(file), message: `internal error while reading this file: ${(e as Error).message}` });
    }
    alignConfigScopes(facts);
    keyScopes(facts, location);
    if (!this.options.keepTrees) {
      tree.delete();
      return { facts, location, text: undefined };
    }
    previous?.tree?.delete();
    return { facts, location, text, tree };
  }

  private extractConfig(file: string, text: string): FileFacts {
    try {
      return configs.readConfigFile(file, text, { workspaceRoot: this.rootOf(file) }) ?? emptyFacts(file, 'config');
    } catch (e) {
      const facts = emptyFacts(file, 'config');
      facts.problems.push({ span: zeroSpan(file), message: `internal error while reading this file: ${(e as Error).message}` });
      return facts;
    }
  }

  private rootOf(file: string): string {
    return this.options.roots.find((r) => file.startsWith(path.resolve(r) + path.sep)) ?? path.dirname(file);
  }

  isAnalysable(file: string): boolean {
    return file.endsWith('.py') || safeIsConfig(file);
  }

  hasFile(file: string): boolean {
    return this.files.has(file);
  }

  /** Links every file's facts and runs the rules. */
  analyze(): AnalysisResult {
    const t0 = performance.now();
    const program = new Program([...this.files.values()].map((e) => ({ facts: e.facts, location: e.location })));
    const graph = buildScopeGraph(program);
    const models = { fork: buildProcessModel(program, graph, 'fork'), spawn: buildProcessModel(program, graph, 'spawn') };
    const context = analysisContext(program, models);
    const findings = runRules(context).sort(compareFindings);
    const problems: AnalysisResult['problems'] = [];
    for (const e of this.files.values()) {
      for (const p of e.facts.problems) problems.push({ file: e.facts.file, line: p.span.start.line, message: p.message });
    }
    return { findings, context, problems, stats: { files: this.files.size, lines: this.countLines(), ms: performance.now() - t0 } };
  }

  private countLines(): number {
    let n = 0;
    for (const e of this.files.values()) n += e.lines ?? 0;
    return n;
  }

  fileList(): string[] {
    return [...this.files.keys()];
  }
}

function safeIsConfig(file: string): boolean {
  try {
    return configs.isConfigFile(file);
  } catch {
    return false;
  }
}

/**
 * The config reader places what it finds in the module scope or a function; the Python
 * front-end also knows the main-guard block. A `dictConfig(...)` call decides where its
 * handlers come into being, so both move to the innermost code unit around that call.
 */
function alignConfigScopes(facts: FileFacts): void {
  const units = facts.functions
    .map((f) => ({ scope: f.scope, start: f.span.start.line, end: f.span.end.line }))
    .sort((a, b) => (b.start - a.start) || (a.end - b.end));
  const innermost = (line: number, fallback: string) =>
    units.find((u) => u.start <= line && line <= u.end)?.scope ?? fallback;
  const loads = facts.configLoads.map((l) => ({ load: l, original: l.scope }));
  for (const { load } of loads) load.scope = innermost(load.span.start.line, load.scope);
  for (const h of facts.handlers) {
    if (h.origin !== 'config') continue;
    const load = loads
      .filter((l) => l.original === h.scope && l.load.span.start.line >= h.span.start.line)
      .sort((a, b) => a.load.span.start.line - b.load.span.start.line)[0];
    h.scope = load ? load.load.scope : innermost(h.span.start.line, h.scope);
  }
}

function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

function zeroSpan(file: string) {
  return { file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}
