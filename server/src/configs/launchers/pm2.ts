/**
 * PM2 process files: `ecosystem.config.js` / `.cjs` / `.mjs` (read by jsModule.ts, never run)
 * and the JSON / YAML forms (`ecosystem.json`, `pm2.json`, `process.yml`), declaring
 * `apps: [{ name, script, args, interpreter, instances, instance_var, exec_mode, cwd, env }]`.
 *
 * `pm2 start <file>` starts every app of the file at once, `instances` copies of each (PM2's
 * God.prepare: absent → one; 0 or 'max' → one per CPU; -n → n fewer than the CPUs, at least one).
 *
 * Two parts: what PM2 runs for each app (`Pm2App`, the same whatever the app's language), and
 * what the Python launcher reader makes of it (a command line for readCommandInto).
 */
import * as path from 'path';
import type { FileFacts, Span } from '../../model/facts';
import type { ConfigContext } from '../context';
import type { LineIndex } from '../spans';
import { Environment, workspaceEnvironment } from '../env';
import { PEntry, PValue, entryOf, valueOf } from '../pvalue';
import type { Multiplier } from '../launch';
import { CountReading, CPU_COUNT, known, unknown } from '../counts';
import { quoteWord } from '../commandLine';
import { evaluateJs } from '../js/jsEval';
import { readCommandInto, relativeLabel, siteFor } from './common';

/** What PM2 runs for one entry of `apps`, before any language is considered. */
export interface Pm2App {
  name: string;
  /** The `script` setting: the line a start points at. */
  scriptEntry: PEntry;
  script: string;
  /** `args`: words (a list) or command-line text (a string). */
  args?: string[] | string;
  interpreter?: string;
  interpreterArgs?: string[] | string;
  /** Copies of the app; undefined when PM2 starts one. */
  instances?: { reading: CountReading; written: string };
  /** The environment variable PM2 numbers the copies with: `instance_var`, NODE_APP_INSTANCE by default. */
  instanceVar: string;
  execMode?: 'fork' | 'cluster';
  /** The working directory, absolute; relative paths of the app resolve there. */
  cwd?: string;
  /** The environment the app's processes see: the workspace's, plus `env`. */
  env: Environment;
  /** Runs at the same time as the other apps of the file with the same key (`ProcessStart.together`). */
  together: string;
  /** Defaults taken and variables read while evaluating the app's settings. */
  notes: string[];
}

/** Which kind of program an app's script is, as PM2 decides the interpreter. */
export type Pm2Runtime = 'python' | 'node' | 'command' | 'other';

/** The CPU count at which a count's lower bound is read: the smallest machine with several cores. */
const CPUS_AT_LEAST = 2;

export function isPm2Document(root: PValue): boolean {
  return appEntries(root).some((app) => entryOf(app, 'script') !== undefined);
}

export function readPm2(root: PValue, lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  for (const app of pm2Apps(root, lines, ctx)) {
    const command = pythonCommand(app);
    // Node apps (a .js script, or the node / bun interpreter; `exec_mode: 'cluster'` only
    // applies to them) start no Python: a Node front-end adds its starts here, from `app`.
    if (command === undefined) continue;
    const line = app.scriptEntry.keySpan.start.line;
    const site = siteFor(lines, line, ctx, app.env, `${relativeLabel(lines.file, ctx, line)}, app ${app.name}`, app.cwd ? [app.cwd] : []);
    site.together = [app.together];
    // PM2 numbers every app's copies from 0, a single copy included.
    site.instanceVar = app.instanceVar;
    const multiplier = app.instances ? instancesMultiplier(app.instances.reading, app.instances.written) : undefined;
    readCommandInto(facts, command, site, multiplier, app.notes);
  }
}

/** The apps of a process file: `apps: [...]` (or PM2's older `pm2: [...]`), a list, or one app. */
function appEntries(root: PValue): PValue[] {
  const apps = valueOf(root, 'apps') ?? valueOf(root, 'pm2') ?? root;
  if (apps.kind === 'list') return apps.items.filter((a) => a.kind === 'map');
  if (apps.kind === 'map' && entryOf(apps, 'script')) return [apps];
  return [];
}

export function pm2Apps(root: PValue, lines: LineIndex, ctx: ConfigContext): Pm2App[] {
  const fileDir = path.dirname(lines.file);
  // `process.env` in the file is the environment `pm2 start` runs in: the workspace's .env.
  const base = workspaceEnvironment(ctx.workspaceRoot, fileDir);
  const apps: Pm2App[] = [];
  for (const app of appEntries(root)) {
    const notes: string[] = [];
    const scriptEntry = entryOf(app, 'script');
    const script = scriptEntry && textOf(scriptEntry.value, base, notes);
    if (!scriptEntry || !script) continue;
    const name = textOf(valueOf(app, 'name'), base) ?? path.basename(script).replace(/\.[^.]*$/, '');
    const cwdText = textOf(valueOf(app, 'cwd'), base, notes);
    // Relative to where `pm2 start` runs, taken to be the file's own folder.
    const cwd = cwdText ? path.resolve(fileDir, cwdText) : undefined;
    const execMode = textOf(valueOf(app, 'exec_mode'), base)?.replace(/_mode$/, '');
    apps.push({
      name,
      scriptEntry,
      script,
      args: wordsOf(valueOf(app, 'args'), base, notes),
      interpreter: textOf(valueOf(app, 'interpreter') ?? valueOf(app, 'exec_interpreter'), base, notes),
      interpreterArgs: wordsOf(valueOf(app, 'interpreter_args') ?? valueOf(app, 'node_args'), base, notes),
      instances: instancesOf(entryOf(app, 'instances'), base),
      instanceVar: textOf(valueOf(app, 'instance_var'), base, notes) ?? 'NODE_APP_INSTANCE',
      execMode: execMode === 'fork' || execMode === 'cluster' ? execMode : undefined,
      cwd,
      env: appEnvironment(valueOf(app, 'env'), base, `${path.basename(lines.file)} (app ${name})`, notes),
      // Relative paths resolve in the app's cwd: apps in other folders write other files.
      together: `pm2:${lines.file}|cwd:${cwd ? path.relative(fileDir, cwd).split(path.sep).join('/') : ''}`,
      notes,
    });
  }
  return apps;
}

const PYTHON_INTERPRETER = /^(python|pypy)[\d.]*$/;
const NODE_INTERPRETER = /^(node|nodejs|bun|deno|ts-node|tsx|babel-node|coffee|lsc)$|^node@/;
const NODE_SCRIPT = /\.(js|cjs|mjs|ts|mts|cts|jsx|tsx|coffee|ls|es6?)$/;
/** PM2's interpreter table for the other extensions it knows. */
const OTHER_SCRIPT = /\.(sh|rb|php|pl)$/;

/** PM2's choice (Common.sink.resolveInterpreter): `interpreter`, else by extension, else a program found on PATH. */
export function pm2Runtime(app: Pm2App): Pm2Runtime {
  if (app.interpreter !== undefined) {
    if (app.interpreter === 'none') return 'command';
    // `interpreter: 'python3 -u'`: the program is the first word.
    const base = path.basename(app.interpreter.trim().split(/\s+/)[0]);
    if (PYTHON_INTERPRETER.test(base)) return 'python';
    return NODE_INTERPRETER.test(base) ? 'node' : 'other';
  }
  if (/\.pyw?$/.test(app.script)) return 'python';
  if (NODE_SCRIPT.test(app.script)) return 'node';
  if (OTHER_SCRIPT.test(app.script)) return 'other';
  return 'command';
}

/**
 * The command line a Python app runs, or undefined for other runtimes: `python -u worker.py
 * args`, `venv/bin/gunicorn -w 4 app:app` (a Python interpreter running a console script runs
 * that program), `gunicorn ...` with `interpreter: 'none'`.
 */
export function pythonCommand(app: Pm2App): string | undefined {
  const runtime = pm2Runtime(app);
  let head: string[];
  if (runtime === 'python') {
    head = /\.pyw?$/.test(app.script) ? [...asWords(app.interpreter ?? 'python'), ...asWords(app.interpreterArgs), app.script] : [app.script];
  } else if (runtime === 'command') {
    // A script with blanks is a command line of its own (`script: 'python3 worker.py'`).
    return [/\s/.test(app.script.trim()) ? app.script : quoteWord(app.script), argsText(app.args)].filter(Boolean).join(' ');
  } else {
    return undefined;
  }
  return [head.map(quoteWord).join(' '), argsText(app.args)].filter(Boolean).join(' ');
}

function asWords(words: string[] | string | undefined): string[] {
  if (words === undefined) return [];
  return Array.isArray(words) ? words : words.split(/\s+/).filter(Boolean);
}

function argsText(args: string[] | string | undefined): string {
  if (args === undefined) return '';
  return Array.isArray(args) ? args.map(quoteWord).join(' ') : args;
}

function instancesMultiplier(reading: CountReading, written: string): Multiplier | undefined {
  if (reading.count.kind === 'known' && reading.count.n <= 1) return undefined;
  return { reading, mechanism: 'pm2', words: `× instances: ${written}` };
}

/**
 * `instances` as PM2 reads it: 'max' is 0; a string is parsed (or 0); 0 is one per CPU; -n is n
 * fewer than the CPUs, at least one. Unknown counts depending on the CPUs are at least what
 * they are on two.
 */
export function instancesOf(entry: PEntry | undefined, env: Environment): { reading: CountReading; written: string } | undefined {
  if (!entry) return undefined;
  const value = entry.value;
  const source = entry.pairSpan;
  const written = value.kind === 'string' ? `'${value.value}'` : value.kind === 'scalar' || value.kind === 'expr' ? value.text : '…';
  if (value.kind === 'string' || value.kind === 'scalar') {
    const text = value.kind === 'string' ? value.value : value.text;
    if (value.kind === 'scalar' && /^(null|undefined|false|~)$/.test(text)) return undefined;
    const n = text === 'max' ? 0 : parseInt(text, 10) || 0;
    return { reading: pm2Count(n, false, source, []), written };
  }
  if (value.kind !== 'expr') return undefined;
  const evaluated = evaluateJs(value, env, { cpus: CPUS_AT_LEAST });
  if (!evaluated) return { reading: unknown(`\`instances: ${oneLine(value.text)}\``, undefined, source, 'computed by code the analysis does not run'), written };
  const v = evaluated.value;
  const n = typeof v === 'number' ? v : typeof v === 'string' ? (v === 'max' ? 0 : parseInt(v, 10)) : NaN;
  if (evaluated.unset.length > 0 && (v === undefined || v === null || Number.isNaN(n))) {
    const name = evaluated.unset[0];
    return { reading: unknown(name, undefined, source, `set by the environment variable ${name}, which has no value in the workspace`), written };
  }
  if (Number.isNaN(n)) return { reading: unknown(`\`instances: ${oneLine(value.text)}\``, undefined, source, 'computed by code the analysis does not run'), written };
  const notes = [...evaluated.notes];
  if (evaluated.usesCpuCount) notes.push(`computed from the CPU count (\`${oneLine(value.text)}\`)`);
  return { reading: pm2Count(n, evaluated.usesCpuCount, source, notes), written };
}

/** PM2's rule for a number of instances (read at CPUS_AT_LEAST CPUs when it used the CPU count). */
function pm2Count(n: number, usesCpuCount: boolean, source: Span, notes: string[]): CountReading {
  const whole = Math.trunc(n);
  const perCpu = whole <= 0;
  if (!usesCpuCount && !perCpu) return known(whole, source, notes.join('; ') || undefined);
  let atCpus = whole === 0 ? CPUS_AT_LEAST : whole < 0 ? CPUS_AT_LEAST + whole : whole;
  if (atCpus < 1) atCpus = 1;
  if (whole === 0 && !usesCpuCount) notes.push('instances 0 or max: one process per CPU');
  else if (whole < 0) notes.push(`instances ${whole}: ${-whole} fewer than the CPUs, at least one`);
  return unknown(CPU_COUNT, atCpus >= 2 ? atCpus : undefined, source, notes.join('; '));
}

function appEnvironment(env: PValue | undefined, base: Environment, from: string, notes: string[]): Environment {
  const appEnv = base.child();
  if (env?.kind !== 'map') return appEnv;
  for (const e of env.entries) {
    const value = textOf(e.value, base, notes);
    if (value !== undefined) appEnv.set(e.key, value, from);
  }
  return appEnv;
}

/** A setting as text: strings and numbers as written, JavaScript expressions evaluated. */
function textOf(value: PValue | undefined, env: Environment, notes: string[] = []): string | undefined {
  if (!value) return undefined;
  if (value.kind === 'string') return value.value;
  if (value.kind === 'scalar') return /^(null|undefined|~)$/.test(value.text) ? undefined : value.text;
  if (value.kind !== 'expr') return undefined;
  const evaluated = evaluateJs(value, env, 'text');
  if (evaluated) notes.push(...evaluated.notes);
  const v = evaluated?.value;
  return v === undefined || v === null ? undefined : String(v);
}

function wordsOf(value: PValue | undefined, env: Environment, notes: string[]): string[] | string | undefined {
  if (value?.kind === 'list') return value.items.map((item) => textOf(item, env, notes) ?? '');
  return textOf(value, env, notes);
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}...` : flat;
}
