// The mesh transport: one Peer per other participant, media browser to browser, signaling
// through the server. It implements the Transport interface of transport.js (start, remove,
// setTrack, audioLevels, stateOf, close; "track", "state" and "relayerror" events) and nothing
// else is promised to the page. Its pre-join warm-up (a spare peer whose offer rides in the join
// request) sits behind the static prepare()/joinOffer(), which transport.js calls.

import { Peer } from './peer.js';

// The first RTCPeerConnection of a page starts WebRTC's threads and makes a DTLS certificate;
// doing that while the user is still on the pre-join screen takes it off the path from Join to
// the first frame.
let certificate = null;
async function warmUp() {
  if (!window.RTCPeerConnection) return;
  try {
    certificate = await RTCPeerConnection.generateCertificate({ name: 'ECDSA', namedCurve: 'P-256' });
    new RTCPeerConnection({ certificates: [certificate] }).close();
  } catch {
    certificate = null;
  }
}

// A newcomer calls everyone already in the room. The first of those calls can be made before
// Join is clicked: a peer connection with its offer set and its candidates gathered, waiting on
// the pre-join screen. Its offer travels inside the join request, and the server hands it to
// whoever has been in the room longest (the ack's "offeredTo"), so the call is answered one
// round trip sooner; the peer is then adopted for that participant, and takes the join ack's
// configuration (with TURN, which the welcome never carries) for any later ICE restart: should
// the direct paths fail, the restart gathers relayed candidates too.
let spare = null;

/** Prepares the spare peer on the pre-join screen, with the welcome's call settings. */
function prepareSpare(call, tracks) {
  dropSpare();
  if (!window.RTCPeerConnection || !call) return;
  // The welcome carries no TURN (only a join does): relay-only calls cannot gather anything yet.
  if (call.iceTransportPolicy === 'relay' && !(call.iceServers ?? []).some((s) => s.credential)) return;
  const said = [];
  const peer = new Peer({ pid: null, polite: false, initiator: true, tracks, config: configOf(call), send: (data) => said.push(data) });
  spare = { peer, said, call, at: performance.now() };
}

function dropSpare() {
  spare?.peer.close();
  spare = null;
}

/**
 * The spare's offer for the join request, or undefined if there is none fit to send. The
 * description carries every candidate gathered so far; later ones follow once the ack names the
 * participant who got it.
 */
function spareOffer() {
  if (!spare) return undefined;
  const description = spare.peer.pc.localDescription;
  if (!description) {
    dropSpare();
    return undefined;
  }
  spare.said.length = 0;
  spare.offered = true;
  return { description: description.toJSON() };
}

/** The spare, for the participant who got its offer with the join. */
function takeSpare(pid, offeredTo) {
  const taken = spare;
  if (!taken?.offered || pid !== offeredTo) return null;
  spare = null;
  return taken;
}

function configOf(call) {
  // One transport for all three tracks: half the candidates to gather and check than the
  // default "balanced", which starts one for audio and one for video.
  return { iceServers: call.iceServers ?? [], iceTransportPolicy: call.iceTransportPolicy ?? 'all',
    bundlePolicy: 'max-bundle', ...(certificate ? { certificates: [certificate] } : {}) };
}

export class Mesh extends EventTarget {
  mode = 'mesh';
  #peers = new Map();
  // Only people in the room may call us; a late candidate from someone who left is dropped.
  #members = new Set();
  #listening = new AbortController();

  /** See transport.js: prepare(). */
  static async prepare({ call, tracks, wanted }) {
    // Once the page has joined, the call makes its own connections: a warm-up then is only noise.
    if (!wanted()) return;
    await warmUp();
    if (wanted()) prepareSpare(call(), tracks());
  }

  /** See transport.js: joinOffer(). */
  static joinOffer() {
    return spareOffer();
  }

  /** See transport.js: discard(). */
  static discard() {
    dropSpare();
  }

  /**
   * @param connection the signaling connection
   * @param tracks a function giving the current local tracks by slot
   * @param call the join reply's call settings (ICE servers, transport policy)
   */
  constructor(connection, tracks, call) {
    super();
    this.connection = connection;
    this.tracks = tracks;
    this.call = call;
    this.config = configOf(call);
    // The call's signaling is the mesh's own business: the page never routes it.
    const on = (type, handler) => connection.addEventListener(type, (e) => handler(e.detail),
      { signal: this.#listening.signal });
    on('signal', ({ from, data }) => this.#receive(from, data));
    // A newcomer's first offer may come with the news of their arrival.
    on('joined', ({ pid, offer }) => {
      this.#members.add(pid);
      if (offer) this.#receive(pid, offer);
    });
  }

  /**
   * As a newcomer, calls everyone who was already in the room. The ack's {@code offeredTo}
   * already has the spare's offer, which came with the join; the spare is then of no more use.
   * A room coming back from the SFU starts a mesh on every page at once: then `initiate` says
   * whom this page calls (the others call it), and `early` holds their signals that came first.
   */
  start({ participants, offeredTo, early = [], initiate = () => true }) {
    this.offeredTo = offeredTo;
    const others = participants.map((p) => p.pid).filter((pid) => pid !== this.connection.pid);
    for (const pid of others) this.#members.add(pid);
    for (const pid of others) if (initiate(pid)) this.#peer(pid, true);
    // Signals that came while this page was still on the SFU (a room going back to the mesh).
    for (const { from, data } of early) this.#receive(from, data);
    dropSpare();
  }

  remove(pid) {
    this.#members.delete(pid);
    this.#peers.get(pid)?.close();
    this.#peers.delete(pid);
  }

  setTrack(slot, track) {
    for (const peer of this.#peers.values()) peer.setTrack(slot, track);
  }

  stateOf(pid) {
    return this.#peers.get(pid)?.state;
  }

  /** WebRTC measures the levels already: each inbound voice, and our microphone as it is sent. */
  async audioLevels() {
    const levels = new Map();
    let own = 0;
    await Promise.all([...this.#peers].map(async ([pid, peer]) => {
      try {
        const stats = await peer.pc.getStats();
        let level = 0;
        stats.forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') level = Math.max(level, s.audioLevel ?? 0);
          if (s.type === 'media-source' && s.kind === 'audio') own = Math.max(own, s.audioLevel ?? 0);
        });
        levels.set(pid, level);
      } catch {
        // the connection closed meanwhile
      }
    }));
    levels.set(this.connection.pid, own);
    return levels;
  }

  close() {
    this.#listening.abort();
    for (const pid of [...this.#peers.keys()]) this.remove(pid);
  }

  /** Not part of the Transport interface: the browser tests read each call's stats through it. */
  peers() {
    return [...this.#peers.values()];
  }

  #receive(from, data) {
    if (this.#members.has(from)) this.#peer(from, false).receive(data);
  }

  #peer(pid, initiator) {
    let peer = this.#peers.get(pid);
    if (peer) return peer;
    const me = this.connection.pid;
    // Both sides compute the same answer, so exactly one of them is polite.
    const polite = me > pid;
    const send = (data) => this.connection.request('signal', { to: pid, data }).catch(() => {});
    const ready = initiator ? takeSpare(pid, this.offeredTo) : null;
    if (ready) {
      peer = ready.peer;
      peer.adopt({ pid, polite, tracks: this.tracks(), config: this.config, send, said: ready.said });
    } else {
      peer = new Peer({ pid, polite, initiator, tracks: this.tracks(), config: this.config, send });
    }
    peer.addEventListener('track', (e) => this.#emit('track', { pid, ...e.detail }));
    peer.addEventListener('state', (e) => this.#emit('state', { pid, ...e.detail }));
    peer.addEventListener('relayerror', (e) => this.#emit('relayerror', { pid, ...e.detail }));
    if (ready?.peer.relayError) this.#emit('relayerror', { pid, ...ready.peer.relayError });
    this.#peers.set(pid, peer);
    return peer;
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
