/**
 * The real trees the benchmarks read, by the names their command lines take: `django` (Debian's
 * python3-django) and `stdlib` (the local python3's standard library).
 */
import { spawnSync } from 'child_process';

export const DJANGO_TREE = '/usr/lib/python3/dist-packages/django';

/** The standard library folder of the local `python3`; undefined when python3 does not answer. */
export function stdlibTree(): string | undefined {
  const r = spawnSync('python3', ['-c', "import sysconfig; print(sysconfig.get_paths()['stdlib'])"], { encoding: 'utf8' });
  const dir = r.status === 0 ? r.stdout.trim() : '';
  return dir || undefined;
}
