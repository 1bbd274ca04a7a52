// normalizeSettings (common/settings.ts) is what both the VS Code client and the server apply to
// a `logfunnel` settings section. Runs on the tsc output: `npm run build && node --test client/test/`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { normalizeSettings, DEFAULT_SETTINGS } = require('../../out/common/settings.js');

test('no section (null, a string, an array) gives the defaults', () => {
  for (const raw of [null, undefined, 'logfunnel', [1, 2]]) assert.deepEqual(normalizeSettings(raw), DEFAULT_SETTINGS);
});

test('the defaults are a copy, not the shared object', () => {
  const settings = normalizeSettings(null);
  settings.exclude.push('x');
  assert.deepEqual(DEFAULT_SETTINGS.exclude, []);
});

test('a complete section from another editor is kept as given', () => {
  const raw = {
    enable: false,
    languages: { python: { enable: true }, javascript: { enable: false }, typescript: { enable: false } },
    rules: { LF001: 'error', LF105: 'off' },
    fix: { strategy: 'queue' },
    exclude: ['legacy/**'],
    python: { interpreter: '/opt/venv/bin/python' },
    trace: { server: 'verbose' },
  };
  assert.deepEqual(normalizeSettings(raw), raw);
});

test('values of the wrong type or outside the enums fall back per key', () => {
  const settings = normalizeSettings({
    enable: 'yes',
    languages: { python: { enable: 0 }, javascript: 'off' },
    rules: { lf002: 'warning', LF003: 'fatal', E501: 'error', LF1: 'hint' },
    fix: { strategy: 'magic' },
    exclude: ['ok/**', 3, '', null],
    python: { interpreter: '   ' },
    trace: { server: true },
  });
  assert.deepEqual(settings, {
    ...DEFAULT_SETTINGS,
    rules: { LF002: 'warning' }, // rule codes are case-insensitive; unknown severities and non-LF codes dropped
    exclude: ['ok/**'],
  });
});

test('the interpreter path is trimmed', () => {
  assert.equal(normalizeSettings({ python: { interpreter: '  python3.12 ' } }).python.interpreter, 'python3.12');
});
