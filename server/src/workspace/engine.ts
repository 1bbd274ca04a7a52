/**
 * The analysis engine shared by the language server, the CLI and the benchmark:
 * files → facts (cached per file, re-read only when a file changes) → linked program →
 * process models → rules → findings.
 *
 * Facts are kept per file, so an edit re-parses one file (incrementally, from its last tree)
 * and re-links; nothing else is read again.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import type { Parser } from 'web-tree-sitter';

import type { Finding } from '../model/findings';
import { compareFindings } from '../model/findings';
import { Program } from '../model/program';
import { buildProcessModel, buildScopeGraph, ScopeGraph } from '../model/processModel';
import { pythonParser } from '../python/parser';
import { FileEntry, readFileEntry, readText } from './fileReader';
import type { FactJob } from './factWorker';
import { analysisContext, AnalysisContext } from '../rules/analysisContext';
import { runRules } from '../rules';
import { discoverFiles } from './discovery';
import * as configs from './configFrontEnd';

export { MAX_FILE_BYTES } from './fileReader';

const WORKER_SCRIPT = path.join(__dirname, 'factWorker.js');

export interface EngineOptions {
  roots: string[];
  exclude?: string[];
  /** Keep syntax trees of these files for incremental re-parsing (open editor documents). */
  keepTrees?: boolean;
  /** Parse every Python file, even those the prefilter deems irrelevant (for tests). */
  fullParse?: boolean;
  /** Worker threads for the first scan (default: the number of cores, at most 4; 1 = none). */
  threads?: number;
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
  /** Files whose facts changed since the last analysis. */
  private readonly changed = new Set<string>();
  private program?: Program;
  private graph?: ScopeGraph;
  private parser?: Parser;

  constructor(private readonly options: EngineOptions) {}

  get roots(): string[] {
    return this.options.roots;
  }

  async init(): Promise<void> {
    this.parser = await pythonParser();
  }

  /**
   * Reads every file of the workspace: in worker threads when there are many files (both
   * cores parse), else here, yielding every `yieldEvery` files so a server stays responsive.
   */
  async loadAll(onProgress?: (done: number, total: number) => void, yieldEvery = 50): Promise<void> {
    await this.init();
    const all: string[] = [];
    for (const root of this.options.roots) {
      all.push(...discoverFiles(root, { exclude: this.options.exclude, isOtherFile: (f) => safeIsConfig(f) }));
    }
    const threads = this.options.threads ?? Math.min(4, os.availableParallelism?.() ?? os.cpus().length);
    // Worker threads pay off only on large trees: each loads the parser anew and holds its own
    // copy of the facts until it hands them over (measured: slower on Django's 859 files).
    if (threads > 1 && all.length >= 1500 && fs.existsSync(WORKER_SCRIPT)) {
      await this.loadInWorkers(all, threads, onProgress);
      return;
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

  private async loadInWorkers(files: string[], threads: number, onProgress?: (done: number, total: number) => void): Promise<void> {
    // Deal files round-robin by size so each worker gets a similar amount of text.
    const sized = files.map((f) => ({ f, size: safeSize(f) })).sort((a, b) => b.size - a.size);
    const shares: string[][] = Array.from({ length: threads }, () => []);
    sized.forEach(({ f }, i) => shares[i % threads].push(f));
    let done = 0;
    await Promise.all(shares.map((share) => new Promise<void>((resolve, reject) => {
      const worker = new Worker(WORKER_SCRIPT);
      const rootOf: Record<string, string> = {};
      for (const f of share) rootOf[f] = this.rootOf(f);
      worker.once('message', (entries: [string, FileEntry | undefined][]) => {
        for (const [file, entry] of entries) {
          if (entry) this.files.set(file, entry);
          this.changed.add(file);
        }
        done += share.length;
        onProgress?.(done, files.length);
        void worker.terminate();
        resolve();
      });
      worker.once('error', reject);
      worker.postMessage({ files: share, rootOf, fullParse: this.options.fullParse } satisfies FactJob);
    })));
  }

  /** The file changed on disk (watched-file event) or was created. */
  readFromDisk(file: string): void {
    const entry = readFileEntry(file, this.parser!, { workspaceRoot: this.rootOf(file), fullParse: this.options.fullParse });
    if (entry) this.files.set(file, entry);
    else this.files.delete(file);
    this.changed.add(file);
  }

  remove(file: string): void {
    this.files.get(file)?.tree?.delete();
    this.files.delete(file);
    this.changed.add(file);
  }

  /** New text for a file (an editor change). Re-parses incrementally when the old tree is kept. */
  update(file: string, text: string): void {
    const previous = this.files.get(file);
    if (previous?.text === text) return;
    const entry = readText(file, text, this.parser!, {
      workspaceRoot: this.rootOf(file),
      fullParse: this.options.fullParse,
      keepTree: this.options.keepTrees,
      previous: previous?.tree && previous.text !== undefined ? { tree: previous.tree, text: previous.text } : undefined,
    });
    this.files.set(file, entry);
    this.changed.add(file);
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
    const { program, graph } = this.link();
    const models = { fork: buildProcessModel(program, graph, 'fork'), spawn: buildProcessModel(program, graph, 'spawn') };
    const context = analysisContext(program, models);
    const findings = runRules(context).sort(compareFindings);
    const problems: AnalysisResult['problems'] = [];
    for (const e of this.files.values()) {
      for (const p of e.facts.problems) problems.push({ file: e.facts.file, line: p.span.start.line, message: p.message });
    }
    return { findings, context, problems, stats: { files: this.files.size, lines: this.countLines(), ms: performance.now() - t0 } };
  }

  /**
   * Brings the linked program and the scope graph up to date with the files changed since the
   * last run: only their edges are recomputed, unless a change is visible to other files.
   */
  private link(): { program: Program; graph: ScopeGraph } {
    if (!this.program || !this.graph) {
      this.program = new Program([...this.files.values()].map((e) => ({ facts: e.facts, location: e.location })));
      this.graph = buildScopeGraph(this.program);
      this.changed.clear();
      return { program: this.program, graph: this.graph };
    }
    let everything = false;
    for (const file of this.changed) {
      const entry = this.files.get(file);
      if (entry) everything = this.program.upsert(entry.facts, entry.location) || everything;
      else everything = this.program.remove(file) || everything;
    }
    this.graph.update(this.program, everything ? undefined : this.changed);
    this.changed.clear();
    return { program: this.program, graph: this.graph };
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

function safeSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

