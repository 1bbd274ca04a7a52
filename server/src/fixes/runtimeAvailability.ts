/**
 * Does the workspace's interpreter import `logfunnel` already? If not, the funnel fix also
 * vendors the runtime package into the workspace (`<root>/logfunnel/*.py`), so the fixed
 * program runs without any manual install step.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import type { RuntimeAvailability } from './types';

const cache = new Map<string, boolean>();

/** Where the runtime package sits: beside the bundle (dist/) or in the source tree. */
export function runtimePackageDir(): string | undefined {
  const candidates = [
    path.resolve(__dirname, '..', 'runtime', 'python', 'logfunnel'),
    path.resolve(__dirname, '..', '..', 'runtime', 'python', 'logfunnel'),
    path.resolve(__dirname, '..', '..', '..', '..', 'runtime', 'python', 'logfunnel'),
  ];
  return candidates.find((d) => fs.existsSync(path.join(d, '__init__.py')));
}

export function vendoredCopyExists(root: string): boolean {
  return fs.existsSync(path.join(root, 'logfunnel', '__init__.py'));
}

/** `python -c "import logfunnel"` from the workspace root; cached per root and interpreter. */
export function isLogfunnelImportable(root: string, interpreter = 'python3'): boolean {
  if (vendoredCopyExists(root)) return true;
  const key = `${interpreter}\0${root}`;
  let ok = cache.get(key);
  if (ok === undefined) {
    const r = spawnSync(interpreter, ['-c', 'import logfunnel'], { cwd: root, timeout: 10000, stdio: 'ignore' });
    ok = r.status === 0;
    cache.set(key, ok);
  }
  return ok;
}

export function runtimeAvailability(root: string, interpreter?: string): RuntimeAvailability {
  return {
    importable: isLogfunnelImportable(root, interpreter),
    vendorFiles() {
      const dir = runtimePackageDir();
      if (!dir) return [];
      return fs.readdirSync(dir)
        .filter((f) => f.endsWith('.py'))
        .sort()
        .map((f) => ({ name: `logfunnel/${f}`, text: fs.readFileSync(path.join(dir, f), 'utf8') }));
    },
  };
}
