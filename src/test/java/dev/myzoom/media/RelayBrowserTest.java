package dev.myzoom.media;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.myzoom.support.Call.awaitMedia;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Call.pid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import dev.myzoom.support.Browsers;
import dev.myzoom.support.Coturn;
import dev.myzoom.support.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Calls through a real coturn, with relay-only ICE, and what a user sees when TURN refuses them. */
class RelayBrowserTest {
    static final String SECRET = "test-secret-" + System.nanoTime();
    // The type of the local candidate of the pair each connection selected.
    static final String SELECTED_TYPES = """
            async () => {
              const types = [];
              for (const peer of window.myzoom.transport.peers()) {
                const stats = await peer.pc.getStats();
                let pairId = null;
                stats.forEach((s) => { if (s.type === 'transport' && s.selectedCandidatePairId) pairId = s.selectedCandidatePairId; });
                const pair = pairId && stats.get(pairId);
                types.push(pair ? stats.get(pair.localCandidateId).candidateType : 'none');
              }
              return types.join(',');
            }""";

    Browsers browsers;
    Coturn coturn;
    TestServer server;

    @BeforeEach
    void start() {
        browsers = Browsers.start();
        coturn = Coturn.start(SECRET);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (coturn != null) {
            coturn.close();
        }
        if (browsers != null) {
            browsers.close();
        }
    }

    @Test
    void twoPeopleForcedToRelayOnlySeeEachOtherThroughTurn() {
        server = TestServer.start("TURN_URLS", coturn.url(), "TURN_SECRET", SECRET, "FORCE_RELAY", "true");
        Page alice = browsers.newPage();
        Page bob = browsers.newPage();
        join(alice, server.url("/r/relayed"), "Alice");
        join(bob, server.url("/r/relayed"), "Bob");
        awaitMedia(alice, pid(bob));
        awaitMedia(bob, pid(alice));
        assertEquals("relay", alice.evaluate(SELECTED_TYPES), coturn.log());
        assertEquals("relay", bob.evaluate(SELECTED_TYPES));
    }

    @Test
    void withTheWrongSecretTheCallFailsAndThePageSaysTheRelayIsUnreachable() {
        server = TestServer.start("TURN_URLS", coturn.url(), "TURN_SECRET", "not-" + SECRET, "FORCE_RELAY", "true");
        Page alice = browsers.newPage();
        Page bob = browsers.newPage();
        join(alice, server.url("/r/refused"), "Alice");
        // Bob lingers on the pre-join screen, as people do: the call his page prepares there meets
        // the relay's refusal before he joins, and the page must still tell him.
        bob.navigate(server.url("/r/refused"));
        bob.waitForTimeout(2000);
        bob.getByLabel("Nickname", new Page.GetByLabelOptions().setExact(true)).fill("Bob");
        bob.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Join").setExact(true)).click();
        assertThat(bob.getByRole(AriaRole.STATUS).getByText("Cannot reach the media relay (TURN).",
                new com.microsoft.playwright.Locator.GetByTextOptions().setExact(false))).isVisible();
        bob.waitForTimeout(3000);
        assertNotEquals("connected", bob.evaluate("() => window.myzoom.transport.peers()[0].pc.connectionState"));
    }
}
