/**
 * One file's text → its facts. Pure (no engine state), so the same code runs on the main
 * thread for edits and in worker threads for the first scan of a workspace.
 */
import * as fs from 'fs';
import type { Parser, Tree } from 'web-tree-sitter';
import { FileFacts, emptyFacts } from '../model/facts';
import { keyScopes, moduleKey, ModuleLocation } from '../model/program';
import { extractPythonFacts } from '../python/extract';
import { extractForKeptTree } from '../python/incrementalExtract';
import { lightScan } from '../python/lightFacts';
import { needsFullParse } from '../python/prefilter';
import { partialText } from '../python/partialParse';
import { addLeftOutStatements } from './partialFacts';
import { confirmUnpickleHazards } from '../python/receivedBytes';
import { textEdit } from '../python/textEdit';
import { moduleNameOf } from './discovery';
import * as configs from './configFrontEnd';

export interface FileEntry {
  facts: FileFacts;
  location?: ModuleLocation;
  lines?: number;
  /**
   * Other files the facts depend on (a launcher's `.env`, the gunicorn config it names, files it
   * looked for and did not find): the workspace re-reads this file when one of them changes.
   */
  reads?: string[];
  /** Kept only with `keepTree`, for incremental re-parsing of the next edit (and while `deferred`). */
  text?: string;
  /**
   * The line scan was put off (`deferLineScan`): the facts are empty until `scanDeferred` runs
   * on the kept text. Only the process model reads what the scan finds.
   */
  deferred?: true;
  tree?: Tree | null;
}

export interface ReadOptions {
  workspaceRoot: string;
  fullParse?: boolean;
  /** The caller ran the prefilter already (`needsParser`): its answer, so it does not run twice. */
  parse?: boolean;
  keepTree?: boolean;
  previous?: { tree: Tree; text: string };
  /**
   * A file the prefilter leaves to the line scan is kept as text instead, scanned only if the
   * run turns out to need the process model (a single run: a check; its facts cache stores the
   * file as put off).
   */
  deferLineScan?: boolean;
}

export function zeroSpan(file: string) {
  return { file, start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

function withProblem(facts: FileFacts, message: string): FileFacts {
  facts.problems.push({ span: zeroSpan(facts.file), message });
  return facts;
}

export function readPythonText(file: string, text: string, parser: Parser, options: ReadOptions): FileEntry {
  const location = moduleNameOf(file);
  if (looksBinary(text)) {
    return { facts: withProblem(emptyFacts(file, 'python', location.module), 'not analysed: the file looks binary (NUL bytes)'), location, lines: countLines(text) };
  }
  if (!options.fullParse && !options.previous && !(options.parse ?? needsFullParse(text))) {
    if (options.deferLineScan && !mayNameFileHandler(text)) {
      return { facts: emptyFacts(file, 'python', location.module), location, lines: countLines(text), text, deferred: true };
    }
    const { facts, lines } = lineScan(text, file, location);
    // The text is kept when trees are: a later edit may make the file relevant.
    return { facts, location, lines, text: options.keepTree ? text : undefined };
  }
  const lines = countLines(text);
  // A tree that is kept must be the whole file's (edits reparse it); one that is not need only
  // hold the statements that matter.
  const partial = options.keepTree || options.previous || options.fullParse ? undefined : partialText(text);
  const parsedText = partial?.parsed ?? text;
  let tree: Tree | null = null;
  let edit: ReturnType<typeof textEdit>;
  try {
    if (options.previous) {
      edit = textEdit(options.previous.text, text);
      if (edit) options.previous.tree.edit(edit);
      tree = parser.parse(text, options.previous.tree);
    } else {
      tree = parser.parse(parsedText);
    }
  } catch {
    tree = null;
  }
  if (!tree) return { facts: withProblem(emptyFacts(file, 'python', location.module), 'not analysed: the parser gave up on this file'), location, lines };
  let facts: FileFacts;
  try {
    // A kept tree keeps per-statement records too, so the next edit re-walks only what changed.
    facts = options.keepTree
      ? extractForKeptTree(tree, file, location.module, location.isPackageInit, options.previous && { tree: options.previous.tree, edit })
      : extractPythonFacts(tree, file, location.module, location.isPackageInit);
    try {
      configs.addPythonConfigFacts(tree.rootNode, parsedText, facts, { workspaceRoot: options.workspaceRoot });
    } catch (e) {
      withProblem(facts, `config reader failed: ${(e as Error).message}`);
    }
    // After the walk, on the whole tree: the trace crosses the statements the walk reads alone.
    confirmUnpickleHazards(tree.rootNode, parsedText, facts);
  } catch (e) {
    facts = withProblem(emptyFacts(file, 'python', location.module), `internal error while reading this file: ${(e as Error).message}`);
  }
  alignConfigScopes(facts);
  keyScopes(facts, location);
  if (partial) addLeftOutStatements(facts, partial.scanned, location);
  options.previous?.tree.delete();
  if (!options.keepTree) {
    tree.delete();
    return { facts, location, lines };
  }
  return { facts, location, lines, text, tree };
}

/**
 * Whether a file may give a file handler class a new name: a subclass, or an import under
 * another name (`from mylog import RotatingFileHandler as R`). Such a file is scanned at once even
 * when scans are put off: whether the run needs the process model is decided from the classes
 * and imports the program knows (needsProcessModel), and every file that instantiates such a
 * class is a writer. A name bound to a file handler class is written with the word somewhere:
 * the first subclass in a chain, or the import or assignment of an alias.
 */
function mayNameFileHandler(text: string): boolean {
  return text.includes('FileHandler');
}

/** The facts of a file whose line scan was put off (`deferLineScan`). */
export function scanDeferred(file: string, entry: FileEntry): FileEntry {
  if (!entry.deferred || entry.text === undefined || !entry.location) return entry;
  const { location, text } = entry;
  const { facts, lines } = lineScan(text, file, location);
  return { facts, location, lines, reads: entry.reads };
}

/** The line scan of a file that needs no parse, its scopes keyed as they are made (what keyScopes would do, without a pass over the facts). */
function lineScan(text: string, file: string, location: ModuleLocation): ReturnType<typeof lightScan> {
  return lightScan(text, file, location.module, location.isPackageInit, moduleKey(location.module, location.importRoot));
}

export function readConfigText(file: string, text: string, workspaceRoot: string): FileFacts {
  try {
    return configs.readConfigFile(file, text, { workspaceRoot }) ?? emptyFacts(file, 'config');
  } catch (e) {
    return withProblem(emptyFacts(file, 'config'), `internal error while reading this file: ${(e as Error).message}`);
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

export function countLines(text: string): number {
  let n = 1;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Files above this size are not parsed (generated code, data dumps named .py). */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

/**
 * Reads a file from disk into facts (undefined when it is gone), with the text they came from
 * when there was one: the facts cache keeps that text's hash (`textHash`), read once.
 */
export function readFileEntry(file: string, parser: Parser, options: ReadOptions): { entry: FileEntry | undefined; text?: string } {
  const read = readFileText(file);
  return 'text' in read ? { entry: readText(file, read.text, parser, options), text: read.text } : { entry: read.entry };
}

/**
 * A file's text, or its facts already when there is nothing to read: not a regular file, over
 * the size limit (facts with the problem), or gone (undefined). `statedSize`: the size of a file
 * the caller has just stat'ed and found regular (the facts cache's survey), not stat'ed again.
 */
export function readFileText(file: string, statedSize?: number): { text: string } | { entry: FileEntry | undefined } {
  const language = file.endsWith('.py') ? 'python' : 'config';
  try {
    let size = statedSize;
    if (size === undefined) {
      const stat = fs.statSync(file);
      if (!stat.isFile()) return { entry: { facts: withProblem(emptyFacts(file, language), 'not a regular file') } };
      size = stat.size;
    }
    if (size > MAX_FILE_BYTES) {
      return { entry: { facts: withProblem(emptyFacts(file, language), `not analysed: ${(size / 1048576).toFixed(1)} MB is over the ${MAX_FILE_BYTES / 1048576} MB limit`) } };
    }
    return { text: fs.readFileSync(file, 'utf8') };
  } catch {
    return { entry: undefined };
  }
}

/** Whether reading this text runs the parser (a Python file the prefilter keeps), not the line scan. */
export function needsParser(file: string, text: string, fullParse: boolean | undefined): boolean {
  return file.endsWith('.py') && text.length <= MAX_FILE_BYTES && !looksBinary(text) && (!!fullParse || needsFullParse(text));
}

/** NUL bytes near the start: not Python source, whatever its name. */
function looksBinary(text: string): boolean {
  return text.slice(0, 8192).includes('\u0000');
}

/** Any analysable file's text into facts, with the neighbour files its readers looked at. */
export function readText(file: string, text: string, parser: Parser, options: ReadOptions): FileEntry {
  const { value: entry, reads } = configs.trackNeighbourReads(() => readTextAlone(file, text, parser, options));
  const others = reads.filter((r) => r !== file);
  if (others.length) entry.reads = others;
  return entry;
}

function readTextAlone(file: string, text: string, parser: Parser, options: ReadOptions): FileEntry {
  if (text.length > MAX_FILE_BYTES) {
    return { facts: withProblem(emptyFacts(file, file.endsWith('.py') ? 'python' : 'config'), `not analysed: the file is over the ${MAX_FILE_BYTES / 1048576} MB limit`) };
  }
  if (file.endsWith('.py')) return readPythonText(file, text, parser, options);
  return { facts: readConfigText(file, text, options.workspaceRoot), lines: countLines(text) };
}
