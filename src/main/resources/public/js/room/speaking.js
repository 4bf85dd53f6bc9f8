// Who is speaking. In a room on the media server, the server says so (`speaking` messages with
// who talks now, from the media server's audio levels): nothing to poll, and every page agrees. In a mesh, the page
// reads the audio level of each remote voice, and of your own microphone as it is sent.

const THRESHOLD = 0.03;
const INTERVAL_MS = 300;

export function watchSpeaking(transport, connection, onLevel) {
  if (transport.mode === 'sfu') {
    // Each message is the whole set of who talks now (gathered over 250 ms by the server), so
    // a missed one is made good by the next.
    let talking = new Set();
    const listener = ({ detail }) => {
      const now = new Set(detail.talking);
      for (const pid of talking) if (!now.has(pid)) onLevel(pid, false);
      for (const pid of now) if (!talking.has(pid)) onLevel(pid, true);
      talking = now;
    };
    connection.addEventListener('speaking', listener);
    return () => connection.removeEventListener('speaking', listener);
  }
  const timer = setInterval(async () => {
    const levels = await transport.audioLevels();
    const me = connection.pid;
    for (const [pid, level] of levels) if (pid !== me) onLevel(pid, level > THRESHOLD);
    onLevel(me, (levels.get(me) ?? 0) > THRESHOLD);
  }, INTERVAL_MS);
  return () => clearInterval(timer);
}
