// One WebSocket per tab to /ws: requests with ids that resolve on "ack" and reject on "error",
// server events to listeners, a heartbeat, and reconnection with backoff and jitter. After a
// drop, the new connection first tries to resume the participant (same pid, what was missed sent
// again); the "ready" state says `resumed` when that worked, and the page need not rejoin.

const RESTART_CODE = 1012;
const MAX_BACKOFF_MS = 10000;
const PING_TIMEOUT_MS = 10000;

export class Connection extends EventTarget {
  #ws = null;
  #nextId = 1;
  #pending = new Map();
  #attempt = 0;
  #heartbeat = null;
  #stopped = false;
  #everReady = false;
  // The resume token, and the frames received since this participant's welcome (welcome included).
  #token = null;
  #count = 0;
  limits = null;
  pid = null;
  state = 'connecting';

  constructor(url = defaultUrl()) {
    super();
    this.url = url;
  }

  start() {
    this.#stopped = false;
    this.#open();
    return this;
  }

  stop() {
    this.#stopped = true;
    this.#ws?.close(1000, 'bye');
  }

  get ready() {
    return this.state === 'ready';
  }

  /** Sends a request; resolves with the ack, rejects with {code, message} from an error reply. */
  request(type, fields = {}) {
    if (!this.ready) {
      return Promise.reject({ code: 'disconnected', message: 'not connected' });
    }
    const id = `c${this.#nextId++}`;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#ws.send(JSON.stringify({ type, id, ...fields }));
    });
  }

  /** Listens to server events of one type ("chat", "joined", …) or to "state". */
  on(type, handler) {
    this.addEventListener(type, (e) => handler(e.detail));
  }

  #open() {
    this.#setState(this.#everReady ? 'reconnecting' : 'connecting');
    const ws = new WebSocket(this.url);
    this.#ws = ws;
    ws.onmessage = (e) => this.#received(e.data);
    ws.onclose = (e) => this.#closed(ws, e.code);
  }

  #received(frame) {
    let message;
    try {
      message = JSON.parse(frame);
    } catch {
      return;
    }
    this.#count++;
    if ((message.type === 'ack' || message.type === 'error') && this.#pending.has(message.id)) {
      const { resolve, reject } = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      message.type === 'ack' ? resolve(message) : reject(message);
      return;
    }
    if (message.type === 'welcome') {
      this.limits = message.limits;
      this.call = message.call;
      this.#attempt = 0;
      this.#startHeartbeat(message.limits.heartbeatMs);
      if (this.#everReady && this.#token) this.#resume(message);
      else this.#fresh(message);
      return;
    }
    if (message.type === 'roster') {
      // A big room's news, gathered by the server: each change is told as if it came alone,
      // in order, so the rest of the page need not know the difference.
      for (const change of message.changes) this.dispatchEvent(new CustomEvent(change.type, { detail: change }));
      return;
    }
    this.dispatchEvent(new CustomEvent(message.type, { detail: message }));
  }

  /** A new participant: the welcome's pid and token; its frames counted from the welcome. */
  #fresh(welcome, count = 1) {
    this.pid = welcome.pid;
    this.#token = welcome.resume;
    this.#count = count;
    const reconnected = this.#everReady;
    this.#everReady = true;
    this.#setState('ready', { reconnected });
  }

  /**
   * Asks to be the participant we were. The frames we missed come first, then the ack; they
   * continue the old count, which the welcome on this connection is not part of.
   */
  #resume(welcome) {
    const id = `c${this.#nextId++}`;
    const received = this.#count - 1;
    this.#count = received;
    this.#pending.set(id, {
      resolve: ({ resume }) => {
        this.#token = resume;
        this.#setState('ready', { reconnected: true, resumed: true });
      },
      // Too late or unknown: a new participant, whose frames are the welcome and this error.
      // (If this connection dropped too, the next one tries again.)
      reject: ({ code }) => {
        if (code !== 'disconnected') this.#fresh(welcome, 2);
      },
    });
    this.#ws.send(JSON.stringify({ type: 'resume', id, token: this.#token, received }));
  }

  #closed(ws, code) {
    if (ws !== this.#ws) return;
    clearInterval(this.#heartbeat);
    for (const { reject } of this.#pending.values()) {
      reject({ code: 'disconnected', message: 'connection lost' });
    }
    this.#pending.clear();
    if (this.#stopped) {
      this.#setState('stopped');
      return;
    }
    this.#setState('reconnecting', { code });
    // A restarting server (1012) is back in a moment: retry at once, spread out a little so that
    // every tab does not knock at the same millisecond. Otherwise back off exponentially.
    const base = code === RESTART_CODE && this.#attempt === 0
      ? 200
      : Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.#attempt);
    this.#attempt++;
    setTimeout(() => this.#open(), base / 2 + Math.random() * base);
  }

  #startHeartbeat(intervalMs) {
    clearInterval(this.#heartbeat);
    this.#heartbeat = setInterval(() => {
      const ws = this.#ws;
      const timer = setTimeout(() => ws.close(4000, 'no heartbeat'), PING_TIMEOUT_MS);
      this.request('ping').then(() => clearTimeout(timer), () => clearTimeout(timer));
    }, Math.max(1000, intervalMs));
  }

  #setState(state, detail = {}) {
    this.state = state;
    this.dispatchEvent(new CustomEvent('state', { detail: { state, ...detail } }));
  }
}

function defaultUrl() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
