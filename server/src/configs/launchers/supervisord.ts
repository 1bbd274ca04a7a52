/** supervisord: `[program:x]` with `command`, `numprocs`, `directory`, `environment`. */
import * as path from 'path';
import type { FileFacts } from '../../model/facts';
import type { ConfigContext } from '../context';
import { LineIndex } from '../spans';
import { Environment, placeholder, unquote, workspaceEnvironment } from '../env';
import { parseIni, entryNamed } from '../ini';
import { Multiplier } from '../launch';
import { countFromWord } from '../counts';
import { readCommandInto, relativeLabel, siteFor } from './common';
import { PROCESS_NUMBER } from '../logPath';

export function isSupervisordIni(text: string): boolean {
  return /^\s*\[(program|fcgi-program|supervisord|group):?[^\]]*\]/m.test(text);
}

export function readSupervisord(lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const doc = parseIni(lines, { lowerCaseKeys: true, inlineComments: true });
  facts.problems.push(...doc.problems.slice(0, 5));
  const base = workspaceEnvironment(ctx.workspaceRoot, path.dirname(lines.file));
  for (const section of doc.sections) {
    const program = /^(?:fcgi-)?program:(.+)$/.exec(section.name);
    if (!program) continue;
    const command = entryNamed(section, 'command');
    if (!command) continue;
    const env = new Environment(base);
    const environment = entryNamed(section, 'environment');
    if (environment) {
      const re = /(\w+)=("(?:[^"\\]|\\.)*"|'[^']*'|[^,]*)/g;
      for (let m = re.exec(environment.value); m; m = re.exec(environment.value)) env.set(m[1], unquote(m[2]).replace(/%\(program_name\)s/g, program[1]), `[${section.name}]`);
    }
    const numprocs = entryNamed(section, 'numprocs');
    let multiplier: Multiplier | undefined;
    if (numprocs) {
      const reading = countFromWord(supervisorEnv(numprocs.value, env), lines.lineSpan(numprocs.line));
      if (reading && !(reading.count.kind === 'known' && reading.count.n <= 1)) {
        multiplier = { reading, mechanism: 'supervisord', words: `× numprocs=${numprocs.value} of [${section.name}]` };
      }
    }
    const directory = entryNamed(section, 'directory')?.value;
    const extraDirs = directory && !path.isAbsolute(directory) ? [path.resolve(path.dirname(lines.file), directory)] : [];
    // supervisord's own expansions: `%(program_name)s`; `%(process_num)d` stays for the path reader.
    const text = supervisorEnv(command.value, env).replace(/%\(program_name\)s/g, program[1]).replace(/%\(here\)s/g, path.dirname(lines.file))
      // Parentheses are shell syntax: mark the per-process number before the line is split.
      .replace(/%\(process_num\)\d*d/g, PROCESS_NUMBER);
    const site = siteFor(lines, command.line, ctx, env, `${relativeLabel(lines.file, ctx, command.line)}, [${section.name}]`, extraDirs);
    // The programs of one file run at once (unless one waits to be started by hand); relative
    // paths resolve in each program's `directory` (`|cwd:`, see writers.ts sharedKey).
    if (!/^(false|no|off|0)$/i.test(entryNamed(section, 'autostart')?.value.trim() ?? '')) site.together = [`supervisord:${lines.file}|cwd:${directory ?? ''}`];
    readCommandInto(facts, text, site, multiplier);
  }
}

/**
 * supervisord's `%(ENV_X)s`: the variable X of supervisord's own environment, known when the
 * workspace sets it (an .env file, the section's `environment=`), a placeholder otherwise.
 */
function supervisorEnv(text: string, env: Environment): string {
  return text.replace(/%\(ENV_(\w+)\)s/g, (_all, name: string) => env.get(name)?.value ?? placeholder.variable(name));
}

