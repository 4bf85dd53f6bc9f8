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
    // One transport for all three tracks: half the candidates to gather and check than the
    // default "balanced", which starts one for audio and one for video.
    this.config = { iceServers: call.iceServers ?? [], iceTransportPolicy: call.iceTransportPolicy ?? 'all',
      bundlePolicy: 'max-bundle', ...(certificate ? { certificates: [certificate] } : {}) };
    this.onSignal = ({ from, data }) => this.#peer(from, false)?.receive(data);
  }

  /** As a newcomer, calls everyone who was already in the room. */
  start(pids) {
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
    peer = new Peer({
      pid,
      // Both sides compute the same answer, so exactly one of them is polite.
      polite: me > pid,
      initiator,
      tracks: this.tracks(),
      config: this.config,
      send: (data) => this.connection.request('signal', { to: pid, data }).catch(() => {}),
    });
    peer.addEventListener('track', (e) => this.#emit('track', { pid, ...e.detail }));
    peer.addEventListener('state', (e) => this.#emit('peerstate', { pid, ...e.detail }));
    peer.addEventListener('relayerror', (e) => this.#emit('relayerror', { pid, ...e.detail }));
    this.#peers.set(pid, peer);
    return peer;
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}

export { SLOTS };
