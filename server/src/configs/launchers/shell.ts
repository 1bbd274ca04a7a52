/**
 * Shell scripts and Makefile recipes: each command line, with variables assigned earlier in
 * the file (`export WORKERS=4`, `: "${WORKERS:=4}"`, Make's `WORKERS ?= 4`), and `for` loops
 * that start a program in the background once per iteration.
 */
import * as path from 'path';
import type { FileFacts } from '../../model/facts';
import type { ConfigContext } from '../context';
import { LineIndex } from '../spans';
import { Environment, substitute, unquote, workspaceEnvironment } from '../env';
import { Multiplier } from '../launch';
import { known } from '../counts';
import { INTERESTING_COMMAND } from '../commandLine';
import { scanShellLine } from '../shellWords';
import { readCommandInto, relativeLabel, siteFor } from './common';

interface LogicalLine {
  text: string;
  line: number;
}

/** Joins backslash-continued lines; drops comments and blank lines. */
function logicalLines(lines: LineIndex, recipeOnly = false): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: LogicalLine | undefined;
  for (let line = 0; line < lines.lineCount; line++) {
    let raw = lines.lineText(line);
    if (recipeOnly && !pending) {
      if (!raw.startsWith('\t')) {
        out.push({ text: `#make ${raw}`, line });
        continue;
      }
      raw = raw.slice(1).replace(/^[@+-]+/, '');
    }
    raw = withoutComment(raw);
    const continued = /\\$/.test(raw);
    const body = raw.replace(/\\$/, '');
    if (pending) pending.text += ' ' + body.trim();
    else pending = { text: body, line };
    if (!continued) {
      out.push(pending);
      pending = undefined;
    }
  }
  if (pending) out.push(pending);
  return out;
}

/** The line without a trailing comment (`python w.py &  # the worker` is still backgrounded). */
function withoutComment(line: string): string {
  const at = scanShellLine(line).comment;
  // A whole-line comment stays, for the reader to skip as one.
  return at === undefined || at === 0 ? line : line.slice(0, at).trimEnd();
}

export function readShellScript(lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const env = new Environment(workspaceEnvironment(ctx.workspaceRoot, path.dirname(lines.file)));
  readLines(logicalLines(lines), lines, facts, ctx, env, false);
}

export function readMakefile(lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const env = new Environment(workspaceEnvironment(ctx.workspaceRoot, path.dirname(lines.file)));
  readLines(logicalLines(lines, true), lines, facts, ctx, env, true);
}

/** `cmd &` or `a & b`: a command sent to the background (not `&&`, not a `2>&1` redirection). */
function backgrounds(command: string): boolean {
  return /(^|[^&])&(?!&)/.test(command.replace(/[<>]&-?\d*|&>>?/g, ' '));
}

function readLines(logical: LogicalLine[], lines: LineIndex, facts: FileFacts, ctx: ConfigContext, env: Environment, make: boolean): void {
  let loop: { iterations: number; words: string; line: number; variable?: string } | undefined;
  // Commands run concurrently from the first backgrounded one (`python worker.py &`) to the
  // next `wait`; a `cd` changes the directory relative log paths resolve in (`|cwd:`, see
  // writers.ts sharedKey), not what runs together.
  let stretch = 0;
  let backgroundRunning = false;
  let cwd = '';
  const together = (command: string): string[] | undefined => {
    if (make) return undefined;
    if (backgrounds(command)) backgroundRunning = true;
    // `(cd api && python server.py) &`: that command's own folder.
    const cd = /(?:^|[(;&|]\s*)cd\s+("[^"]*"|'[^']*'|[^\s;&|)]+)/.exec(command)?.[1];
    return backgroundRunning ? [`shell:${lines.file}#${stretch}|cwd:${cd ? path.posix.join(cwd, unquote(cd)) : cwd}`] : undefined;
  };
  const siteOf = (line: number, command: string) => {
    const site = siteFor(lines, line, ctx, env, relativeLabel(lines.file, ctx, line));
    site.together = together(command);
    if (loop?.variable) site.copyVariable = loop.variable;
    return site;
  };
  for (const { text: rawText, line } of logical) {
    if (make && rawText.startsWith('#make ')) {
      // A Make variable: `WORKERS ?= 4`, `WORKERS := 4`, `export WORKERS = 4`.
      const m = /^(?:export\s+)?([A-Za-z_]\w*)\s*[:?+]?=\s*(.*)$/.exec(rawText.slice(6).trim());
      if (m) env.set(m[1], m[2].trim(), `${path.basename(lines.file)}:${line + 1}`);
      continue;
    }
    // Make writes `$(VAR)` for its variables and `$$` for the shell's `$`.
    const text = make ? rawText.replace(/\$\((\w+)\)/g, '${$1}').replace(/\$\$/g, '$') : rawText;
    const trimmed = text.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const assignment = /^(?:export\s+|readonly\s+|local\s+)?([A-Za-z_]\w*)=(\S*|"[^"]*"|'[^']*')\s*$/.exec(trimmed);
    if (assignment) {
      env.set(assignment[1], substitute(unquote(assignment[2]), env).text, `${path.basename(lines.file)}:${line + 1}`);
      continue;
    }
    const defaulted = /^:\s+"?\$\{(\w+):?=([^}]*)\}"?\s*$/.exec(trimmed);
    if (defaulted) {
      if (!env.get(defaulted[1])) env.set(defaulted[1], defaulted[2], `${path.basename(lines.file)}:${line + 1}`);
      continue;
    }
    const forLoop = parseForLoop(trimmed);
    if (forLoop) {
      loop = { iterations: iterationsOf(forLoop.list, env), words: `for ${forLoop.list}`, line, variable: forLoop.variable };
      if (forLoop.body) readBackgrounded(forLoop.body, line);
      if (forLoop.closed) loop = undefined;
      continue;
    }
    if (trimmed === 'done' || trimmed.startsWith('done ') || trimmed.startsWith('done;')) {
      loop = undefined;
      continue;
    }
    if (trimmed === 'do') continue;
    if (/^wait\b/.test(trimmed)) {
      stretch++;
      backgroundRunning = false;
      continue;
    }
    const cd = /^(?:cd|pushd)\s+("[^"]*"|'[^']*'|\S+)\s*$/.exec(trimmed);
    if (cd || /^(cd|popd)\s*$/.test(trimmed)) {
      // Where later relative paths resolve; an unknown folder (`cd $X`, `popd`) is one of its own.
      cwd = cd && !/[$`]/.test(cd[1]) ? path.posix.join(cwd, unquote(cd[1])) : `?${line}`;
      continue;
    }
    if (!INTERESTING_COMMAND.test(trimmed)) continue;
    if (loop) readBackgrounded(withoutDone(trimmed.replace(/^do\s+/, '')), line);
    else readCommandInto(facts, trimmed, siteOf(line, trimmed));
  }

  function readBackgrounded(command: string, line: number): void {
    if (!loop) return;
    // Only a backgrounded command (`... &`) runs concurrently with the next iteration.
    const tail = command.trimEnd().replace(/;$/, '').trimEnd();
    const background = tail.endsWith('&') && !tail.endsWith('&&');
    const multiplier: Multiplier | undefined =
      background && loop.iterations > 1 ? { reading: known(loop.iterations, lines.lineSpan(loop.line)), mechanism: 'other', words: `× ${loop.iterations} (${loop.words}; … &)` } : undefined;
    readCommandInto(facts, command, siteOf(line, command), multiplier);
  }
}

/** `for x in LIST; do BODY; done` on one line, or its first line: string operations only. */
function parseForLoop(line: string): { list: string; body?: string; closed: boolean; variable?: string } | undefined {
  const head = /^for\s+(\w+)\s+in\s/.exec(line) ?? /^for\s*(?=\(\()/.exec(line);
  if (!head) return undefined;
  const rest = line.slice(head[0].length);
  // `for ((i = 0; ...))`: the variable the first clause sets.
  const variable = head[1] ?? /^\(\(\s*(\w+)\s*=/.exec(rest)?.[1];
  const doAt = rest.search(/;\s*do\b/);
  if (doAt === -1) return { list: rest.replace(/;$/, '').trim(), closed: false, variable };
  const body = rest.slice(rest.indexOf('do', doAt) + 2).trim();
  const closed = /(^|[;&\s])done$/.test(body.trimEnd());
  return { list: rest.slice(0, doAt).trim(), body: withoutDone(body) || undefined, closed, variable };
}

function withoutDone(command: string): string {
  const t = command.trimEnd();
  if (!/(^|[\s;&])done$/.test(t)) return t;
  const before = t.slice(0, -4).trimEnd();
  return before.endsWith(';') ? before.slice(0, -1).trimEnd() : before;
}

/** `1 2 3` → 3; `$(seq 1 4)` / `{1..4}` → 4. */
function iterationsOf(written: string, env: Environment): number {
  const list = written.replace(/\$\{?(\w+)\}?/g, (all, name: string) => env.get(name)?.value ?? all);
  // `((i = 0; i < 4; i++))`, counting up by one.
  // Inside (( )) a variable needs no `$`: `w <= WORKERS`.
  const arithmetic = list.replace(/"/g, '').trim().replace(/(<=?\s*)([A-Za-z_]\w*)/, (all, op: string, name: string) => op + (env.get(name)?.value ?? name));
  const cStyle = /^\(\(\s*(\w+)\s*=\s*(\d+)\s*;\s*\1\s*(<=?)\s*(\d+)\s*;\s*(?:\1\s*\+\+|\+\+\s*\1|\1\s*\+=\s*1)\s*\)\)$/.exec(arithmetic);
  if (cStyle) return Math.max(0, parseInt(cStyle[4], 10) - parseInt(cStyle[2], 10) + (cStyle[3] === '<=' ? 1 : 0));
  if (list.startsWith('((')) return 1; // another arithmetic loop: no count to read
  // `$(seq 1 "$N")`: the quotes only keep the word whole.
  const seq = /seq\s+["']?(\d+)["']?(?:\s+["']?(\d+)["']?)?/.exec(list);
  if (seq) return seq[2] ? parseInt(seq[2], 10) - parseInt(seq[1], 10) + 1 : parseInt(seq[1], 10);
  const range = /\{(\d+)\.\.(\d+)\}/.exec(list);
  if (range) return parseInt(range[2], 10) - parseInt(range[1], 10) + 1;
  return substitute(list, env).text.split(/\s+/).filter(Boolean).length;
}
