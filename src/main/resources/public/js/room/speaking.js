// Who is speaking, from the audio levels the transport reports: each remote voice, and your own
// microphone as it is sent.

const THRESHOLD = 0.03;
const INTERVAL_MS = 300;

export function watchSpeaking(transport, selfPid, onLevel) {
  const timer = setInterval(async () => {
    const levels = await transport.audioLevels();
    const me = selfPid();
    for (const [pid, level] of levels) if (pid !== me) onLevel(pid, level > THRESHOLD);
    onLevel(me, (levels.get(me) ?? 0) > THRESHOLD);
  }, INTERVAL_MS);
  return () => clearInterval(timer);
}
