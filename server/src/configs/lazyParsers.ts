/**
 * The YAML, JavaScript and TOML parsers, loaded the first time a file needs one. Most checks
 * read no such file (Django: none), and loaded at start with the rest of the program (a module
 * import runs at once) they took ~19 ms of a ~240 ms check: compiling them and running their
 * top levels. esbuild bundles each into a file of its own beside the bundle (esbuild.mjs), so
 * that until then V8 does not even read them.
 */
import type * as Yaml from 'yaml';
import type * as Acorn from 'acorn';
import type * as Toml from 'smol-toml';

let yaml: typeof Yaml | undefined;
let acorn: typeof Acorn | undefined;
let toml: typeof Toml | undefined;

export function yamlParser(): typeof Yaml {
  return (yaml ??= require('yaml') as typeof Yaml);
}

export function javascriptParser(): typeof Acorn {
  return (acorn ??= require('acorn') as typeof Acorn);
}

export function tomlParser(): typeof Toml {
  return (toml ??= require('smol-toml') as typeof Toml);
}
