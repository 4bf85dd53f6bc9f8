// The SFU transport: the call goes through the media server. This page sends one connection up
// (microphone and camera, the camera in three simulcast layers), a second one while it shares its
// screen, and receives everyone else on one connection down, for which the server makes the
// offers. The upload is the same whether the room holds three people or fifty. It implements the
// Transport interface of transport.js; the server's messages for it are "subscription" and
// "sfuReset" (docs/protocol.md, "Calls through the SFU").

// The view is told again unchanged this often, so that a layer change the media server missed is asked again.
const VIEW_AGAIN_MS = 5000;
// Simulcast layers, largest first: the server picks one per tile by its size on screen.
const LAYERS = [
  { rid: 'h', maxBitrate: 1_200_000 },
  { rid: 'm', scaleResolutionDownBy: 2, maxBitrate: 350_000 },
  { rid: 'l', scaleResolutionDownBy: 4, maxBitrate: 120_000 },
];
const RETRY_MS = [300, 1000, 2000, 4000, 8000];

function configOf(call) {
  return { iceServers: call.iceServers ?? [], iceTransportPolicy: call.iceTransportPolicy ?? 'all', bundlePolicy: 'max-bundle' };
}

export class Sfu extends EventTarget {
  mode = 'sfu';
  #camera = null;
  #screen = null;
  #subscriber = null;
  /** By mid: {pid, slot} of the subscriber connection's m-lines, as last offered. */
  #streams = new Map();
  #heights = new Map();
  #viewSent = '';
  #viewSentAt = 0;
  #inbox = Promise.resolve();
  #listening = new AbortController();
  #closed = false;
  #attempt = 0;
  #retryTimer = null;
  /** The mids whose tracks the page has been given. */
  #handedOut = new Set();

  /** Nothing to warm up: the camera connection is made once the room is known to be in the SFU. */
  static async prepare() {}

  static joinOffer() {
    return undefined;
  }

  static discard() {}

  constructor(connection, tracks, call) {
    super();
    this.connection = connection;
    this.tracks = tracks;
    this.config = configOf(call);
    const on = (type, handler) => connection.addEventListener(type, (e) => handler(e.detail), { signal: this.#listening.signal });
    on('subscription', (message) => this.#queue(() => this.#subscription(message)));
    on('sfuReset', () => this.#restart());
  }

  start() {
    this.#publishCamera();
    const screen = this.tracks().screen;
    if (screen) this.#publishScreen(screen);
  }

  /** Someone left: their m-lines go in the server's next offer. */
  remove() {}

  setTrack(slot, track) {
    if (slot === 'screen') {
      if (track) this.#publishScreen(track);
      else this.#stopScreen();
      return;
    }
    const index = slot === 'audio' ? 0 : 1;
    this.#camera?.getTransceivers()[index]?.sender.replaceTrack(track ?? null).catch(() => {});
  }

  stateOf(pid) {
    for (const stream of this.#streams.values()) if (stream.pid === pid) return this.#subscriber?.connectionState;
    return undefined;
  }

  /**
   * How tall each remote camera is shown (device pixels, 0 when not shown): the server sends
   * each the layer that fits, and none to a tile not shown. Told only of cameras this page
   * receives, when that changes, and again every few seconds (so that a layer change the media
   * server missed is asked again); a new subscription tells it at once, so a feed that arrives
   * off screen stops at once.
   */
  setView(heights) {
    this.#heights = heights;
    const cameras = new Set([...this.#streams.values()].filter((s) => s.slot === 'camera').map((s) => s.pid));
    const tiles = [...heights].filter(([pid]) => cameras.has(pid)).map(([pid, height]) => ({ pid, height }));
    const key = JSON.stringify(tiles);
    const now = performance.now();
    if (!tiles.length || (key === this.#viewSent && now - this.#viewSentAt < VIEW_AGAIN_MS)) return;
    this.#viewSent = key;
    this.#viewSentAt = now;
    this.connection.request('view', { tiles }).catch(() => {});
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#listening.abort();
    this.#closeConnections();
    this.connection.request('leaveSfu').catch(() => {});
  }

  /** Not part of the Transport interface: the browser tests read the connections' stats through these. */
  connections() {
    return { camera: this.#camera, screen: this.#screen, subscriber: this.#subscriber };
  }

  streams() {
    return [...this.#streams.values()];
  }

  // ---- sending

  async #publishCamera() {
    const tracks = this.tracks();
    const pc = new RTCPeerConnection(this.config);
    this.#camera = pc;
    // Audio first: its mid is "0", which the host's mute refers to in the media server.
    pc.addTransceiver(tracks.audio ?? 'audio', { direction: 'sendonly' });
    pc.addTransceiver(tracks.camera ?? 'video', { direction: 'sendonly', sendEncodings: LAYERS.map((l) => ({ ...l })) });
    this.#watch(pc, 'camera');
    try {
      await this.#publish(pc, 'camera');
      this.#attempt = 0;
    } catch (error) {
      if (pc === this.#camera) this.#retryLater(error);
    }
  }

  async #publishScreen(track) {
    this.#stopScreen(false);
    const pc = new RTCPeerConnection(this.config);
    this.#screen = pc;
    pc.addTransceiver(track, { direction: 'sendonly' });
    this.#watch(pc, 'screen');
    try {
      await this.#publish(pc, 'screen');
    } catch {
      // The camera's retry republishes the screen too.
    }
  }

  #stopScreen(tell = true) {
    if (!this.#screen) return;
    this.#screen.close();
    this.#screen = null;
    if (tell) this.connection.request('unpublish', { pc: 'screen' }).catch(() => {});
  }

  async #publish(pc, name) {
    const offer = await pc.createOffer();
    await pc.setLocalDescription(offer);
    const { answer } = await this.connection.request('publish', { pc: name, offer: pc.localDescription.toJSON() });
    if (pc.signalingState !== 'closed') await pc.setRemoteDescription(answer);
  }

  #watch(pc, name) {
    pc.onicecandidate = ({ candidate }) => {
      if (pc.signalingState === 'closed') return;
      this.connection.request('trickle', { pc: name, candidate: candidate ? candidate.toJSON() : null }).catch(() => {});
    };
    pc.onconnectionstatechange = () => {
      if (name !== 'screen') this.#emit('state', { pid: null, state: pc.connectionState });
      if (pc.connectionState === 'failed' && !this.#closed) this.#restart();
    };
    pc.onicecandidateerror = (e) => {
      if (/^turns?:/.test(e.url ?? '')) this.#emit('relayerror', { pid: null, code: e.errorCode, url: e.url });
    };
  }

  // ---- receiving

  async #subscription({ offer, streams }) {
    if (this.#closed) return;
    let pc = this.#subscriber;
    if (!pc) {
      pc = new RTCPeerConnection(this.config);
      this.#subscriber = pc;
      this.#watch(pc, 'subscriber');
    }
    await pc.setRemoteDescription(offer);
    const answer = await pc.createAnswer();
    await pc.setLocalDescription(answer);
    const before = this.#streams;
    this.#streams = new Map(streams.map((s) => [s.mid, s]));
    // Janus reuses the m-lines of feeds that left, so the tracks are handed out by mid here
    // rather than in "track" events, which fire only for new m-lines.
    const shown = new Set();
    for (const transceiver of pc.getTransceivers()) {
      const stream = this.#streams.get(transceiver.mid);
      if (!stream) continue;
      shown.add(`${stream.pid}/${stream.slot}`);
      const old = before.get(transceiver.mid);
      if (!old || old.pid !== stream.pid || old.slot !== stream.slot || !this.#handedOut.has(transceiver.mid)) {
        this.#emit('track', { pid: stream.pid, slot: stream.slot, track: transceiver.receiver.track });
      }
    }
    this.#handedOut = new Set(this.#streams.keys());
    for (const old of before.values()) {
      if (!shown.has(`${old.pid}/${old.slot}`)) this.#emit('track', { pid: old.pid, slot: old.slot, track: null });
    }
    await this.connection.request('subscriptionAnswer', { answer: pc.localDescription.toJSON() });
    this.setView(this.#heights);
    for (const stream of streams) this.#emit('state', { pid: stream.pid, state: pc.connectionState });
  }

  #queue(work) {
    this.#inbox = this.#inbox.then(work).catch((error) => console.warn('sfu: subscription failed', error));
  }

  // ---- failures

  /** The media server lost our connections, or one failed: start again with new ones. */
  #restart() {
    if (this.#closed) return;
    this.#closeConnections();
    this.connection.request('leaveSfu').catch(() => {});
    this.#retryLater();
  }

  #retryLater() {
    clearTimeout(this.#retryTimer);
    const wait = RETRY_MS[Math.min(this.#attempt, RETRY_MS.length - 1)];
    this.#attempt++;
    this.#retryTimer = setTimeout(() => {
      if (this.#closed) return;
      this.#closeConnections();
      this.start();
    }, wait);
  }

  #closeConnections() {
    for (const pc of [this.#camera, this.#screen, this.#subscriber]) pc?.close();
    this.#camera = this.#screen = this.#subscriber = null;
    this.#streams = new Map();
    this.#handedOut = new Set();
    this.#inbox = Promise.resolve();
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
