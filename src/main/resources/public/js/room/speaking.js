// Who is speaking, from the audio levels WebRTC already measures: the inbound level of each
// remote voice, and the level of your own microphone as it is sent.

const THRESHOLD = 0.03;
const INTERVAL_MS = 300;

export function watchSpeaking(transport, selfPid, onLevel) {
  const timer = setInterval(async () => {
    let own = 0;
    for (const peer of transport.peers()) {
      try {
        const stats = await peer.pc.getStats();
        let level = 0;
        stats.forEach((s) => {
          if (s.type === 'inbound-rtp' && s.kind === 'audio') level = Math.max(level, s.audioLevel ?? 0);
          if (s.type === 'media-source' && s.kind === 'audio') own = Math.max(own, s.audioLevel ?? 0);
        });
        onLevel(peer.pid, level > THRESHOLD);
      } catch {
        // the connection closed meanwhile
      }
    }
    onLevel(selfPid(), own > THRESHOLD);
  }, INTERVAL_MS);
  return () => clearInterval(timer);
}
