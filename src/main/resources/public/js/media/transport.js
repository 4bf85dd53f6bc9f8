// How a call's media travels, behind one interface, so that the room page never learns whether it
// runs on a mesh (one peer connection per other person) or, later, on an SFU (one connection to a
// media server). The page and speaking detection use only what this file describes; nothing
// outside js/media touches an RTCPeerConnection.
//
// The module-level pair prepare()/joinOffer() is the warm-up on the pre-join screen: whatever the
// chosen transport can set up before Join is clicked, so that the first picture comes sooner.

/**
 * The interface every transport implements, stated once.
 *
 * @typedef {EventTarget} Transport
 * @property {(ack: object) => void} start Begins the calls of a join. `ack` is the join reply
 *   (participants, offeredTo, call, ...). From then on the transport listens to its own signaling
 *   on the connection (the "signal" events, the offer inside "joined").
 * @property {(pid: string) => void} remove Ends the call with someone who left.
 * @property {(slot: string, track: ?MediaStreamTrack) => void} setTrack Sends a new local track
 *   (or null) in a slot: "audio", "camera" or "screen".
 * @property {() => Promise<Map<string, number>>} [audioLevels] The mesh only: the audio levels
 *   (0..1) by pid, each remote voice as it arrives and this page's own microphone, under its own
 *   pid, as it is sent. Through the SFU the server says who speaks ("speaking" events).
 * @property {(pid: string) => (string|undefined)} stateOf The state of the call with that person,
 *   named as RTCPeerConnection names them ("new", "connecting", "connected", "disconnected",
 *   "failed", "closed"), or undefined while there is none.
 * @property {() => void} close Ends every call and stops listening to the connection.
 * @property {string} mode "mesh" or "sfu".
 * @property {(heights: Map<string, number>) => void} [setView] How tall each remote camera is
 *   shown, in device pixels (0: not visible); the SFU sends each the layer that fits.
 *
 * Each transport class also has the static warm-up pair prepare()/joinOffer() (below), and
 * discard(), which drops what its warm-up made when the call turns out to be of the other kind.
 *
 * Events (CustomEvent, the fields in `detail`):
 * - "track" {pid, slot, track}: a remote track arrived in a slot.
 * - "state" {pid, state}: the call with pid changed state (see stateOf).
 * - "relayerror" {pid, code, url}: a TURN server refused us or could not be reached.
 */

import { Mesh } from './mesh.js';
import { Sfu } from './sfu.js';

// By the call settings' "mode" (the join ack's, or a "mode" event's); none means the mesh.
const TRANSPORTS = { mesh: Mesh, sfu: Sfu };
const DEFAULT_MODE = 'mesh';

function kindOf(call) {
  return TRANSPORTS[call?.mode ?? DEFAULT_MODE] ?? TRANSPORTS[DEFAULT_MODE];
}

/**
 * The transport for a join's call settings.
 *
 * @param call the join reply's call settings (mode, ICE servers, transport policy)
 * @param connection the signaling connection
 * @param tracks a function giving the current local tracks by slot
 * @returns {Transport}
 */
export function createTransport(call, connection, tracks) {
  const Kind = kindOf(call);
  // The warm-up was for the other kind (a mesh's spare offer, for a room that is in the SFU).
  if (prepared && prepared !== Kind) prepared.discard();
  return new Kind(connection, tracks, call);
}

let prepared = null;

/**
 * Warms up on the pre-join screen. The arguments are functions because they are read only once
 * the browser's WebRTC is warm: that takes a moment, in which the welcome may arrive or Join be
 * clicked.
 *
 * @param call gives the welcome's call settings
 * @param tracks gives the current local tracks by slot
 * @param wanted says whether a warm-up is still of use (it is not once the join is under way)
 */
export function prepare({ call, tracks, wanted }) {
  prepared = kindOf(call());
  return prepared.prepare({ call, tracks, wanted });
}

/** What the join request carries from the warm-up (for the mesh, its first offer), or undefined. */
export function joinOffer() {
  return prepared?.joinOffer();
}
