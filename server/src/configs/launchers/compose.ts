/**
 * docker-compose / compose.yaml: each service's `command` / `entrypoint` (or its image's
 * Dockerfile CMD when the service builds one), `environment` and `env_file`, multiplied by
 * `deploy.replicas` / `scale` when the service mounts a volume (replicas without one each write
 * a file of their own container).
 */
import * as path from 'path';
import type { FileFacts, Span } from '../../model/facts';
import type { ConfigContext } from '../context';
import { LineIndex } from '../spans';
import { Environment, readEnvFile, workspaceEnvironment } from '../env';
import { PValue, valueOf, entryOf, stringOf, scalarText } from '../pvalue';
import { Multiplier } from '../launch';
import { countFromWord } from '../counts';
import { substitute } from '../env';
import { findFile, peekText } from '../peek';
import { containerCommand, containerWorkdir } from './dockerfile';
import { readCommandInto, relativeLabel, siteFor } from './common';

export function readCompose(root: PValue, lines: LineIndex, facts: FileFacts, ctx: ConfigContext): void {
  const services = valueOf(root, 'services');
  if (services?.kind !== 'map') return;
  const dir = path.dirname(lines.file);
  const fileEnv = workspaceEnvironment(ctx.workspaceRoot, dir);
  for (const service of services.entries) {
    const env = serviceEnvironment(service.value, fileEnv, dir, path.basename(lines.file));
    const command = valueOf(service.value, 'command');
    const entrypoint = valueOf(service.value, 'entrypoint');
    const multiplier = replicas(service.value, env, service.key);
    const buildDir = buildContext(service.value, dir);
    const dirs = buildDir ? [buildDir] : [];
    const words = (v: PValue | undefined): string[] | string | undefined =>
      v?.kind === 'list' ? v.items.map((i) => scalarText(i) ?? '') : v ? scalarText(v) : undefined;
    // The image this service builds: its CMD runs when the service gives no command, and its
    // WORKDIR is where relative log paths land when the service sets no working_dir.
    const dockerfile = buildDir ? dockerfileOf(service.value, buildDir) : undefined;
    const dockerText = dockerfile ? peekText(dockerfile) : undefined;
    const dockerLines = dockerfile && dockerText !== undefined ? new LineIndex(dockerfile, dockerText) : undefined;
    const container = dockerLines ? containerCommand(dockerLines) : undefined;
    const workdir = stringOf(valueOf(service.value, 'working_dir')) ?? (dockerLines ? containerWorkdir(dockerLines) : undefined);
    const together = sharedLogVolumes(service.value, lines.file, workdir);
    const site = (at: number, label: string, siteEnv: Environment) => ({ ...siteFor(lines, at, ctx, siteEnv, label, dirs), together });
    const commandWords = words(command);
    const entryWords = words(entrypoint);
    if (commandWords !== undefined || entryWords !== undefined) {
      const at = (command ?? entrypoint)!.span.start.line;
      const label = `${relativeLabel(lines.file, ctx, at)}, service ${service.key}`;
      const joined = joinCommand(entryWords, commandWords);
      readCommandInto(facts, joined, site(at, label, env), multiplier);
      continue;
    }
    // No command: the image's own CMD runs, from the Dockerfile this service builds.
    if (!dockerfile || !container || (!multiplier && !together)) continue;
    const containerEnv = env.child();
    for (const [k, v] of container.env) if (!env.get(k)) containerEnv.set(k, v, path.basename(dockerfile));
    const at = service.keySpan.start.line;
    const label = `${relativeLabel(lines.file, ctx, at)}, service ${service.key} running the CMD of ${path.relative(ctx.workspaceRoot, dockerfile)}`;
    readCommandInto(facts, container.command, site(at, label, containerEnv), multiplier);
  }
}

/**
 * Services write one file only through a mount they share: the same source, wherever each
 * mounts it (`./logs:/app/logs` in one, `./logs:/opt/jobs/logs` in another). Each key says the
 * mount and the working directory (`|mount:./logs->/app/logs|wd:/app`): writers.ts maps a log
 * path through them to the file of the source, and a path that lands outside every mount is
 * each container's own. Where the working directory is not known, a relative path is taken to
 * land in a mount named for logs or in the project folder mounted as such (`|logs`).
 */
function sharedLogVolumes(service: PValue, composeFile: string, workdir: string | undefined): string[] | undefined {
  const volumes = valueOf(service, 'volumes');
  if (volumes?.kind !== 'list') return undefined;
  const keys: string[] = [];
  for (const item of volumes.items) {
    const short = stringOf(item);
    const [source, target] = short !== undefined ? short.split(':') : [stringOf(valueOf(item, 'source')), stringOf(valueOf(item, 'target'))];
    if (!source || !target) continue;
    if (!target.startsWith('/')) continue; // not a mount (`ro`, a malformed item)
    const mounted = path.posix.normalize(target).replace(/(.)\/$/, '$1');
    const projectFolder = /^\.\/?$/.test(source) && (workdir === undefined || path.posix.normalize(workdir) === mounted);
    const wd = workdir ?? (projectFolder ? mounted : undefined);
    const logs = !wd && /log/i.test(target) ? '|logs' : '';
    keys.push(`compose:${composeFile}|mount:${path.posix.normalize(source).replace(/(.)\/$/, '$1')}->${mounted}${wd ? `|wd:${path.posix.normalize(wd)}` : logs}`);
  }
  return keys.length ? keys : undefined;
}

function joinCommand(entry: string[] | string | undefined, command: string[] | string | undefined): string[] | string {
  if (entry === undefined) return command!;
  if (command === undefined) return entry;
  if (Array.isArray(entry) && Array.isArray(command)) return [...entry, ...command];
  const text = (w: string[] | string) => (Array.isArray(w) ? w.join(' ') : w);
  return `${text(entry)} ${text(command)}`;
}

function serviceEnvironment(service: PValue, base: Environment, dir: string, label: string): Environment {
  const env = base.child();
  const envFile = valueOf(service, 'env_file');
  const envFiles = envFile?.kind === 'list' ? envFile.items.map((i) => stringOf(i) ?? stringOf(valueOf(i, 'path'))) : [stringOf(envFile)];
  for (const f of envFiles) if (f) for (const [k, v] of readEnvFile(path.resolve(dir, f))) env.set(k, v, f);
  const environment = valueOf(service, 'environment');
  if (environment?.kind === 'map') {
    for (const e of environment.entries) {
      const value = scalarText(e.value);
      if (value !== undefined && value !== 'null') env.set(e.key, substitute(value, base).text, label);
    }
  } else if (environment?.kind === 'list') {
    for (const item of environment.items) {
      const m = /^(\w+)=(.*)$/.exec(stringOf(item) ?? '');
      if (m) env.set(m[1], substitute(m[2], base).text, label);
    }
  }
  return env;
}

function replicas(service: PValue, env: Environment, name: string): Multiplier | undefined {
  // Each replica is a container with a filesystem of its own: replicas write one file only
  // through a volume or bind mount they share. Without any, each appends to its own copy.
  if (!valueOf(service, 'volumes') && !valueOf(service, 'volumes_from')) return undefined;
  const deploy = valueOf(service, 'deploy');
  const entry = entryOf(deploy, 'replicas') ?? entryOf(service, 'scale');
  if (!entry) return undefined;
  const written = scalarText(entry.value) ?? '';
  const reading = countFromWord(substitute(written, env).text, entry.pairSpan as Span);
  if (!reading || (reading.count.kind === 'known' && reading.count.n <= 1)) return undefined;
  return { reading, mechanism: 'other', words: `× ${written} replicas of service ${name}` };
}

function buildContext(service: PValue, dir: string): string | undefined {
  const build = valueOf(service, 'build');
  const context = stringOf(build) ?? stringOf(valueOf(build, 'context'));
  return context !== undefined ? path.resolve(dir, context) : undefined;
}

function dockerfileOf(service: PValue, buildDir: string): string | undefined {
  const name = stringOf(valueOf(valueOf(service, 'build'), 'dockerfile')) ?? 'Dockerfile';
  return findFile(name, [buildDir]);
}
