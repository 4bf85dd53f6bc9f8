// The chat panel: the list of lines, and the outbox that makes sure a typed line is either
// delivered (acked by the server) or plainly marked as not sent. Nothing is dropped silently.

import { t, errorText } from '../i18n/i18n.js';

export class ChatLog {
  #entries = [];
  #seen = new Set();
  // Whether the list is scrolled to its end, kept from scroll events: measuring it when a line
  // arrives would force a layout of the whole page in the middle of, say, a call being set up.
  #atEnd = true;
  #scrollPending = false;

  constructor(list, emptyNote) {
    this.list = list;
    this.emptyNote = emptyNote;
    list.addEventListener('scroll', () => {
      this.#atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    }, { passive: true });
    document.addEventListener('languagechange', () => this.#renderAll());
  }

  mine(text) {
    return this.#add({ kind: 'mine', text, status: 'sending' });
  }

  theirs(nick, text, ts, msgId) {
    if (this.#seen.has(msgId)) return null;
    this.#seen.add(msgId);
    return this.#add({ kind: 'theirs', nick, text, ts, msgId, status: 'sent' });
  }

  /**
   * Stored lines from the server (history on joining, or older ones on request), put in their
   * place by id; lines already shown (say, after a reconnect) are skipped.
   */
  stored(lines, ownPid) {
    for (const line of lines) {
      if (this.#seen.has(line.msgId)) continue;
      this.#seen.add(line.msgId);
      const entry = { kind: line.pid === ownPid ? 'mine' : 'theirs', history: true, nick: line.nick, text: line.text,
        ts: line.ts, msgId: line.msgId, status: 'sent' };
      const next = this.#entries.find((e) => e.msgId !== undefined && e.msgId > line.msgId);
      const element = this.#render(entry);
      if (next) {
        this.#entries.splice(this.#entries.indexOf(next), 0, entry);
        next.element.before(element);
      } else {
        this.#entries.push(entry);
        this.list.append(element);
      }
      this.emptyNote.hidden = true;
    }
  }

  /** The smallest message id shown, for asking the server for older lines. */
  oldestId() {
    const ids = this.#entries.filter((e) => e.msgId !== undefined).map((e) => e.msgId);
    return ids.length ? Math.min(...ids) : null;
  }

  /**
   * Our own line was stored as {@code msgId}: remembered, so that history does not show it
   * again. If history already did (the ack was lost with the connection, and the line came back
   * in the history of the rejoin before it was sent again), that copy goes: the line stays once,
   * where it was typed.
   */
  confirmed(entry, msgId) {
    this.#seen.add(msgId);
    const copy = this.#entries.find((e) => e !== entry && e.msgId === msgId);
    if (copy) {
      copy.element.remove();
      this.#entries.splice(this.#entries.indexOf(copy), 1);
    }
  }

  notice(key, vars) {
    return this.#add({ kind: 'notice', key, vars });
  }

  update(entry, changes) {
    Object.assign(entry, changes);
    entry.element.replaceWith(this.#render(entry));
  }

  #add(entry) {
    this.#entries.push(entry);
    this.list.append(this.#render(entry));
    this.emptyNote.hidden = true;
    if (this.#atEnd || entry.kind === 'mine') this.#scrollToEnd();
    return entry;
  }

  // In the next frame, where the browser lays the page out anyway; lines that come together
  // scroll once.
  #scrollToEnd() {
    if (this.#scrollPending) return;
    this.#scrollPending = true;
    requestAnimationFrame(() => {
      this.#scrollPending = false;
      this.list.scrollTop = this.list.scrollHeight;
      this.#atEnd = true;
    });
  }

  #renderAll() {
    this.list.replaceChildren(...this.#entries.map((e) => this.#render(e)));
  }

  // Everything a person typed goes in through textContent, never as HTML.
  #render(entry) {
    const li = document.createElement('li');
    li.className = `line ${entry.kind}${entry.history ? ' history' : ''}`;
    if (entry.kind === 'notice') {
      li.textContent = t(entry.key, entry.vars);
    } else {
      const body = document.createElement('p');
      body.className = 'body';
      const who = document.createElement('span');
      who.className = 'who';
      who.textContent = entry.kind === 'mine' ? t('chat.you') : entry.nick;
      const text = document.createElement('span');
      text.className = 'text';
      text.textContent = entry.text;
      body.append(who, document.createTextNode(': '), text);
      li.append(body);
      li.append(this.#meta(entry));
      li.dataset.status = entry.status;
    }
    entry.element = li;
    return li;
  }

  #meta(entry) {
    const meta = document.createElement('span');
    meta.className = 'meta';
    if (entry.status === 'sent') {
      const time = document.createElement('time');
      const at = new Date(entry.ts ?? Date.now());
      time.dateTime = at.toISOString();
      time.textContent = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
      meta.append(time);
    } else if (entry.status === 'failed') {
      meta.textContent = t('chat.failed', { reason: entry.reason }) + ' ';
      const retry = document.createElement('button');
      retry.type = 'button';
      retry.className = 'link';
      retry.textContent = t('chat.retry');
      retry.addEventListener('click', () => entry.retry?.());
      meta.append(retry);
    } else {
      meta.textContent = t(entry.status === 'queued' ? 'chat.queued' : 'chat.sending');
    }
    return meta;
  }
}

/**
 * Lines wait here until the server acks them. While the connection is down they are marked
 * "queued" and go out in order once the room is rejoined. A line that was on the wire when the
 * connection dropped is sent again, since its ack never came.
 */
const UNAVAILABLE_TRIES = 10;
const UNAVAILABLE_RETRY_MS = 1000;

export class Outbox {
  #queue = [];
  online = false;

  constructor(connection, log, limits) {
    this.connection = connection;
    this.log = log;
    this.limits = limits;
  }

  send(text) {
    const entry = this.log.mine(text);
    // Our own id for the line, the same each time it is sent: the server stores it once, however
    // often a lost ack makes us send it again.
    entry.lineId = [...crypto.getRandomValues(new Uint8Array(12))].map((b) => b.toString(16).padStart(2, '0')).join('');
    entry.retry = () => this.#retry(entry);
    this.#queue.push(entry);
    if (this.online) this.#deliver(entry);
    else this.log.update(entry, { status: 'queued' });
  }

  setOnline(online) {
    this.online = online;
    if (online) this.#queue.filter((e) => e.status !== 'sending').forEach((e) => this.#deliver(e));
  }

  #retry(entry) {
    this.#queue.push(entry);
    if (this.online) this.#deliver(entry);
    else this.log.update(entry, { status: 'queued' });
  }

  #deliver(entry) {
    this.log.update(entry, { status: 'sending' });
    this.connection.request('chat', { text: entry.text, lineId: entry.lineId }).then(
      (ack) => {
        this.#remove(entry);
        this.log.confirmed(entry, ack.msgId);
        this.log.update(entry, { status: 'sent', ts: ack.ts, msgId: ack.msgId });
      },
      (error) => {
        if (error.code === 'disconnected') {
          this.log.update(entry, { status: 'queued' });
          return;
        }
        // The room's server went away and another is taking the room over (a few seconds): try
        // again, which the line's id makes safe, before calling the line not sent.
        if (error.code === 'unavailable' && (entry.tries = (entry.tries ?? 0) + 1) <= UNAVAILABLE_TRIES) {
          this.log.update(entry, { status: 'queued' });
          setTimeout(() => {
            if (this.online && entry.status === 'queued') this.#deliver(entry);
          }, UNAVAILABLE_RETRY_MS);
          return;
        }
        this.#remove(entry);
        this.log.update(entry, { status: 'failed', reason: errorText(error, { max: this.limits().maxChatLength }) });
      });
  }

  #remove(entry) {
    this.#queue = this.#queue.filter((e) => e !== entry);
  }
}
