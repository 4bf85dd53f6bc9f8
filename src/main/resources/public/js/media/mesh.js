// The mesh transport: one Peer per other participant, media browser to browser, signaling
// through the server. The page talks to a transport only through start / add / remove /
// setTrack / close and the "track" and "peerstate" events, so an SFU transport (one connection
// to a media server) can later take its place without changes to the page.

import { Peer, SLOTS } from './peer.js';

// The first RTCPeerConnection of a page starts WebRTC's threads and makes a DTLS certificate;
// doing that while the user is still on the pre-join screen takes it off the path from Join to
// the first frame.
let certificate = null;
export async function warmUp() {
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
export function prepareSpare(call, tracks) {
  dropSpare();
  if (!window.RTCPeerConnection || !call) return;
  // The welcome carries no TURN (only a join does): relay-only calls cannot gather anything yet.
  if (call.iceTransportPolicy === 'relay' && !(call.iceServers ?? []).some((s) => s.credential)) return;
  const said = [];
  const peer = new Peer({ pid: null, polite: false, initiator: true, tracks, config: configOf(call), send: (data) => said.push(data) });
  spare = { peer, said, call, at: performance.now() };
}

export function dropSpare() {
  spare?.peer.close();
  spare = null;
}

/**
 * The spare's offer for the join request, or undefined if there is none fit to send. The
 * description carries every candidate gathered so far; later ones follow once the ack names the
 * participant who got it.
 */
export function spareOffer() {
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
  #peers = new Map();

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
    this.onSignal = ({ from, data }) => this.#peer(from, false)?.receive(data);
  }

  /**
   * As a newcomer, calls everyone who was already in the room; {@code offeredTo} already has the
   * spare's offer, which came with the join.
   */
  start(pids, offeredTo) {
    this.offeredTo = offeredTo;
    for (const pid of pids) this.#peer(pid, true);
  }

  remove(pid) {
    this.#peers.get(pid)?.close();
    this.#peers.delete(pid);
  }

  setTrack(slot, track) {
    for (const peer of this.#peers.values()) peer.setTrack(slot, track);
  }

  close() {
    for (const pid of [...this.#peers.keys()]) this.remove(pid);
  }

  peers() {
    return [...this.#peers.values()];
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
    peer.addEventListener('state', (e) => this.#emit('peerstate', { pid, ...e.detail }));
    peer.addEventListener('relayerror', (e) => this.#emit('relayerror', { pid, ...e.detail }));
    if (ready?.peer.relayError) this.#emit('relayerror', { pid, ...ready.peer.relayError });
    this.#peers.set(pid, peer);
    return peer;
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

export { SLOTS };
