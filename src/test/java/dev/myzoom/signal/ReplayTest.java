package dev.myzoom.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a resuming page can be sent again, and when it is too late. */
class ReplayTest {
    @Test
    void theFramesAfterWhatThePageGotComeBackInOrderWhileTheyAreKept() {
        Replay replay = new Replay(10);
        replay.record("welcome");
        replay.record("a");
        replay.record("b");
        assertEquals(List.of("a", "b"), replay.after(1));
        assertEquals(List.of(), replay.after(3), "nothing missed");
        assertNull(replay.after(4), "a page cannot have got more than was sent");
        replay.record("cccc");
        assertNull(replay.after(0), "the welcome (7 characters) no longer fits beside the rest");
        assertEquals(List.of("a", "b", "cccc"), replay.after(1), "but a page that got it misses nothing gone");
    }

    @Test
    void aFrameLargerThanAllThatIsKeptIsNotKeptAndNothingBeforeItCanBeSentAgain() {
        Replay replay = new Replay(10);
        replay.record("a");
        replay.record("x".repeat(11));
        assertNull(replay.after(1), "the large frame is lost to a resume");
        replay.record("b");
        assertEquals(List.of("b"), replay.after(2), "after it, resuming works again");
    }
}
