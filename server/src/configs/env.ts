/**
 * Environment variables as launchers see them: assignments in the same file (shell `X=1`,
 * Dockerfile `ENV`, compose `environment:`, systemd `Environment=`), `.env` files, and the
 * `${VAR:-default}` defaults written inline. Unresolved variables stay visible as placeholders
 * so a worker count can say which variable it depends on.
 */
import * as fs from 'fs';
import * as path from 'path';
import { noteNeighbourRead } from './neighbourReads';

export interface EnvValue {
  value: string;
  /** Where it was set, for messages: `.env`, `docker-compose.yml`. */
  from: string;
}

export class Environment {
  private readonly vars = new Map<string, EnvValue>();

  constructor(private readonly parent?: Environment) {}

  set(name: string, value: string, from: string): void {
    this.vars.set(name, { value, from });
  }

  get(name: string): EnvValue | undefined {
    return this.vars.get(name) ?? this.parent?.get(name);
  }

  child(): Environment {
    return new Environment(this);
  }

  /** Every variable with its value, the innermost setting of each. */
  values(): Map<string, string> {
    const out = this.parent ? this.parent.values() : new Map<string, string>();
    for (const [name, { value }] of this.vars) out.set(name, value);
    return out;
  }
}

/** Marks left in a command for what could not be known statically. */
export const placeholder = {
  variable: (name: string) => `@@VAR:${name}@@`,
  cpuCount: '@@CPU@@',
  command: '@@CMD@@',
};
const PLACEHOLDER_VAR = /@@VAR:(\w+)@@/;

/**
 * A command with placeholders, as a person would write it: `$WORKERS`, `$(nproc)`, `$(...)`
 * (emitLaunch's descriptions).
 */
export function readableCommand(text: string): string {
  return text.replace(new RegExp(PLACEHOLDER_VAR.source, 'g'), '$$$1').split(placeholder.cpuCount).join('$(nproc)').split(placeholder.command).join('$(...)');
}

export interface Substitution {
  text: string;
  /** Variables whose inline default was used: `${WEB_CONCURRENCY:-4}`. */
  defaultsUsed: { name: string; value: string }[];
  /** Variables taken from the environment table. */
  resolved: { name: string; value: string; from: string }[];
}

/**
 * Expands `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `$(cmd)`, backticks and
 * `$((arithmetic))` the way a shell would, as far as the workspace tells.
 */
export function substitute(text: string, env: Environment): Substitution {
  const result: Substitution = { text: '', defaultsUsed: [], resolved: [] };
  let out = '';
  let i = 0;
  let inSingle = false;
  while (i < text.length) {
    const c = text[i];
    if (c === "'" && !inSingle) {
      // Single quotes: no expansion inside, but only when the quote is balanced.
      const close = text.indexOf("'", i + 1);
      if (close !== -1 && !isInsideDoubleQuotes(text, i)) {
        out += text.slice(i, close + 1);
        i = close + 1;
        continue;
      }
    }
    if (c === '\\' && i + 1 < text.length) {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === '`') {
      const close = text.indexOf('`', i + 1);
      if (close !== -1) {
        out += commandPlaceholder(text.slice(i + 1, close));
        i = close + 1;
        continue;
      }
    }
    if (c === '$') {
      if (text.startsWith('$((', i)) {
        const close = matchingParen(text, i + 1);
        const inner = text.slice(i + 3, close === -1 ? text.length : close - 1);
        const expanded = substitute(inner, env);
        result.defaultsUsed.push(...expanded.defaultsUsed);
        result.resolved.push(...expanded.resolved);
        out += arithmetic(expanded.text);
        i = close === -1 ? text.length : close + 1;
        continue;
      }
      if (text[i + 1] === '(') {
        const close = matchingParen(text, i + 1);
        out += commandPlaceholder(text.slice(i + 2, close === -1 ? text.length : close));
        i = close === -1 ? text.length : close + 1;
        continue;
      }
      const braced = /^\$\{(\w+)(?:(:?[-=])([^}]*))?\}/.exec(text.slice(i));
      const bare = /^\$(\w+)/.exec(text.slice(i));
      const m = braced ?? bare;
      if (m && !/^\d/.test(m[1])) {
        const name = m[1];
        const known = env.get(name);
        if (known) {
          out += known.value;
          result.resolved.push({ name, value: known.value, from: known.from });
        } else if (braced && braced[2] !== undefined) {
          const fallback = substitute(braced[3] ?? '', env).text;
          out += fallback;
          result.defaultsUsed.push({ name, value: fallback });
        } else {
          out += placeholder.variable(name);
        }
        i += m[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  result.text = out;
  return result;
}

function isInsideDoubleQuotes(text: string, index: number): boolean {
  let inside = false;
  for (let i = 0; i < index; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') inside = !inside;
  }
  return inside;
}

function matchingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

/** `$(nproc)` and friends are the CPU count; any other command output is unknowable. */
function commandPlaceholder(command: string): string {
  return /\bnproc\b|_NPROCESSORS_ONLN|cpu_count|hw\.ncpu/.test(command) ? placeholder.cpuCount : placeholder.command;
}

/** `$(( 2 * 4 + 1 ))` with known numbers becomes `9`; with the CPU count it stays the CPU mark. */
function arithmetic(expression: string): string {
  if (/^[\d\s+*\-/()]+$/.test(expression)) {
    try {
      // Only digits and operators reach here.
      const value = Function(`"use strict"; return (${expression});`)() as unknown;
      if (typeof value === 'number' && Number.isFinite(value)) return String(Math.trunc(value));
    } catch {
      /* fall through */
    }
  }
  if (expression.includes(placeholder.cpuCount)) return placeholder.cpuCount;
  const variable = PLACEHOLDER_VAR.exec(expression);
  return variable ? variable[0] : placeholder.command;
}

/** The variable a placeholder stands for. */
export function placeholderVariable(word: string): string | undefined {
  return PLACEHOLDER_VAR.exec(word)?.[1];
}

/** Reads `KEY=value` lines (dotenv / systemd EnvironmentFile). Missing or huge files: empty. */
export function readEnvFile(file: string): Map<string, string> {
  const values = new Map<string, string>();
  noteNeighbourRead(file);
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile() || stat.size > 256 * 1024) return values;
    for (const line of fs.readFileSync(file, 'utf8').split(/\r?\n/)) {
      const m = /^\s*(?:export\s+)?([A-Za-z_]\w*)\s*=(.*)$/.exec(line);
      if (m) values.set(m[1], unquote(m[2].replace(/\s#.*$/, '').trim()));
    }
  } catch {
    /* no such file: nothing to add */
  }
  return values;
}

export function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

/** The workspace's `.env` (root and the launcher's own folder): what docker compose and
 *  most process managers load by default. */
export function workspaceEnvironment(workspaceRoot: string, launcherDir: string): Environment {
  const env = new Environment();
  const dirs = [...new Set([workspaceRoot, launcherDir])];
  for (const dir of dirs) {
    const file = path.join(dir, '.env');
    const label = path.relative(workspaceRoot, file) || '.env';
    for (const [k, v] of readEnvFile(file)) env.set(k, v, label);
  }
  return env;
}
