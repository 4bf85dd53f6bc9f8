package dev.myzoom.room;

import dev.myzoom.protocol.ServerMessage;
import java.util.Collection;

/**
 * What a room asks of recording, as it asks the store through {@link RoomStore}: the room keeps
 * who may record and tells everyone; the recorder makes the recording and its file.
 */
public interface Recorder {
    /** How a recording tells its room what happened after it started. */
    interface Listener {
        /** The recording stopped by itself ({@code reason}: disk_full, media_failed). */
        void stoppedItself(String recording, String reason);

        /** News for the room's host: progress of the file, or the file's link. */
        void toHost(ServerMessage news);
    }

    /**
     * Starts recording {@code room}, whose calls go through the media server from now on.
     *
     * @param by the nickname of the host who started it
     * @param present the nicknames of everyone in the room now
     * @return the recording's id
     * @throws dev.myzoom.protocol.Refusal {@code disk_full} or {@code recording_unavailable}
     */
    String start(String room, String by, Collection<String> present, Listener listener);

    /**
     * Takes over a recording that another node started, in a room this node took over when that
     * node died (Janus records on regardless): its stop and file are made here from now on.
     *
     * @return whether it is still running and is now this node's; false if it has ended
     */
    boolean adopt(String recording, String room, Listener listener);

    /** Someone came into the room while it is recorded: they are among its participants. */
    void joined(String recording, String nick);

    /**
     * Stops the recording; its file is made after this, in the background.
     *
     * @param by the host's nickname, or null when it stops because the room closed
     */
    void stop(String recording, String by);

    /** No recording here: every start is refused. */
    Recorder NONE = new Recorder() {
        @Override
        public String start(String room, String by, Collection<String> present, Listener listener) {
            throw new dev.myzoom.protocol.Refusal(dev.myzoom.protocol.ErrorCode.RECORDING_UNAVAILABLE,
                    "this server cannot record (it needs the media server, janus-pp-rec and ffmpeg)");
        }

        @Override
        public boolean adopt(String recording, String room, Listener listener) {
            return false;
        }

        @Override
        public void joined(String recording, String nick) {}

        @Override
        public void stop(String recording, String by) {}
    };
}
