package dev.myzoom.recording;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * A recording's pictures over time: the spans in which the same pictures are on, each with its
 * layout. A new span begins whenever a picture starts or ends (someone came, left, or started or
 * stopped sharing), so that the grid changes as the meeting did.
 */
public final class Timeline {
    /** One picture: when it starts and ends, in ms from the recording's start, and whether it is a screen. */
    public record Picture(int input, long startMs, long endMs, boolean screen) {}

    /** The pictures on from {@code fromMs} to {@code toMs}, each with its cell. */
    public record Span(long fromMs, long toMs, List<Placed> placed) {}

    public record Placed(Picture picture, Layout.Cell cell) {}

    private Timeline() {}

    /**
     * The spans of {@code pictures} within {@code [0, durationMs]}. Cameras keep the order they
     * started in; the first screen shared is the one shown large.
     */
    public static List<Span> spans(List<Picture> pictures, long durationMs) {
        TreeSet<Long> edges = new TreeSet<>(List.of(0L, durationMs));
        for (Picture p : pictures) {
            edges.add(clamp(p.startMs(), durationMs));
            edges.add(clamp(p.endMs(), durationMs));
        }
        List<Span> spans = new ArrayList<>();
        Long from = null;
        for (long edge : edges) {
            if (from != null && edge > from) {
                spans.add(span(pictures, from, edge));
            }
            from = edge;
        }
        return spans;
    }

    private static Span span(List<Picture> pictures, long from, long to) {
        List<Picture> on = pictures.stream().filter(p -> p.startMs() <= from && p.endMs() >= to)
                .sorted(Comparator.comparingLong(Picture::startMs).thenComparingInt(Picture::input)).toList();
        Picture screen = on.stream().filter(Picture::screen).findFirst().orElse(null);
        List<Picture> cameras = on.stream().filter(p -> !p.screen()).toList();
        List<Layout.Cell> cells = Layout.cells(cameras.size(), screen != null);
        List<Placed> placed = new ArrayList<>();
        int next = 0;
        if (screen != null) {
            placed.add(new Placed(screen, cells.get(next++)));
        }
        for (Picture camera : cameras) {
            if (next < cells.size()) {
                placed.add(new Placed(camera, cells.get(next++)));
            }
        }
        return new Span(from, to, placed);
    }

    private static long clamp(long ms, long durationMs) {
        return Math.max(0, Math.min(durationMs, ms));
    }
}
