/**
 * Test helper: reads one fixture project with the config front-end only (config files through
 * readConfigFile, Python files through addPythonConfigFacts) and collects the expectation
 * markers (`# expect:` / `# related:` comments and EXPECT files) of its files.
 */
import * as fs from 'fs';
import * as path from 'path';
import { emptyFacts } from '../src/model/facts';
import type { FileFacts } from '../src/model/facts';
import { addPythonConfigFacts, isConfigFile, readConfigFile } from '../src/configs';
import { parsePython } from '../src/python/parser';
import { moduleNameOfFile } from '../src/configs/peek';

export interface Marker {
  kind: 'expect' | 'related';
  file: string; // relative to the fixture
  line: number; // 1-based
  rule: string;
  severity?: string;
}

export function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(full));
    else out.push(full);
  }
  return out.sort();
}

export async function readFixtureFacts(dir: string): Promise<FileFacts[]> {
  const facts: FileFacts[] = [];
  for (const file of listFiles(dir)) {
    const text = fs.readFileSync(file, 'utf8');
    if (file.endsWith('.py')) {
      const tree = await parsePython(text);
      if (!tree) continue;
      const f = emptyFacts(file, 'python', moduleNameOfFile(file, dir));
      addPythonConfigFacts(tree.rootNode, text, f, { workspaceRoot: dir });
      facts.push(f);
    } else if (isConfigFile(file)) {
      facts.push(readConfigFile(file, text, { workspaceRoot: dir }));
    }
  }
  return facts;
}

export function readMarkers(dir: string): Marker[] {
  const markers: Marker[] = [];
  for (const file of listFiles(dir)) {
    const rel = path.relative(dir, file);
    const text = fs.readFileSync(file, 'utf8');
    if (rel === 'EXPECT') {
      for (const line of text.split('\n')) {
        const m = /^(expect|related)\s+(\S+):(\d+)\s+(LF\d+)(?:\s+(\w+))?/.exec(line.trim());
        if (m) markers.push({ kind: m[1] as Marker['kind'], file: m[2], line: parseInt(m[3], 10), rule: m[4], severity: m[5] });
      }
      continue;
    }
    text.split('\n').forEach((line, i) => {
      for (const m of line.matchAll(/#\s*(expect|related):\s*((?:LF\d+(?:\s+(?:error|warning|information))?\s*,?\s*)+)/g)) {
        for (const part of m[2].split(',')) {
          const p = /(LF\d+)(?:\s+(\w+))?/.exec(part.trim());
          if (p) markers.push({ kind: m[1] as Marker['kind'], file: rel, line: i + 1, rule: p[1], severity: p[2] });
        }
      }
    });
  }
  return markers;
}
