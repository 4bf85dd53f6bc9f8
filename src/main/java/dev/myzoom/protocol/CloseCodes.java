package dev.myzoom.protocol;

/** The WebSocket close codes the server uses; docs/protocol.md lists them for clients. */
public final class CloseCodes {
    /** The client read too slowly (or sent binary frames too fast): reconnect. */
    public static final int TOO_SLOW = 1008;
    /** The server is restarting, or the node that held the room went away: reconnect at once. */
    public static final int SERVICE_RESTART = 1012;
    /** A frame larger than the connection may send (what Jetty itself says past its limit). */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Too many connections from this address, or in all: try again later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** Nothing received for the idle timeout (the server's), or no answer to the heartbeat (the page's). */
    public static final int HEARTBEAT_TIMEOUT = 4000;
    /** The page came back on a new connection (a resume); this old one is done. */
    public static final int RESUMED = 4001;

    private CloseCodes() {
    }
}
