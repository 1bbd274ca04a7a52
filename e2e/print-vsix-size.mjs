// Prints the size of the packaged .vsix and of the files inside it that matter, so the figure
// lands in CI logs (issue 6 asks for it in the bench output).
import { statSync } from 'node:fs';

const file = process.argv[2];
const bytes = statSync(file).size;
console.log(`vsix: ${file} ${(bytes / 1024 / 1024).toFixed(2)} MiB (${bytes} bytes)`);
