/**
 * Dockerfile: the final stage's `ENTRYPOINT` + `CMD` (exec form `["gunicorn", "-w", "4"]` or
 * shell form), with `ENV`/`ARG` values as the environment.
 */
import * as path from 'path';
import type { FileFacts } from '../../model/facts';
import type { ConfigContext } from '../context';
import { LineIndex } from '../spans';
import { Environment, unquote, workspaceEnvironment } from '../env';
import { readCommandInto, relativeLabel, siteFor } from './common';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** The command a container runs: exec-form words or shell text, and where it was written. */
export interface ContainerCommand {
  command: string | string[];
  line: number;
  env: Map<string, string>;
}

export function dockerInstructions(lines: LineIndex): Instruction[] {
  const instructions: Instruction[] = [];
  let pending: Instruction | undefined;
  for (let line = 0; line < lines.lineCount; line++) {
    const raw = lines.lineText(line);
    if (pending) {
      if (/^\s*#/.test(raw)) continue;
      const continued = raw.trimEnd().endsWith('\\');
      pending.args += ' ' + stripContinuation(raw);
      if (!continued) {
        instructions.push(pending);
        pending = undefined;
      }
      continue;
    }
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(raw);
    if (!m || raw.trim().startsWith('#')) continue;
    const instruction = { keyword: m[1].toUpperCase(), args: stripContinuation(m[2]), line };
    if (raw.trimEnd().endsWith('\\')) pending = instruction;
    else instructions.push(instruction);
  }
  if (pending) instructions.push(pending);
  return instructions;
}

function stripContinuation(text: string): string {
  const t = text.trim();
  return (t.endsWith('\\') ? t.slice(0, -1) : t).trim();
}

function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed = JSON.parse(args) as unknown;
    return Array.isArray(parsed) && parsed.every((w) => typeof w === 'string') ? (parsed as string[]) : undefined;
  } catch {
    return undefined;
  }
}

function envAssignments(args: string): [string, string][] {
  // `ENV A=1 B="two words"` or the legacy `ENV A value with spaces`.
  if (!/^\w+=/.test(args)) {
    const legacy = /^(\w+)\s+(.*)$/.exec(args);
    return legacy ? [[legacy[1], unquote(legacy[2])]] : [];
  }
  const pairs: [string, string][] = [];
  const re = /(\w+)=("(?:[^"\\]|\\.)*"|'[^']*'|\S*)/g;
  for (let m = re.exec(args); m; m = re.exec(args)) pairs.push([m[1], unquote(m[2])]);
  return pairs;
}

/** The last stage's WORKDIR, whether or not the file says what the container runs. */
export function containerWorkdir(lines: LineIndex): string | undefined {
  let workdir: string | undefined;
  for (const ins of dockerInstructions(lines)) {
    if (ins.keyword === 'FROM') workdir = undefined;
    else if (ins.keyword === 'WORKDIR') workdir = path.posix.resolve(workdir ?? '/', unquote(ins.args.trim()));
  }
  return workdir;
}

export function containerCommand(lines: LineIndex): ContainerCommand | undefined {
  let entrypoint: Instruction | undefined;
  let cmd: Instruction | undefined;
  let env = new Map<string, string>();
  for (const ins of dockerInstructions(lines)) {
    if (ins.keyword === 'FROM') {
      entrypoint = undefined;
      cmd = undefined;
      env = new Map();
    } else if (ins.keyword === 'ENV' || ins.keyword === 'ARG') {
      for (const [k, v] of envAssignments(ins.args)) if (ins.keyword === 'ENV' || v !== '') env.set(k, v);
    } else if (ins.keyword === 'ENTRYPOINT') {
      entrypoint = ins;
      cmd = undefined; // ENTRYPOINT resets an inherited CMD
    } else if (ins.keyword === 'CMD') {
      cmd = ins;
    }
  }
  if (!entrypoint && !cmd) return undefined;
  const entryWords = entrypoint ? execForm(entrypoint.args) : undefined;
  const cmdWords = cmd ? execForm(cmd.args) : undefined;
  if (entrypoint && !entryWords) return { command: entrypoint.args, line: entrypoint.line, env };
  if (entryWords && cmd) {
    const tail = cmdWords ?? ['/bin/sh', '-c', cmd.args];
    return { command: [...entryWords, ...tail], line: cmd.line, env };
  }
  if (entryWords) return { command: entryWords, line: entrypoint!.line, env };
  return { command: cmdWords ?? cmd!.args, line: cmd!.line, env };
}

export function readDockerfile(lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const command = containerCommand(lines);
  if (!command) return;
  const env = new Environment(workspaceEnvironment(ctx.workspaceRoot, path.dirname(lines.file)));
  for (const [k, v] of command.env) env.set(k, v, path.basename(lines.file));
  const site = siteFor(lines, command.line, ctx, env, relativeLabel(lines.file, ctx, command.line));
  readCommandInto(facts, command.command, site);
}
