/**
 * The line scan counts the lines of the files it reads (the CLI's `stats.lines`), instead of a
 * second pass over the text: the count must be countLines', whatever the line breaks.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lightScan } from '../src/python/lightFacts';
import { countLines } from '../src/workspace/fileReader';

const texts: [string, string][] = [
  ['empty', ''],
  ['one line without a break', 'import os'],
  ['a final newline', 'import os\nos.getcwd()\n'],
  ['CRLF', 'import os\r\n\r\ndef f():\r\n    os.getcwd()\r\n'],
  ['lone CR (a line for Python, not for the count)', 'import os\rx = 1\n'],
  ['U+2028 inside a string', 'x = "a\u2028b"\nimport os\n'],
  ['blank lines at the end', 'def f():\n    pass\n\n\n\n'],
];

for (const [name, text] of texts) {
  test(`lightScan counts lines as countLines does: ${name}`, () => {
    const { facts, lines } = lightScan(text, '/w/m.py', 'm', false);
    assert.equal(lines, countLines(text));
    assert.equal(facts.file, '/w/m.py');
  });
}

test('a text of many lines, past the scan\'s reused buffer of line offsets', () => {
  const text = 'import os\n' + 'os.getcwd()\n'.repeat(40_000);
  assert.equal(lightScan(text, '/w/big.py', 'big', false).lines, 40_002);
});
