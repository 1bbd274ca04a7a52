/**
 * The keyword prefilter: a file goes to the parser when it may hold a fact the line scan cannot
 * see. Each word's edge: the spelling that must be parsed, and the look-alike that need not be.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { needsFullParse } from '../src/python/prefilter';

const parsed: [string, string][] = [
  ['os.fork() call', 'import os\npid = os.fork()\n'],
  ['forkpty imported by name, called with a space', 'from os import forkpty\npid, fd = forkpty ()\n'],
  ['pty.fork()', 'import pty\npid, fd = pty.fork()\n'],
  ['os.fork() after a comment line and a comment', '# a comment mentioning fork()\nimport os\nif os.fork() == 0:  # child\n    pass\n'],
  ['fork imported under another name', 'from os import fork as spawn_child\nif spawn_child() == 0:\n    pass\n'],
  ['multiprocessing on the continuation line of an import', 'import os, \\\n    multiprocessing\nmultiprocessing.Pool(4).map(f, xs)\n'],
  ["pathos's multiprocess", 'import multiprocess as mp\n\nmp.Pool(4).map(f, xs)\n'],
  ['torch.multiprocessing', 'import torch.multiprocessing as mp\n'],
  ['multiprocessing imported inside a function', 'def main():\n    from multiprocessing import Pool\n    Pool(2).map(f, xs)\n'],
  ['torch.multiprocessing as an attribute of torch', 'import torch\n\ntorch.multiprocessing.spawn(train, nprocs=2)\n'],
  ['the Django settings module set by setdefault', 'import os\nos.environ.setdefault(\n    "DJANGO_SETTINGS_MODULE", "proj.settings"\n)\n'],
  ['the Django settings module set by item assignment', "import os\nos.environ['DJANGO_SETTINGS_MODULE'] = 'proj.settings'\n"],
  ['the Django settings module set with comments between the arguments', 'os.environ.setdefault(\n    "DJANGO_SETTINGS_MODULE",  # which settings\n    # the default\n    r"proj.settings",\n)\n'],
  ['a process pool through the futures package', 'from concurrent import futures\n\nwith futures.ProcessPoolExecutor() as ex:\n    ex.map(f, xs)\n'],
  ['a gunicorn setting at the start of a line', 'bind = "0.0.0.0:80"\nworkers = 4\n'],
  ['pickle.loads beside a socket', 'import pickle\nimport socket\n\nrecord = pickle.loads(conn.recv(n))\n'],
  ['loads imported from pickle, beside a socket', 'import socket\nfrom pickle import loads\n'],
  ['cPickle under another name, beside a socket', 'import socket\nimport cPickle as p\n'],
  ['os.fork() after a string closed on its line', 'log.info("forking"); pid = os.fork()\n'],
  ['os.fork() after a string with an escaped quote', 'x = "a\\"b"; pid = os.fork()\n'],
  ['a workspace subclass of a FileHandler, in its class statement', 'from .base import FileHandler\n\nclass Mine(\n    FileHandler,\n):\n    pass\n'],
  ['logging.FileHandler', 'import logging\nh = logging.FileHandler("a.log")\n'],
  ['a re-exec of the interpreter', 'import os, sys\nos.execv(sys.executable, [sys.executable] + sys.argv)\n'],
  ['execl imported by name', 'from os import execl\nexecl("/bin/true", "true")\n'],
  ['a process pool imported and called', 'from concurrent.futures import ProcessPoolExecutor\n'],
  ['a process pool through the package', 'import concurrent.futures as cf\nex = cf.ProcessPoolExecutor(4)\n'],
  ['a rotating handler', 'from logging.handlers import RotatingFileHandler\n'],
  ['a word after text beyond Latin-1', 'title = "Überwachung ✓ 日本"\nlogging.basicConfig(filename="x.log")\n'],
];

const lineScanned: [string, string][] = [
  ['fork in a comment', '# after a fork the child closes its copy\nx = 1\n'],
  ['fork() in comment lines', 'def f():\n    # fork() here would copy the lock\n    #   os.fork()\n    return 1\n'],
  ['torch.multiprocessing in a comment line', '    # torch.multiprocessing.spawn would re-import this\nx = 1\n'],
  ['an HTML entity named fork', "ENTITIES = {'fork': '\\u22d4', 'forall': '\\u2200'}\n"],
  ['a method called fork on a word boundary only', 'def refork_all():\n    pass\n'],
  ['Django views: get_context_data', 'class V(View):\n    def get_context_data(self, **kw):\n        return super().get_context_data(**kw)\n'],
  ['a widget get_context()', 'def get_context(self, name, value, attrs):\n    return {}\n'],
  ['max_workers is not a gunicorn setting', 'max_workers = 4\n'],
  ['a thread pool from concurrent.futures', 'import concurrent.futures\n\nwith concurrent.futures.ThreadPoolExecutor() as ex:\n    ex.map(f, xs)\n'],
  ['pickle without sockets', 'import pickle\ndata = pickle.dumps(1)\n'],
  ['pickling beside a socket, no unpickling', 'import pickle\nimport socket\n\ndata = pickle.dumps(obj)\n'],
  ['fork() in a docstring', 'def f():\n    \"\"\"Test for the fork() call.\"\"\"\n'],
  ['fork() in a message', 'raise unittest.SkipTest("requires working os.fork()")\n'],
  ['execv named in comments and a private helper', '# Use execv instead of execve.\nos._execvpe(file, args)\n'],
  ['ProcessPoolExecutor named in a docstring', '"""Used by ProcessPoolExecutor; ignored by ThreadPoolExecutor."""\n'],
  ["urllib's FileHandler", 'class FileHandler(BaseHandler):\n    pass\n\nopener = build_opener(FileHandler())\n'],
  ['plain logging', 'import logging\nlog = logging.getLogger(__name__)\nlog.info("x")\n'],
  ['the C module _multiprocessing', 'import _multiprocessing\nSemLock = _multiprocessing.SemLock\n'],
  ['WSGI keys in a docstring', '"""Checks wsgi.multithread, wsgi.multiprocess, wsgi.run_once."""\n'],
  ['a WSGI environ key', "environ = {\n    'wsgi.multithread': False,\n    'wsgi.multiprocess': True,\n}\n"],
  ['multiprocessing in a comment', '# multiprocessing.pool.RemoteTraceback is raised in the child\nx = 1\n'],
  ['the Django settings module read', "import os\nif os.environ.get('DJANGO_SETTINGS_MODULE'):\n    pass\n"],
  ['the Django settings module compared', "import os\nif os.environ['DJANGO_SETTINGS_MODULE'] == 'x':\n    pass\n"],
  ['the Django settings module set from a variable', "import os\nos.environ['DJANGO_SETTINGS_MODULE'] = options.settings\n"],
  ['the Django settings module in a message', 'raise ImproperlyConfigured("define the environment variable DJANGO_SETTINGS_MODULE")\n'],
];

test('the prefilter sends to the parser every spelling the extractor can turn into a fact', () => {
  for (const [what, text] of parsed) assert.equal(needsFullParse(text), true, what);
});

test('the prefilter leaves look-alikes to the line scan', () => {
  for (const [what, text] of lineScanned) assert.equal(needsFullParse(text), false, what);
});
