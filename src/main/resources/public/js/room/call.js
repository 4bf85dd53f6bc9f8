// The call session around the transport: it starts the calls from a join reply and ends them,
// keeps the stage's tiles in step with the meeting and the tracks, sends our new local tracks,
// watches who is speaking, and marks the first remote frame for the join benchmark. This is where
// the transport is chosen (transport.js), so nothing else in js/room knows which one runs.

import { createTransport } from '../media/transport.js';
import { showWarning } from '../web/status.js';
import { watchSpeaking } from './speaking.js';

// Laying out the call view is the heaviest thing the page does, and doing it while the calls
// are being negotiated slows them down (the browser's main thread carries the signaling). So the
// pre-join screen says "Joining…" until the calls are up, for a moment at most.
const REVEAL_WAIT_MS = 1500;
// How long a newcomer's tile may wait for the call with them (it takes tens of ms).
const CALL_FIRST_MAX_MS = 500;
const SETTLED = ['connected', 'failed', 'closed'];
// A room moving between the mesh and the SFU: each person's old call ends once their media
// plays on the new one, or after this long at most.
const HANDOVER_MAX_MS = 8000;
// How often the tiles' sizes are looked at, for the SFU's choice of layer per tile (the transport
// sends only changes, and each again now and then).
const VIEW_EVERY_MS = 1000;
// Mesh signals kept while on the SFU: a page that goes back to the mesh first may call this one
// before it has heard of the move.
const EARLY_SIGNAL_MS = 5000;

export class CallSession {
  #transport = null;
  #stopSpeaking = () => {};
  #lastTracks = {};
  #call = null;
  /** The transport being left in a move between the mesh and the SFU, and its listeners. */
  #leaving = null;
  #listeners = null;
  #viewTimer = null;
  #early = [];

  constructor({ connection, media, stage, meeting, metrics }) {
    this.connection = connection;
    this.media = media;
    this.stage = stage;
    this.meeting = meeting;
    this.metrics = metrics;
    // A muted microphone sends nothing at all (no silent packets): the track is taken off.
    this.tracks = () => ({ audio: media.micOn ? media.mic : null, camera: media.camera, screen: media.screen });
    meeting.addEventListener('change', ({ detail }) => this.#meetingChanged(detail));
    // A page turned or the view changed: the media server hears of it at once, so the tiles that
    // came into view play within a second and those that left stop coming.
    stage.addEventListener('layout', () => this.#reportView());
    document.addEventListener('visibilitychange', () => this.#reportView());
    media.addEventListener('change', () => this.#localMediaChanged());
    connection.addEventListener('mode', ({ detail: { mode } }) => this.switchTo(mode));
    connection.addEventListener('signal', ({ detail }) => {
      if (this.#transport?.mode !== 'sfu') return;
      const now = performance.now();
      this.#early = this.#early.filter((s) => now - s.at < EARLY_SIGNAL_MS);
      this.#early.push({ ...detail, at: now });
    });
  }

  /** "mesh" or "sfu", or undefined outside a call. */
  get mode() {
    return this.#transport?.mode;
  }

  get transport() {
    return this.#transport;
  }

  get active() {
    return this.#transport !== null;
  }

  /** Starts the calls of a join; call it before the page changes anything, so the offers go first. */
  start(ack) {
    this.end();
    this.#call = ack.call;
    const transport = createTransport(ack.call, this.connection, this.tracks);
    this.#use(transport, false);
    this.#lastTracks = this.tracks();
    transport.start(ack);
    this.metrics().offeredWithJoin = Boolean(ack.offeredTo);
    this.metrics().mode = transport.mode;
    this.#viewTimer = setInterval(() => this.#reportView(), VIEW_EVERY_MS);
    // The camera may have come up while the join was on its way: tell the room how things are now.
    const mine = ack.participants.find((p) => p.pid === this.connection.pid);
    if (JSON.stringify(mine?.media) !== JSON.stringify(this.media.state)) this.connection.request('media', this.media.state).catch(() => {});
    this.#stopSpeaking = watchSpeaking(transport, this.connection, (pid, on) => this.#speaking(pid, on));
  }

  /**
   * The room's calls move to the SFU or back to the mesh. The new transport starts at once, and
   * each person's tile keeps the old call's picture and voice until the new one's play, so
   * nobody sees a black tile; then the old call with them ends.
   */
  switchTo(mode) {
    const old = this.#transport;
    if (!old || old.mode === mode) return;
    this.#finishHandover();
    const me = this.connection.pid;
    const participants = [...this.meeting.people.keys()].map((pid) => ({ pid }));
    const next = createTransport({ ...this.#call, mode }, this.connection, this.tracks);
    const pending = new Set(participants.map((p) => p.pid).filter((pid) => pid !== me));
    this.#leaving = { transport: old, pending, listeners: this.#listeners, timer: setTimeout(() => this.#finishHandover(), HANDOVER_MAX_MS) };
    this.#use(next, true);
    const early = this.#early;
    this.#early = [];
    // Back on the mesh, the page with the smaller pid calls; the other answers.
    next.start({ participants, early, initiate: (pid) => me < pid });
    this.metrics().mode = mode;
    this.metrics().switchedAt = performance.now();
    this.#stopSpeaking();
    this.#stopSpeaking = watchSpeaking(next, this.connection, (pid, on) => this.#speaking(pid, on));
  }

  end() {
    this.#stopSpeaking();
    clearInterval(this.#viewTimer);
    this.#finishHandover();
    this.#listeners?.abort();
    this.#transport?.close();
    this.#transport = null;
    this.stage.clear();
  }

  /** Listens to a transport's tracks; during a move, a track is shown once media flows on it. */
  #use(transport, handover) {
    this.#listeners?.abort();
    const listeners = new AbortController();
    this.#listeners = listeners;
    this.#transport = transport;
    // A track may come before the news of its person: in a big room that news is gathered for
    // 150 ms (a roster message), while the SFU's offer of the newcomer's feed comes at once. The
    // stage holds such a track until the tile is made, and drops it if the person leaves.
    transport.addEventListener('track', ({ detail: { pid, slot, track } }) => {
      if (handover && track && this.#leaving) this.#whenFlowing(track, () => this.#handOver(transport, pid, slot, track));
      else this.#show(pid, slot, track);
    }, { signal: listeners.signal });
    transport.addEventListener('relayerror', () => showWarning('call.relayUnreachable'), { signal: listeners.signal });
  }

  #show(pid, slot, track) {
    this.stage.setTrack(pid, slot, track);
    if (slot === 'camera') this.noteFirstFrame(pid);
  }

  #handOver(transport, pid, slot, track) {
    if (transport !== this.#transport) return;
    this.#show(pid, slot, track);
    const leaving = this.#leaving;
    if (!leaving || !leaving.pending.has(pid)) return;
    // Their camera (or, with the camera off, their voice) plays on the new call: the old one goes.
    const theirs = this.meeting.people.get(pid)?.media;
    if (slot === 'camera' || !theirs?.video) {
      leaving.pending.delete(pid);
      leaving.transport.remove(pid);
      this.metrics().handedOver = (this.metrics().handedOver ?? 0) + 1;
      if (leaving.pending.size === 0) this.#finishHandover();
    }
  }

  #finishHandover() {
    const leaving = this.#leaving;
    if (!leaving) return;
    this.#leaving = null;
    clearTimeout(leaving.timer);
    leaving.listeners?.abort();
    leaving.transport.close();
    this.metrics().handoverDoneAt = performance.now();
  }

  /** Runs `then` once the track carries media (a remote track starts muted until packets come). */
  #whenFlowing(track, then) {
    if (!track.muted) {
      then();
      return;
    }
    track.addEventListener('unmute', () => then(), { once: true });
  }

  #speaking(pid, on) {
    const person = this.meeting.people.get(pid);
    // A muted microphone sends nothing, so no "stopped" may come: muted is silent.
    const speaking = on && person?.media?.audio !== false;
    this.stage.setSpeaking(pid, speaking);
    this.meeting.setSpeaking(pid, speaking);
  }

  /** Tells the transport how tall each remote camera is shown; hidden pages show nothing. */
  #reportView() {
    const transport = this.#transport;
    if (!transport?.setView) return;
    const heights = new Map();
    const scale = window.devicePixelRatio || 1;
    for (const pid of this.meeting.people.keys()) {
      if (pid === this.connection.pid) continue;
      const video = this.stage.videoOf(pid);
      const height = document.hidden || !video ? 0 : Math.round(video.getBoundingClientRect().height * scale);
      heights.set(pid, height);
    }
    transport.setView(heights);
  }

  /** Waits until every call is connected or has failed, at most REVEAL_WAIT_MS. */
  untilCallsUp() {
    return this.#untilSettled([...this.meeting.people.keys()], REVEAL_WAIT_MS);
  }

  /**
   * Waits for the call with a newcomer whose offer came with the news, at most CALL_FIRST_MAX_MS.
   * The transport hears that same "joined" event after the page's handler, so the wait begins a
   * microtask later, when the transport has taken the offer up.
   */
  async untilCallWith(pid) {
    await Promise.resolve();
    return this.#untilSettled([pid], CALL_FIRST_MAX_MS);
  }

  #untilSettled(pids, maxMs) {
    const transport = this.#transport;
    const pending = () => pids.some((pid) => {
      const state = transport?.stateOf(pid);
      return state !== undefined && !SETTLED.includes(state);
    });
    if (!pending()) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        transport.removeEventListener('state', check);
        resolve();
      };
      const check = () => { if (!pending()) done(); };
      const timer = setTimeout(done, maxMs);
      transport.addEventListener('state', check);
    });
  }

  noteFirstFrame(pid) {
    const video = this.stage.videoOf(pid);
    const metrics = this.metrics();
    if (!video?.requestVideoFrameCallback || metrics.firstRemoteFrameAt) return;
    video.requestVideoFrameCallback(() => {
      if (!metrics.firstRemoteFrameAt) {
        metrics.firstRemoteFrameAt = performance.now();
        performance.mark('first-frame');
      }
    });
  }

  // The stage shows the meeting's people, once the call with them is under way.
  #meetingChanged({ what, pid, fields }) {
    const { people } = this.meeting;
    const me = this.connection.pid;
    if (what === 'entered') {
      for (const [id, p] of people) this.stage.upsert(id, { ...p, self: id === me });
      this.stage.setTrack(me, 'camera', this.media.camera);
      this.stage.setTrack(me, 'screen', this.media.screen);
    } else if (what === 'joined') {
      this.stage.upsert(pid, people.get(pid));
      this.noteFirstFrame(pid);
    } else if (what === 'left') {
      this.#transport?.remove(pid);
      this.#leaving?.transport.remove(pid);
      this.#leaving?.pending.delete(pid);
      this.stage.remove(pid);
      this.meeting.setSpeaking(pid, false);
    } else if (what === 'renamed') {
      this.stage.upsert(pid, { nick: fields.nick });
    } else if (what === 'media') {
      this.stage.upsert(pid, { media: fields.media });
      if (!fields.media.audio) this.#speaking(pid, false);
    }
  }

  #localMediaChanged() {
    const tracks = this.tracks();
    for (const slot of Object.keys(tracks)) {
      if (tracks[slot] !== this.#lastTracks[slot]) this.#transport?.setTrack(slot, tracks[slot]);
    }
    this.#lastTracks = tracks;
    const me = this.connection.pid;
    const mine = me && this.meeting.people.get(me);
    if (mine) {
      // The server tells everyone else; our own tile and row in the people list show it now.
      this.meeting.update(me, { media: this.media.state });
      this.stage.setTrack(me, 'camera', this.media.camera);
      this.stage.setTrack(me, 'screen', this.media.screen);
      if (this.meeting.wantIn) this.connection.request('media', this.media.state).catch(() => {});
    }
    this.stage.setSpeaker(this.media.speakerId);
  }
}
