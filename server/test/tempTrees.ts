/** Throw-away folders for tests that write files: fresh temporary folders and fixture copies. */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export const FIXTURES = path.join(REPO, 'test-fixtures', 'python');

/** A new empty folder, by its real path (macOS's /tmp is a symlink; the engine reports real paths). */
export function tempDir(label: string): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `lf-${label}-`)));
}

/** A copy of test-fixtures/python/NAME that a test may change. */
export function copyFixture(name: string): string {
  const dir = tempDir(name);
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  return dir;
}
