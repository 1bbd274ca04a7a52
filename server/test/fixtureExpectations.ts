/**
 * Reads what a fixture project expects: `# expect: LF001 warning` / `# related: LF001` markers
 * at the end of lines, or an `EXPECT` file (for JSON and ini files) with lines
 * `expect <relpath>:<line> LF001 warning` and `related <relpath>:<line> LF001`.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface ExpectedFinding {
  file: string; // relative to the fixture, '/' separated
  line: number; // 1-based
  rule: string;
  severity: string;
}

export interface ExpectedRelated {
  file: string;
  line: number;
  rule: string;
}

export interface FixtureExpectations {
  findings: ExpectedFinding[];
  related: ExpectedRelated[];
}

const MARKER_FILES = /\.(py|ini|cfg|conf|ya?ml|toml|sh|service|env)$|^(Procfile|Dockerfile|Makefile)/;

export function listFixtures(root: string): string[] {
  return fs.readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => path.join(root, d.name))
    .sort();
}

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'logs' && e.name !== '__pycache__') walk(full, out);
    } else if (e.isFile()) out.push(full);
  }
  return out;
}

export function readExpectations(fixture: string): FixtureExpectations {
  const result: FixtureExpectations = { findings: [], related: [] };
  for (const file of walk(fixture)) {
    const rel = path.relative(fixture, file).split(path.sep).join('/');
    const base = path.basename(file);
    if (base === 'EXPECT') {
      for (const raw of fs.readFileSync(file, 'utf8').split('\n')) {
        const line = raw.trim();
        let m = line.match(/^expect\s+(\S+):(\d+)\s+(LF\d{3})\s+(\w+)/);
        if (m) result.findings.push({ file: m[1], line: Number(m[2]), rule: m[3], severity: m[4] });
        m = line.match(/^related\s+(\S+):(\d+)\s+(LF\d{3})/);
        if (m) result.related.push({ file: m[1], line: Number(m[2]), rule: m[3] });
      }
      continue;
    }
    if (!MARKER_FILES.test(base)) continue;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      const expect = text.match(/#\s*expect:\s*(.+)$/);
      if (expect) {
        for (const part of expect[1].split(',')) {
          const m = part.trim().match(/^(LF\d{3})\s+(error|warning|information|hint)/);
          if (m) result.findings.push({ file: rel, line: i + 1, rule: m[1], severity: m[2] });
        }
      }
      const related = text.match(/#\s*related:\s*(.+)$/);
      if (related) {
        for (const part of related[1].split(',')) {
          const m = part.trim().match(/^(LF\d{3})/);
          if (m) result.related.push({ file: rel, line: i + 1, rule: m[1] });
        }
      }
    });
  }
  const key = (f: ExpectedFinding) => `${f.file}:${String(f.line).padStart(5, '0')}:${f.rule}`;
  result.findings.sort((a, b) => key(a).localeCompare(key(b)));
  return result;
}

export function findingKey(f: { file: string; line: number; rule: string; severity: string }): string {
  return `${f.file}:${f.line} ${f.rule} ${f.severity}`;
}
