/**
 * systemd units: `[Service] ExecStart=` with `Environment=` / `EnvironmentFile=`; a template
 * unit (`app@.service`) runs once per enabled instance.
 */
import * as path from 'path';
import type { FileFacts } from '../../model/facts';
import type { ConfigContext } from '../context';
import { LineIndex } from '../spans';
import { Environment, readEnvFile, unquote, workspaceEnvironment } from '../env';
import { parseIni, sectionNamed, entriesNamed, entryNamed } from '../ini';
import { Multiplier } from '../launch';
import { unknown } from '../counts';
import { readCommandInto, relativeLabel, siteFor } from './common';

export function readSystemdUnit(lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const doc = parseIni(lines, { lowerCaseKeys: false, backslashContinuation: true });
  const service = sectionNamed(doc, 'Service');
  if (!service) return;
  const dir = path.dirname(lines.file);
  const env = new Environment(workspaceEnvironment(ctx.workspaceRoot, dir));
  const label = path.basename(lines.file);
  for (const e of entriesNamed(service, 'EnvironmentFile')) {
    const file = e.value.replace(/^-/, '');
    const local = path.isAbsolute(file) ? path.join(dir, path.basename(file)) : path.resolve(dir, file);
    for (const [k, v] of readEnvFile(local)) env.set(k, v, path.basename(file));
  }
  for (const e of entriesNamed(service, 'Environment')) {
    const re = /"([^"]*)"|(\S+)/g;
    for (let m = re.exec(e.value); m; m = re.exec(e.value)) {
      const pair = /^(\w+)=(.*)$/.exec(m[1] ?? m[2]);
      if (pair) env.set(pair[1], unquote(pair[2]), label);
    }
  }
  const template = /@\.service$/.test(lines.file);
  const multiplier: Multiplier | undefined = template
    ? { reading: unknown(`the number of running instances of ${label}`, undefined), mechanism: 'systemd', words: `(template unit: one copy per instance of ${label})` }
    : undefined;
  const workingDirectory = entryNamed(service, 'WorkingDirectory')?.value;
  const extraDirs = workingDirectory && !path.isAbsolute(workingDirectory) ? [path.resolve(dir, workingDirectory)] : [];
  for (const exec of entriesNamed(service, 'ExecStart')) {
    // Prefixes: `-` ignore failure, `@` argv0, `+`/`!`/`!!` privileges: none change what runs.
    const command = exec.value.replace(/^[-@+!:]+/, '').replace(/%[iI]/g, 'INSTANCE');
    if (command === '') continue;
    readCommandInto(facts, command, siteFor(lines, exec.line, ctx, env, relativeLabel(lines.file, ctx, exec.line), extraDirs), multiplier);
  }
}
