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
  | 'ini' // fileConfig, uwsgi or supervisord: decided from sections
  | 'yaml' // dictConfig, uwsgi or compose: decided from top-level keys
  | 'json'
  | 'toml';

const SNIFF_BYTES = 4096;

export function kindByName(file: string): ConfigFileKind | 'sniff-script' | undefined {
  const base = path.basename(file);
  if (/^Procfile(\.[\w-]+)?$/.test(base)) return 'procfile';
  if (/^(Dockerfile|Containerfile)(\.[\w-]+)?$/.test(base) || /\.(Dockerfile|dockerfile)$/.test(base)) return 'dockerfile';
  if (/^(docker-)?compose([.-][\w-]+)*\.ya?ml$/.test(base)) return 'compose';
  if (/\.service$/.test(base)) return 'systemd';
  if (/^(GNU)?[Mm]akefile$/.test(base) || /\.mk$/.test(base)) return 'makefile';
  if (/\.(sh|bash)$/.test(base)) return 'shell';
  if (/\.(ini|conf|cfg)$/.test(base)) return 'ini';
  if (/\.ya?ml$/.test(base)) return 'yaml';
  if (/\.json$/.test(base)) return 'json';
  if (/\.toml$/.test(base)) return 'toml';
  // Scripts without an extension: sniffed for a shell shebang. Package metadata (RECORD, LICENSE,
  // anything in *.dist-info) and other all-caps names never are.
  if (/\.(dist|egg)-info[\\/]/.test(file) || /^[A-Z0-9_-]+$/.test(base)) return undefined;
  if (!base.includes('.') || /entrypoint|start|run|launch/i.test(base)) return 'sniff-script';
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
      return /^(handlers|uwsgi|services)\s*:/m.test(head) ? 'yaml' : undefined;
    case 'json':
      return /"handlers"\s*:/.test(head) ? 'json' : undefined;
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

function readHead(file: string): string {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, 'r');
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const n = fs.readSync(fd, buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, n).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
