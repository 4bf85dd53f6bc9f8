package dev.myzoom.recording;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
    @Test
    void theGridChangesAsPeopleComeAndGoAndAScreenTakesTheStage() {
        List<Timeline.Picture> pictures = List.of(
                new Timeline.Picture(0, 0, 10_000, false),
                new Timeline.Picture(1, 2_000, 10_000, false),
                new Timeline.Picture(2, 4_000, 6_000, true));
        List<Timeline.Span> spans = Timeline.spans(pictures, 10_000);
        assertEquals(List.of(0L, 2_000L, 4_000L, 6_000L), spans.stream().map(Timeline.Span::fromMs).toList());
        // Alone: the whole frame.
        assertEquals(new Layout.Cell(0, 0, 1280, 720), spans.get(0).placed().get(0).cell());
        // Two: side by side.
        assertEquals(List.of(new Layout.Cell(0, 0, 640, 720), new Layout.Cell(640, 0, 640, 720)),
                spans.get(1).placed().stream().map(Timeline.Placed::cell).toList());
        // A screen: large on the left, the cameras in a column.
        Timeline.Span sharing = spans.get(2);
        assertEquals(2, sharing.placed().get(0).picture().input());
        assertEquals(new Layout.Cell(0, 0, 960, 720), sharing.placed().get(0).cell());
        assertEquals(320, sharing.placed().get(1).cell().w());
        assertEquals(2, spans.get(3).placed().size());
    }

    @Test
    void aShortLastRowIsCentred() {
        List<Layout.Cell> cells = Layout.cells(3, false);
        assertEquals(new Layout.Cell(320, 360, 640, 360), cells.get(2));
        assertEquals(9, Layout.cells(9, false).size());
    }
}
