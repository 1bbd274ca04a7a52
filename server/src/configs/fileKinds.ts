/**
 * Which non-Python files this front-end reads, decided by name and, where names are not enough
 * (`.ini`, `.conf`, `.yaml`, `.json`, `.toml`, scripts without extension), by the first bytes.
 */
import * as fs from 'fs';
import * as path from 'path';

export type ConfigFileKind =
  | 'procfile'
  | 'dockerfile'
  | 'compose'
  | 'systemd'
  | 'makefile'
  | 'shell'
  | 'pm2' // ecosystem.config.js and PM2's other process files, by name
  | 'ini' // fileConfig, uwsgi or supervisord: decided from sections
  | 'yaml' // dictConfig, uwsgi or compose: decided from top-level keys
  | 'json'
  | 'toml';

const SNIFF_BYTES = 4096;

const PROCFILE = /^Procfile(\.[\w-]+)?$/;
const DOCKERFILE = /^(Dockerfile|Containerfile)(\.[\w-]+)?$/;
const COMPOSE = /^(docker-)?compose([.-][\w-]+)*\.ya?ml$/;
const PACKAGE_METADATA = /\.(dist|egg)-info[\\/]/;
const ALL_CAPS = /^[A-Z0-9_-]+$/;
const SCRIPT_WORDS = /entrypoint|start|run|launch/i;
/** PM2's process files under the names its documentation uses (ecosystem.config.js, pm2.json, process.yml). */
const PM2_FILE = /^(?:(?:ecosystem|pm2)(?:[.-][\w-]+)*\.(?:js|cjs|mjs|json|ya?ml)|process\.(?:json|ya?ml))$/;

/** What the part after the last '.' of a name says on its own (`x.Dockerfile`, `x.service`...). */
const KIND_BY_EXTENSION = new Map<string, ConfigFileKind>([
  ['Dockerfile', 'dockerfile'],
  ['dockerfile', 'dockerfile'],
  ['service', 'systemd'],
  ['mk', 'makefile'],
  ['sh', 'shell'],
  ['bash', 'shell'],
  // SLURM batch scripts: shell scripts with #SBATCH comments.
  ['sbatch', 'shell'],
  ['slurm', 'shell'],
  ['ini', 'ini'],
  ['conf', 'ini'],
  ['cfg', 'ini'],
  ['yaml', 'yaml'],
  ['yml', 'yaml'],
  ['json', 'json'],
  ['toml', 'toml'],
]);

/**
 * By name, in this order: Procfile, Dockerfile / Containerfile (also as `*.Dockerfile`), compose
 * files, then by extension, then Makefiles; names that say nothing may be scripts to sniff.
 * Called for every file of the workspace, so each pattern runs only on names that can match it.
 */
export function kindByName(file: string): ConfigFileKind | 'sniff-script' | undefined {
  const base = path.basename(file);
  if (base.startsWith('Procfile') && PROCFILE.test(base)) return 'procfile';
  if ((base.startsWith('Dockerfile') || base.startsWith('Containerfile')) && DOCKERFILE.test(base)) return 'dockerfile';
  const dot = base.lastIndexOf('.');
  const extension = dot === -1 ? undefined : base.slice(dot + 1);
  if (extension === 'Dockerfile' || extension === 'dockerfile') return 'dockerfile';
  // Before the extensions: a JavaScript file is read only under these names.
  if ((base.startsWith('ecosystem') || base.startsWith('pm2') || base.startsWith('process.')) && PM2_FILE.test(base)) return 'pm2';
  if ((extension === 'yml' || extension === 'yaml') && (base.startsWith('compose') || base.startsWith('docker-compose')) && COMPOSE.test(base)) {
    return 'compose';
  }
  const byExtension = extension === undefined ? undefined : KIND_BY_EXTENSION.get(extension);
  if (byExtension) return byExtension;
  if (base === 'Makefile' || base === 'makefile' || base === 'GNUmakefile' || base === 'GNUMakefile') return 'makefile';
  // Scripts without an extension: sniffed for a shell shebang. Package metadata (RECORD, LICENSE,
  // anything in *.dist-info) and other all-caps names never are.
  if (PACKAGE_METADATA.test(file) || ALL_CAPS.test(base)) return undefined;
  if (dot === -1 || SCRIPT_WORDS.test(base)) return 'sniff-script';
  return undefined;
}

/** Decides from the first bytes whether a file of an ambiguous kind is one we read. */
export function sniffKind(kind: ConfigFileKind | 'sniff-script', head: string): ConfigFileKind | undefined {
  switch (kind) {
    case 'sniff-script':
      return /^#!.*\b(sh|bash|dash|ash|zsh)\b/.test(head) ? 'shell' : undefined;
    case 'ini':
      return /^\s*\[(handlers|handler_\w+|loggers|uwsgi|program:[^\]]+|fcgi-program:[^\]]+|supervisord)\]/m.test(head) ? 'ini' : undefined;
    case 'yaml':
      return /^(handlers|uwsgi|services)\s*:/m.test(head) || (/^apps\s*:/m.test(head) && /^[\s-]*script\s*:/m.test(head)) ? 'yaml' : undefined;
    case 'json':
      // A PM2 process file under another name: `apps` with a `script`.
      return /"handlers"\s*:/.test(head) || (/"apps"\s*:/.test(head) && /"script"\s*:/.test(head)) ? 'json' : undefined;
    case 'toml':
      return /^\s*\[handlers\b|^\s*handlers\s*[.=]/m.test(head) ? 'toml' : undefined;
    default:
      return kind;
  }
}

/** For isConfigFile: names alone, or names plus the first bytes read from disk. */
export function configFileKind(file: string): ConfigFileKind | undefined {
  const byName = kindByName(file);
  if (!byName) return undefined;
  if (byName !== 'sniff-script' && byName !== 'ini' && byName !== 'yaml' && byName !== 'json' && byName !== 'toml') return byName;
  return sniffKind(byName, readHead(file));
}

/** One buffer for all reads: each is decoded before the next one starts. */
const headBuffer = Buffer.alloc(SNIFF_BYTES);

function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const n = fs.readSync(fd, headBuffer, 0, SNIFF_BYTES, 0);
    return headBuffer.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
