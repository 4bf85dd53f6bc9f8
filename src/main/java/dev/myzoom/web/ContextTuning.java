package dev.myzoom.web;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.session.NullSessionCache;
import org.eclipse.jetty.session.NullSessionDataStore;
import org.eclipse.jetty.util.component.LifeCycle;
import org.eclipse.jetty.websocket.core.server.WebSocketServerComponents;

/** Two things Jetty does by default that cost a meeting server memory for every connection. */
public final class ContextTuning {
    private ContextTuning() {
    }

    public static void apply(ServletContextHandler handler) {
        // Javalin asks for the HTTP session of every WebSocket upgrade (to copy its attributes),
        // which creates one per connection, and Jetty kept every one of them in memory (3,000
        // connections, all closed: 3,000 sessions left). My Zoom uses no HTTP sessions (the admin
        // panel signs its own cookie), so sessions are not kept once their request is done.
        SessionHandler sessions = handler.getSessionHandler();
        NullSessionCache cache = new NullSessionCache(sessions);
        cache.setSessionDataStore(new NullSessionDataStore());
        sessions.setSessionCache(cache);
        // Browsers offer permessage-deflate on every WebSocket, and each one Jetty accepts holds
        // native zlib memory: 2,000 connections took +108 KB of RSS each with it, +20 KB without
        // (docs/benchmarks.md). Frames here are small JSON, so it is turned off. The registry
        // exists once the context has started.
        handler.addEventListener(new LifeCycle.Listener() {
            @Override
            public void lifeCycleStarted(LifeCycle event) {
                WebSocketServerComponents.ensureWebSocketComponents(handler.getServer(), handler).getExtensionRegistry()
                        .unregister("permessage-deflate");
            }
        });
    }
}
