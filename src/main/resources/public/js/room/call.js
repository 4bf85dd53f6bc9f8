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

export class CallSession {
  #transport = null;
  #stopSpeaking = () => {};
  #lastTracks = {};

  constructor({ connection, media, stage, meeting, metrics }) {
    this.connection = connection;
    this.media = media;
    this.stage = stage;
    this.meeting = meeting;
    this.metrics = metrics;
    this.tracks = () => ({ audio: media.mic, camera: media.camera, screen: media.screen });
    meeting.addEventListener('change', ({ detail }) => this.#meetingChanged(detail));
    media.addEventListener('change', () => this.#localMediaChanged());
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
    const transport = createTransport(ack.call, this.connection, this.tracks);
    this.#transport = transport;
    this.#lastTracks = this.tracks();
    transport.addEventListener('track', ({ detail: { pid, slot, track } }) => {
      if (!this.meeting.people.has(pid)) return;
      this.stage.setTrack(pid, slot, track);
      if (slot === 'camera') this.noteFirstFrame(pid);
    });
    transport.addEventListener('relayerror', () => showWarning('call.relayUnreachable'));
    transport.start(ack);
    this.metrics().offeredWithJoin = Boolean(ack.offeredTo);
    // The camera may have come up while the join was on its way: tell the room how things are now.
    const mine = ack.participants.find((p) => p.pid === this.connection.pid);
    if (JSON.stringify(mine?.media) !== JSON.stringify(this.media.state)) this.connection.request('media', this.media.state).catch(() => {});
    this.#stopSpeaking = watchSpeaking(transport, () => this.connection.pid, (pid, on) => this.stage.setSpeaking(pid, on));
  }

  end() {
    this.#stopSpeaking();
    this.#transport?.close();
    this.#transport = null;
    this.stage.clear();
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
      this.stage.remove(pid);
    } else if (what === 'renamed') {
      this.stage.upsert(pid, { nick: fields.nick });
    } else if (what === 'media') {
      this.stage.upsert(pid, { media: fields.media });
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
