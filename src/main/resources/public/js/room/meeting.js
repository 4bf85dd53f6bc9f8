// What the room page knows about the meeting: the room, your nickname, the host, the room's lock
// and password, and the people in it. One object, so that the page's parts (people panel, call
// session, dialogs) share it instead of module-level variables; each change is announced as a
// "change" event whose detail says what changed ({what, pid, fields}), and the views render from
// that.
//
// what: "entered" (a join reply: everything), "joined", "left", "renamed", "media" (one person,
// by pid), "host", "settings" (lock, password, whether microphones are locked), "hands",
// "speaking".

export class Meeting extends EventTarget {
  hostPid = null;
  locked = false;
  hasPassword = false;
  /** Whether only the host lets people unmute ("mute everyone" with the lock), and whether the host asked us to. */
  micsLocked = false;
  mayUnmute = false;
  /** Raised hands, pids in the order they went up. */
  hands = [];
  /** Whether the user wants to be in the room: the page rejoins by itself after a reconnect. */
  wantIn = false;
  /** pid -> { nick, media } */
  people = new Map();

  constructor(room, nick) {
    super();
    this.room = room;
    this.nick = nick;
  }

  /** Takes a join reply; our own media is the one of this moment (the ack's may be older). */
  enter(ack, pid, ownMedia) {
    this.room = ack.room;
    this.nick = ack.you.nick;
    this.hostPid = ack.host;
    this.locked = ack.locked;
    this.hasPassword = ack.hasPassword;
    this.micsLocked = Boolean(ack.micsLocked);
    this.mayUnmute = false;
    this.hands = ack.hands ?? [];
    this.recording = ack.recording ?? null;
    this.people.clear();
    for (const p of ack.participants) this.people.set(p.pid, { nick: p.nick, media: p.pid === pid ? ownMedia : p.media });
    this.#changed('entered');
  }

  /**
   * Counts a newcomer in at once, but tells the views only on announce(pid): the call with them
   * may come first (see the "joined" handler of room-page.js).
   */
  arrive(pid, person) {
    this.people.set(pid, person);
  }

  announce(pid) {
    this.#changed('joined', pid);
  }

  leave(pid) {
    this.people.delete(pid);
    this.#changed('left', pid);
  }

  /** Merges {nick} or {media} into a person; the views hear of it as "renamed" or "media". */
  update(pid, fields) {
    const person = this.people.get(pid);
    if (person) Object.assign(person, fields);
    this.#changed(fields.nick !== undefined ? 'renamed' : 'media', pid, fields);
  }

  /** Our own new nickname, from the rename's ack. */
  rename(pid, nick) {
    this.nick = nick;
    this.update(pid, { nick });
  }

  setHost(pid) {
    this.hostPid = pid;
    this.#changed('host', pid);
  }

  setSettings({ locked, hasPassword, micsLocked }) {
    this.locked = locked;
    this.hasPassword = hasPassword;
    if (this.micsLocked !== Boolean(micsLocked)) this.mayUnmute = false;
    this.micsLocked = Boolean(micsLocked);
    this.#changed('settings');
  }

  setHands(pids) {
    this.hands = pids;
    this.#changed('hands');
  }

  /** Who is speaking now (pids): the people panel lists them after the raised hands. */
  speaking = new Set();

  setSpeaking(pid, on) {
    if (on === this.speaking.has(pid)) return;
    if (on) this.speaking.add(pid);
    else this.speaking.delete(pid);
    this.#changed('speaking', pid);
  }

  /** Whether this page may turn its microphone on: not while the host keeps everyone muted, unless asked. */
  mayTurnMicOn(pid) {
    return !this.micsLocked || this.mayUnmute || pid === this.hostPid;
  }

  #changed(what, pid, fields) {
    this.dispatchEvent(new CustomEvent('change', { detail: { what, pid, fields } }));
  }
}
