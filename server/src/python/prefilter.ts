/**
 * The prefilter: most files of a large tree never touch logging handlers, processes, log
 * configs or pickle. `needsFullParse` tells the few that do (they are parsed and fully
 * extracted) from the rest (line-scanned by lightFacts.ts), in one pass over the text.
 */
/**
 * Names without which a file cannot create a file handler, start processes, load a log config,
 * configure a server, unpickle from a socket or re-exec itself. Specific API names, not common
 * words, so that most files of a large tree (Django: 90 %) are only line-scanned.
 */
export const RELEVANT_WORDS = [
  // handlers and logging configuration
  'FileHandler', 'QueueHandler', 'QueueListener', 'SocketHandler', 'DatagramHandler', 'SysLogHandler',
  'basicConfig', 'dictConfig', 'fileConfig', 'LOGGING', 'config.listen',
  // processes. 'multiprocess' covers multiprocessing, torch.multiprocessing and pathos's
  // `multiprocess`. No 'get_context': the extractor knows a context only through an import of
  // one of these modules in the same file, and the word alone sent every Django view and widget
  // with a get_context_data() to the parser (17 of Django's 26 full parses). No
  // 'concurrent.futures': of that package only ProcessPoolExecutor starts processes, and its
  // name is a word of its own (the package alone sent asyncio's thread pools to the parser).
  'multiprocess', 'billiard', 'ProcessPoolExecutor', 'fork', 'joblib',
  'set_start_method',
  // servers and workers
  'DJANGO_SETTINGS_MODULE', 'logconfig', 'after_setup_logger', 'after_setup_task_logger', 'setup_logging', 'Celery(',
  'worker_concurrency', 'accesslog', 'errorlog', 'preload_app', 'workers', 'post_fork',
  // re-exec, third-party handlers, the runtime library
  'os.exec', 'execv', 'execl', 'picologging', 'concurrent_log_handler', 'cloghandler', 'logfunnel',
];
/** A call of one of os.exec* (EXEC_FUNCTIONS in knownApis.ts), however it was imported. */
const EXEC_CALL = /\bexec[lv]p?e?\s*\(/;
/** Words that are also parts of common words: confirmed by a stricter pattern. */
const CONFIRM: Record<string, RegExp> = {
  // The extractor sees a fork only in a call (os.fork(), os.forkpty(), pty.fork(), or one of
  // them imported by name): the word alone also sent comments, docstrings and html/entities.py's
  // 'fork' entity to the parser. Not on a line that starts with '#', which is never code: the
  // stdlib's threading.py and test_signal.py name fork() only in comments (111K chars).
  // Nor after an open quote on its line: `"requires working os.fork()"`, a docstring's first line
  // (test_subprocess.py, 163K chars). Quotes opened and closed before it are code's strings
  // (`log.info("forking"); os.fork()`).
  // Or imported by name under another one (`from os import fork as spawn_child`).
  fork: /^(?![ \t]*#)(?:[^'"\n]|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')*?\bfork(pty)?\s*\(|^[ \t]*from[ \t]+(?:os|pty)[ \t]+import\b[^\n]*\bfork(pty)?\b/m,
  workers: /^\s*workers\s*=/m,
  // The extractor knows a handler class by its qualified name (logging.FileHandler,
  // picologging's) or, for a workspace subclass, through the bases of a class statement. The
  // word alone also sent urllib.request's own FileHandler and its users to the parser (190K
  // chars of the stdlib).
  FileHandler: /logging|^[ \t]*class\b[^\n]*\([^)]*FileHandler/m,
  // The extractor sees a re-exec only in a call (os.execv(...), or execv imported by name):
  // comments about execv, os._execvpe and the like need no parse (subprocess.py, 88K chars).
  'os.exec': EXEC_CALL,
  execv: EXEC_CALL,
  execl: EXEC_CALL,
  // A process pool only in a call, an import or as an attribute (`futures.ProcessPoolExecutor`):
  // not in a docstring (concurrent/futures/_base.py).
  ProcessPoolExecutor: /ProcessPoolExecutor\s*\(|\bimport\b[^\n]*ProcessPoolExecutor|\.\s*ProcessPoolExecutor\b/,
  // The extractor knows multiprocessing only through an import (of multiprocessing,
  // torch.multiprocessing, pathos's multiprocess, also inside a function; not the C module
  // _multiprocessing) or a member of it reached through an imported package
  // (`torch.multiprocessing.spawn`). The word alone also sent WSGI environ keys
  // (`'wsgi.multiprocess'`), comments and `import _multiprocessing` (the stdlib's test_re.py,
  // 135K chars) to the parser.
  // An import line may go on after a backslash (`import os, \` / `    multiprocessing`).
  multiprocess: /^[ \t]*(?:from|import)\b[^\n]*\bmultiprocess|^(?![ \t]*#).*\.multiprocess(?:ing)?\s*\.|^[ \t]*import\b[^\n]*\\\n[^\n]*\bmultiprocess/m,
  // The config reader takes the settings module from the string key given a string literal: a
  // call's argument (`os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")`, comments
  // allowed between the arguments) or an item assignment (`os.environ[...] = "proj.settings"`).
  // Reads, messages, docstrings and values from variables need no parse (six of Django's eleven
  // parsed files).
  DJANGO_SETTINGS_MODULE: /DJANGO_SETTINGS_MODULE['"](?:(?:\s|#[^\n]*)*,(?:\s|#[^\n]*)*|\s*\]\s*=\s*)[rRbBuUfF]{0,2}['"]/,
};

/**
 * Unpickling only matters in a file that also talks to sockets, and the extractor sees it only
 * in a call to `pickle.load(s)` / `pickle.Unpickler` (or cPickle's, _pickle's), reached through the module's name,
 * an alias of it, or the function imported by name. Files that only pickle, or name pickle in
 * text, need no parse (the stdlib's test_io.py, _pyio.py, socket.py: 330K chars).
 */
const PICKLE = /\b(?:c|_)?[Pp]ickle\s*\.\s*(?:loads?|Unpickler)\s*\(|\bfrom\s+(?:c|_)?[Pp]ickle\s+import\b|\bimport\s+(?:c|_)?[Pp]ickle\s+as\b/;
const SOCKETS = /\bsocket|\brecv\(|StreamRequestHandler|DatagramRequestHandler/;
/** Every match of PICKLE contains one of these. */
const PICKLE_ANCHORS = ['pickle', 'cPickle'];

/**
 * One pass over the text finds every place where one of the words may start, instead of one
 * `includes` per word (forty passes). The text is copied as one byte per UTF-16 unit (Latin-1:
 * the low byte) into a scratch buffer and read two bytes at a time; at every even offset the four
 * bytes there, as one number, index a table set for the four-byte pieces of the words that can
 * sit at an even offset: a word starting at an even offset shows its first four characters
 * there, one starting at an odd offset its characters 1-4 (every word is at least four long; a
 * four-character word starting at an odd offset shows as "any byte" + its first three). A set
 * entry is only a hint, confirmed with `startsWith` on the text itself, so characters beyond
 * Latin-1 (which share bytes with others) and hash collisions cost a check, never an answer:
 * the result is the one forty `includes` would give.
 */
const WINDOW_TABLE_BITS = 15;
const WINDOW_SHIFT = 32 - WINDOW_TABLE_BITS;

function windowIndex(window: number): number {
  return Math.imul(window, 0x9e3779b1) >>> WINDOW_SHIFT;
}

/** Four bytes as the scan sees them: two 16-bit units in the machine's byte order. */
const packUnits = new Uint16Array(2);
const packBytes = new Uint8Array(packUnits.buffer);
function packWindow(b0: number, b1: number, b2: number, b3: number): number {
  packBytes[0] = b0;
  packBytes[1] = b1;
  packBytes[2] = b2;
  packBytes[3] = b3;
  return (packUnits[0] << 16) | packUnits[1];
}

/**
 * The table, flat: entry e (window value, word, where the word starts from the window's first
 * byte) belongs to table slot s for BUCKET_START[s] <= e < BUCKET_START[s + 1]. A slot hit by
 * a window that is not one of its own costs one comparison per entry.
 */
const { WINDOW_SET, BUCKET_START, ENTRY_WINDOW, ENTRY_WORD, ENTRY_DELTA } = (() => {
  const pieces: { slot: number; window: number; word: string; delta: number }[] = [];
  const add = (window: number, word: string, delta: number) => pieces.push({ slot: windowIndex(window), window, word, delta });
  for (const word of [...RELEVANT_WORDS, ...PICKLE_ANCHORS]) {
    const c = (k: number) => word.charCodeAt(k);
    if (word.length < 4 || /[^\x20-\x7e]/.test(word)) throw new Error(`prefilter word "${word}" must be printable ASCII and at least four long`);
    add(packWindow(c(0), c(1), c(2), c(3)), word, 0);
    if (word.length >= 5) add(packWindow(c(1), c(2), c(3), c(4)), word, -1);
    else for (let any = 0; any < 256; any++) add(packWindow(any, c(0), c(1), c(2)), word, 1);
  }
  pieces.sort((a, b) => a.slot - b.slot);
  const size = 1 << WINDOW_TABLE_BITS;
  const set = new Uint8Array(size);
  const start = new Int32Array(size + 1);
  for (const p of pieces) {
    set[p.slot] = 1;
    start[p.slot + 1]++;
  }
  for (let s = 0; s < size; s++) start[s + 1] += start[s];
  return {
    WINDOW_SET: set,
    BUCKET_START: start,
    ENTRY_WINDOW: Int32Array.from(pieces, (p) => p.window),
    ENTRY_WORD: pieces.map((p) => p.word),
    ENTRY_DELTA: Int32Array.from(pieces, (p) => p.delta),
  };
})();
const PICKLE_ANCHOR_SET = new Set(PICKLE_ANCHORS);

/** Scratch space for the Latin-1 copy, read as bytes and as 16-bit units (one byte of padding). */
const MAX_KEPT_SCRATCH = 8 * 1024 * 1024;
let scratch = new ArrayBuffer(1 << 16);
let scratchBytes = Buffer.from(scratch);
let scratchUnits = new Uint16Array(scratch);

/** The text's UTF-16 units as low bytes, readable as 16-bit units; undefined if that fails. */
function latin1Units(text: string): Uint16Array | undefined {
  const n = text.length;
  let bytes = scratchBytes;
  let units = scratchUnits;
  if (n + 2 > scratch.byteLength) {
    const buffer = new ArrayBuffer((n + 2) * 2);
    bytes = Buffer.from(buffer);
    units = new Uint16Array(buffer);
    if (buffer.byteLength <= MAX_KEPT_SCRATCH) {
      scratch = buffer;
      scratchBytes = bytes;
      scratchUnits = units;
    }
  }
  if (bytes.write(text, 0, n, 'latin1') !== n) return undefined;
  bytes[n] = 0; // the padding byte of an odd-length text
  return units;
}

export function needsFullParse(text: string): boolean {
  const n = text.length;
  const units = latin1Units(text);
  if (!units) return needsFullParseSlowly(text);
  let sawPickle = false;
  // Words found whose confirming pattern failed: not tried again.
  let rejected: Set<string> | undefined;
  let window = 0;
  const count = (n + 1) >> 1;
  for (let j = 0; j < count; j++) {
    window = (window << 16) | units[j];
    const slot = windowIndex(window);
    if (WINDOW_SET[slot] === 0) continue;
    const at = 2 * j - 2; // offset of the window's first byte
    for (let e = BUCKET_START[slot], end = BUCKET_START[slot + 1]; e < end; e++) {
      if (ENTRY_WINDOW[e] !== window) continue;
      const word = ENTRY_WORD[e];
      const start = at + ENTRY_DELTA[e];
      if (start < 0 || !text.startsWith(word, start)) continue;
      if (PICKLE_ANCHOR_SET.has(word)) {
        sawPickle = true;
        continue;
      }
      const confirm = CONFIRM[word];
      if (!confirm) return true;
      if (rejected?.has(word)) continue;
      if (confirm.test(text)) return true;
      (rejected ??= new Set()).add(word);
    }
  }
  return sawPickle && PICKLE.test(text) && SOCKETS.test(text);
}

/**
 * Whether the file may unpickle bytes it received (LF101) in any way the extractor follows:
 * it names pickle (`_decode = pickle.loads` is no call, but its calls are) and sockets.
 */
export function mayUnpickleReceivedBytes(text: string): boolean {
  return /[Pp]ickle/.test(text) && SOCKETS.test(text);
}

/** The plain definition: any word (confirmed where it must be), or pickle beside sockets. */
function needsFullParseSlowly(text: string): boolean {
  for (const word of RELEVANT_WORDS) {
    if (text.includes(word) && (!CONFIRM[word] || CONFIRM[word].test(text))) return true;
  }
  return PICKLE.test(text) && SOCKETS.test(text);
}
