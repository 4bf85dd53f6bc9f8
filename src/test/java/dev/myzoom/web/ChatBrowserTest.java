package dev.myzoom.web;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import static dev.myzoom.support.Call.join;
import static dev.myzoom.support.Ui.EXACT;
import static dev.myzoom.support.Ui.chatLines;
import static dev.myzoom.support.Ui.named;
import static dev.myzoom.support.Ui.say;

import dev.myzoom.support.Browsers;
import dev.myzoom.support.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two people use the real pages in real Chromium: the home page, the live room list and the chat. */
class ChatBrowserTest {
    static TestServer server;
    static Browsers browsers;

    @BeforeAll
    static void start() {
        browsers = Browsers.start();
        server = TestServer.start();
    }

    @org.junit.jupiter.api.AfterEach
    void closePages() {
        if (browsers != null) {
            browsers.closeBrowsers();
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (browsers != null) {
            browsers.close();
        }
    }

    static final Page.GetByRoleOptions JOIN = named("Join");

    static void screenshot(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("target/screenshots/" + name + ".png")));
    }

    @Test
    void oneCreatesARoomTheOtherSeesItInTheLiveListAndTheyChatBothWays() {
        Page alice = browsers.newPage();
        Page bob = browsers.newPage();

        bob.navigate(server.url("/"));
        bob.getByLabel("Nickname", EXACT).fill("Bob");
        assertThat(bob.getByText("No open rooms yet")).isVisible();

        alice.navigate(server.url("/"));
        alice.getByLabel("Nickname", EXACT).fill("Alice");
        alice.getByLabel("Room", EXACT).fill("Book Club");
        alice.getByRole(AriaRole.BUTTON, JOIN).click();
        alice.waitForURL("**/r/book-club");
        assertThat(alice.getByLabel("Nickname", EXACT)).hasValue("Alice");
        alice.getByRole(AriaRole.BUTTON, JOIN).click();
        assertThat(alice.getByText("You joined as Alice")).isVisible();

        Locator listed = bob.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("book-club"));
        assertThat(listed).containsText("1 person");
        screenshot(bob, "home");
        listed.click();
        bob.waitForURL("**/r/book-club");
        bob.getByRole(AriaRole.BUTTON, JOIN).click();
        assertThat(alice.getByText("Bob joined · 2 people here")).isVisible();
        assertThat(alice.getByText("2 people here").first()).isVisible();

        alice.getByLabel("Message", EXACT).fill("Hi Bob!");
        alice.getByLabel("Message", EXACT).press("Enter");
        bob.getByLabel("Message", EXACT).fill("Hello Alice");
        bob.getByRole(AriaRole.BUTTON, named("Send")).click();

        assertThat(chatLines(alice)).hasText(new String[] {"You: Hi Bob!", "Bob: Hello Alice"});
        assertThat(chatLines(bob)).hasText(new String[] {"Alice: Hi Bob!", "You: Hello Alice"});
        assertThat(alice.locator(".line.mine[data-status=sent]")).hasCount(1);
        screenshot(alice, "room");

        bob.getByRole(AriaRole.BUTTON, named("Rename")).click();
        bob.getByLabel("New nickname", EXACT).fill("Robert");
        bob.getByLabel("New nickname", EXACT).press("Enter");
        assertThat(alice.getByText("Bob is now Robert")).isVisible();
        assertThat(alice.locator("#people")).containsText("Robert");
        assertThat(bob.getByText("You are now Robert")).isVisible();

        bob.getByRole(AriaRole.BUTTON, named("Leave")).click();
        assertThat(alice.getByText("Robert left · 1 person here")).isVisible();
        alice.context().browser().close();
        bob.context().browser().close();
    }

    /** A room opened under a random name is in nobody's list, and its link still works. */
    @Test
    void aRandomNamedRoomIsUnlistedButItsLinkWorks() {
        Page alice = browsers.newPage();
        Page bob = browsers.newPage();
        bob.navigate(server.url("/"));
        bob.getByLabel("Nickname", EXACT).fill("Bob");

        alice.navigate(server.url("/"));
        alice.getByLabel("Nickname", EXACT).fill("Alice");
        Locator listed = alice.getByLabel("Show a new room in the list of open rooms", EXACT);
        assertThat(listed).isChecked();
        alice.getByRole(AriaRole.BUTTON, named("Random name")).click();
        assertThat(listed).not().isChecked();
        String room = alice.getByLabel("Room", EXACT).inputValue();
        alice.getByRole(AriaRole.BUTTON, JOIN).click();
        alice.waitForURL("**/r/" + room);
        alice.getByRole(AriaRole.BUTTON, JOIN).click();
        assertThat(alice.getByText("You joined as Alice")).isVisible();

        // A listed room opened afterwards shows in Bob's list; the random one does not.
        Page carol = browsers.newPage();
        carol.navigate(server.url("/"));
        carol.getByLabel("Nickname", EXACT).fill("Carol");
        carol.getByLabel("Room", EXACT).fill("Open Plan");
        carol.getByRole(AriaRole.BUTTON, JOIN).click();
        carol.waitForURL("**/r/open-plan");
        carol.getByRole(AriaRole.BUTTON, JOIN).click();
        assertThat(bob.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("open-plan"))).isVisible();
        assertThat(bob.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(room))).hasCount(0);

        bob.navigate(server.url("/r/" + room));
        bob.getByRole(AriaRole.BUTTON, JOIN).click();
        assertThat(alice.getByText("Bob joined · 2 people here")).isVisible();
        alice.context().browser().close();
        bob.context().browser().close();
        carol.context().browser().close();
    }

    @Test
    void htmlAndScriptInNamesAndMessagesShowAsText() {
        Page mallory = browsers.newPage();
        Page victim = browsers.newPage();
        String evilNick = "<img src=x onerror=pwned=1>";
        String evilText = "<b>bold</b><script>window.pwned=2</script><img src=x onerror=window.pwned=3>";
        String evilRoom = "<svg onload=window.pwned=4>";

        join(victim, server.url("/r/xss-room"), "Victim");

        mallory.navigate(server.url("/r/xss-room"));
        mallory.getByLabel("Nickname", EXACT).fill(evilNick);
        mallory.getByRole(AriaRole.BUTTON, JOIN).click();
        mallory.getByLabel("Message", EXACT).fill(evilText);
        mallory.getByLabel("Message", EXACT).press("Enter");

        assertThat(chatLines(victim)).hasText(new String[] {evilNick + ": " + evilText});
        assertThat(victim.getByText(evilNick + " joined · 2 people here")).isVisible();
        assertThat(victim.locator("#people")).containsText(evilNick);
        assertEquals(0, victim.locator("#chat-log b, #chat-log img, #chat-log script, #people img").count());

        // A hostile room name in a link is refused by the room rules and shown as text.
        mallory.navigate(server.url("/r/" + java.net.URLEncoder.encode(evilRoom, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")));
        mallory.getByRole(AriaRole.BUTTON, JOIN).click();
        assertThat(mallory.getByRole(AriaRole.ALERT)).containsText("That room name cannot be used");
        // The page draws its own icons in SVG; none of them has an event handler.
        assertEquals(0, mallory.locator("[onload], [onerror]").count());
        assertEquals(0, victim.locator("[onload], [onerror]").count());

        for (Page page : new Page[] {victim, mallory}) {
            assertEquals("undefined", page.evaluate("() => typeof window.pwned"));
        }
        mallory.context().browser().close();
        victim.context().browser().close();
    }

    @Test
    void someoneJoiningLateSeesTheEarlierMessagesAsHistoryInOrder() {
        Page alice = browsers.newPage();
        Page late = browsers.newPage();
        join(alice, server.url("/r/history-room"), "Alice");
        for (String text : new String[] {"first", "second", "third"}) {
            say(alice, text);
        }
        assertThat(alice.locator(".line.mine[data-status=sent]")).hasCount(3);

        join(late, server.url("/r/history-room"), "Late");
        assertThat(late.locator(".line.history .body")).hasText(new String[] {"Alice: first", "Alice: second", "Alice: third"});
        say(alice, "live now");
        assertThat(chatLines(late)).hasText(new String[] {"Alice: first", "Alice: second", "Alice: third", "Alice: live now"});
        assertThat(late.locator(".line.history")).hasCount(3);
        alice.context().browser().close();
        late.context().browser().close();
    }
}
