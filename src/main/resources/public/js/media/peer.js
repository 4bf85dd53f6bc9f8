// One RTCPeerConnection to one other participant, with "perfect negotiation": both sides may
// offer at any time (an ICE restart, say), and when offers cross, the polite side yields and the
// impolite side ignores the other's offer. No deadlock is possible.
//
// Every connection has three transceivers in a fixed order: audio, camera, screen. Turning the
// camera off, switching devices or sharing the screen only swaps tracks with replaceTrack, so
// none of them needs a new offer.

export const SLOTS = ['audio', 'camera', 'screen'];
const KINDS = { audio: 'audio', camera: 'video', screen: 'video' };
const DISCONNECTED_GRACE_MS = 2000;
// A new connection's bandwidth estimate starts near 300 kbps, and WebRTC drops the first frames
// of a larger picture until it has scaled down to fit: at 720p that costs about four frames
// before the other side sees anything. So the camera starts at about 240 lines and is let up to
// its full size once the estimate has had time to grow.
const START_HEIGHT = 240;
const FULL_SIZE_AFTER_MS = 2000;

export class Peer extends EventTarget {
  #makingOffer = false;
  #ignoreOffer = false;
  #inbox = Promise.resolve();
  #tracks;
  #bound = false;
  #restartTimer = null;
  #grown = false;

  /**
   * @param pid the other participant
   * @param polite whether this side yields when offers cross
   * @param initiator whether this side makes the first offer (the newcomer does)
   * @param tracks the local tracks by slot, each possibly null
   * @param send delivers {description} or {candidate} to the other side
   */
  constructor({ pid, polite, initiator, tracks, config, send }) {
    super();
    this.pid = pid;
    this.polite = polite;
    this.send = send;
    this.#tracks = { ...tracks };
    this.pc = new RTCPeerConnection(config);
    this.pc.onicecandidate = ({ candidate }) => candidate && this.send({ candidate: candidate.toJSON() });
    this.pc.onnegotiationneeded = () => this.#offer();
    this.pc.ontrack = (e) => this.#remoteTrack(e);
    this.pc.onconnectionstatechange = () => this.#stateChanged();
    // A TURN server that refuses our credentials (401) or cannot be reached (701) is worth
    // telling the user about: behind strict NATs, or with FORCE_RELAY, calls need it.
    this.pc.onicecandidateerror = (e) => {
      if (!/^turns?:/.test(e.url ?? '')) return;
      // Kept, because a peer prepared on the pre-join screen meets its errors before anyone listens.
      this.relayError = { code: e.errorCode, url: e.url };
      this.#emit('relayerror', this.relayError);
    };
    if (initiator) {
      for (const slot of SLOTS) this.pc.addTransceiver(this.#tracks[slot] ?? KINDS[slot], { direction: 'sendrecv' });
      this.#bound = true;
      // Offer now rather than on "negotiationneeded": that event waits for the page's next free
      // moment, which on joining is after the whole call view has been laid out. (Once this
      // offer is under way the event finds nothing left to do.)
      this.#offer();
    }
  }

  /**
   * Hands a peer made ahead of time (see mesh.js) to the participant it will call: what it said
   * so far (its offer and candidates) goes out now, and it takes the tracks of this moment.
   */
  adopt({ pid, polite, tracks, config, send, said }) {
    this.pid = pid;
    this.polite = polite;
    this.send = send;
    for (const data of said) send(data);
    for (const slot of SLOTS) if (tracks[slot] !== this.#tracks[slot]) this.setTrack(slot, tracks[slot] ?? null);
    try {
      // Fresh TURN credentials for any later ICE restart.
      this.pc.setConfiguration(config);
    } catch {
      // A configuration the connection cannot take keeps the one it has.
    }
  }

  get state() {
    return this.pc.connectionState;
  }

  /** Puts a new local track (or null) in a slot; the other side keeps its receiver. */
  setTrack(slot, track) {
    this.#tracks[slot] = track;
    if (this.#bound) this.pc.getTransceivers()[SLOTS.indexOf(slot)].sender.replaceTrack(track).catch(() => {});
  }

  /** Scales the camera's encoding down by {@code factor} (1 is full size). */
  async #scaleCamera(factor) {
    const sender = this.pc.getTransceivers()[SLOTS.indexOf('camera')]?.sender;
    if (!sender || this.pc.signalingState === 'closed') return;
    const params = sender.getParameters();
    if (!params.encodings?.length) return;
    params.encodings[0].scaleResolutionDownBy = factor;
    await sender.setParameters(params).catch(() => {});
  }

  #startSmall() {
    const height = this.#tracks.camera?.getSettings().height ?? 0;
    if (height > START_HEIGHT) this.#scaleCamera(height / START_HEIGHT);
  }

  /** Handles signaling from the other side, one message at a time, in order. */
  receive(data) {
    this.#inbox = this.#inbox.then(() => this.#handle(data)).catch((e) => console.warn('signaling', this.pid, e));
    return this.#inbox;
  }

  close() {
    clearTimeout(this.#restartTimer);
    this.pc.close();
    this.dispatchEvent(new CustomEvent('state', { detail: { state: 'closed' } }));
  }

  async #offer() {
    try {
      this.#makingOffer = true;
      const first = !this.pc.localDescription;
      await this.pc.setLocalDescription();
      if (first) this.#startSmall();
      this.send({ description: this.pc.localDescription.toJSON() });
    } catch (e) {
      console.warn('offer', this.pid, e);
    } finally {
      this.#makingOffer = false;
    }
  }

  async #handle({ description, candidate }) {
    if (this.pc.signalingState === 'closed') return;
    if (description) {
      const collision = description.type === 'offer' && (this.#makingOffer || this.pc.signalingState !== 'stable');
      this.#ignoreOffer = !this.polite && collision;
      if (this.#ignoreOffer) return;
      performance.mark(description.type === 'answer' ? 'answer-received' : 'offer-received');
      await this.pc.setRemoteDescription(description);
      if (description.type === 'offer') {
        const first = !this.pc.localDescription;
        this.#bind();
        await this.pc.setLocalDescription();
        if (first) this.#startSmall();
        this.send({ description: this.pc.localDescription.toJSON() });
        performance.mark('answer-sent');
      }
    } else if (candidate) {
      try {
        await this.pc.addIceCandidate(candidate);
      } catch (e) {
        if (!this.#ignoreOffer) throw e;
      }
    }
  }

  // The side that did not offer first learns the transceivers from the offer, in slot order,
  // and starts sending on them.
  #bind() {
    if (this.#bound) return;
    this.#bound = true;
    this.pc.getTransceivers().forEach((transceiver, i) => {
      const slot = SLOTS[i];
      if (!slot) return;
      transceiver.direction = 'sendrecv';
      transceiver.sender.replaceTrack(this.#tracks[slot] ?? null).catch(() => {});
    });
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }

  #remoteTrack(event) {
    const slot = SLOTS[this.pc.getTransceivers().indexOf(event.transceiver)];
    if (slot) this.dispatchEvent(new CustomEvent('track', { detail: { slot, track: event.track } }));
  }

  // "disconnected" often heals by itself within a moment; "failed" never does. Restarting ICE
  // makes a fresh offer through perfect negotiation.
  #stateChanged() {
    const state = this.pc.connectionState;
    if (state === 'connected') performance.mark('call-connected');
    clearTimeout(this.#restartTimer);
    if (state === 'connected' && !this.#grown) {
      this.#grown = true;
      setTimeout(() => this.#scaleCamera(1), FULL_SIZE_AFTER_MS);
    }
    if (state === 'failed') {
      this.pc.restartIce();
    } else if (state === 'disconnected') {
      this.#restartTimer = setTimeout(() => {
        if (this.pc.connectionState === 'disconnected') this.pc.restartIce();
      }, DISCONNECTED_GRACE_MS);
    }
    this.dispatchEvent(new CustomEvent('state', { detail: { state } }));
  }
}
