/**
 * LF101's trace from an unpickling call back to the socket its bytes came from
 * (python/receivedBytes.ts), on small modules read as the engine reads them.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { pythonParser } from '../src/python/parser';
import { readText } from '../src/workspace/fileReader';

/** The LF101 findings' lines (1-based), each with the line of its "received here" evidence. */
async function lf101(source: string): Promise<string[]> {
  const parser = await pythonParser();
  const entry = readText('/ws/receiver.py', source, parser, { workspaceRoot: '/ws', parse: true });
  return entry.facts.hazards
    .filter((h) => h.rule === 'LF101')
    .map((h) => `${h.span.start.line + 1}<-${(h.related ?? []).map((r) => r.span.start.line + 1).join(',')}`);
}

test('a round trip beside a socket is not a receiver, however the socket is used elsewhere', async () => {
  assert.deepEqual(await lf101([
    'import pickle, socket',
    'def ping(sock):',
    '    return sock.recv(16)',
    'def copy(obj, proto):',
    '    return pickle.loads(pickle.dumps(obj, proto))',
    'def again(obj):',
    '    blob = pickle.dumps(obj)',
    '    return pickle.loads(blob)',
    'def echo(sock):',
    '    data = sock.recv(100)',
    '    return pickle.loads(pickle.dumps(data))  # received bytes, but pickled here',
  ].join('\n')), []);
});

test('a module without any way of receiving bytes confirms nothing', async () => {
  assert.deepEqual(await lf101([
    'import pickle, socket',
    'def load(path):',
    '    with open(path, "rb") as f:',
    '        return pickle.load(f)',
    'def parse(payload):',
    '    return pickle.loads(payload)',
  ].join('\n')), []);
});

test('received bytes through a decompression, a keyword argument and a with-alias', async () => {
  assert.deepEqual(await lf101([
    'import pickle, socket, zlib',
    'def decode(payload):',
    '    return pickle.loads(zlib.decompress(payload))',
    'def serve(conn):',
    '    decode(payload=conn.recv(4096))',
    'def stream(conn):',
    '    with conn.makefile("rb") as f:',
    '        return pickle.load(f)',
  ].join('\n')), ['3<-5', '8<-7']);
});

test("a receive buffer kept on the instance and a method's return value are followed", async () => {
  // The shape of IDLE's rpc.py: recv into self.buff in one method, cut a packet in another,
  // unpickle what a third returns.
  assert.deepEqual(await lf101([
    'import pickle, socket',
    'class Channel:',
    '    def __init__(self, sock):',
    '        self.sock = sock',
    '        self.buff = b""',
    '    def fill(self):',
    '        s = self.sock.recv(4096)',
    '        self.buff += s',
    '    def packet(self):',
    '        packet = self.buff[4:]',
    '        self.buff = b""',
    '        return packet',
    '    def message(self):',
    '        return pickle.loads(self.packet())',
  ].join('\n')), ['14<-7']);
});

test('a parameter whose callers pass only local bytes is not a receiver', async () => {
  assert.deepEqual(await lf101([
    'import pickle, socket',
    'def decode(payload):',
    '    return pickle.loads(payload)',
    'def size(sock):',
    '    return len(sock.recv(4))',
    'def local():',
    '    return decode(pickle.dumps({"n": 1}))',
  ].join('\n')), []);
});

test("a datagram unpacked from socketserver's request, unpickled through an alias; pickle.Unpickler(...).load()", async () => {
  assert.deepEqual(await lf101([
    'import io, socketserver',
    'from pickle import loads as unpickle',
    'import pickle',
    'class UDPLogHandler(socketserver.BaseRequestHandler):',
    '    def handle(self):',
    '        packet, _sock = self.request',
    '        return unpickle(packet[4:])',
    'class TCPLogHandler(socketserver.StreamRequestHandler):',
    '    def handle(self):',
    '        data = self.rfile.read(4096)',
    '        return pickle.Unpickler(io.BytesIO(data)).load()',
  ].join('\n')), ['7<-6', '11<-10']);
});
