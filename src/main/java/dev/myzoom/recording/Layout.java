package dev.myzoom.recording;

import java.util.ArrayList;
import java.util.List;

/**
 * Where each picture goes in the recording's frame: the cameras in a grid, or, while someone
 * shares a screen, the screen large on the left and the cameras in a column on the right (as the
 * meeting page's stage does). Sizes are even, as H.264's 4:2:0 needs.
 */
public final class Layout {
    public static final int WIDTH = 1280;
    public static final int HEIGHT = 720;
    /** Beside a screen, the column holds this many cameras at most. */
    static final int COLUMN = 4;

    /** A rectangle of the frame. */
    public record Cell(int x, int y, int w, int h) {}

    private Layout() {}

    /**
     * The cells for {@code cameras} cameras and, if {@code screen}, one screen: the screen's cell
     * first, then the cameras' in their order. Cameras beyond the column's {@value #COLUMN}
     * beside a screen get none.
     */
    public static List<Cell> cells(int cameras, boolean screen) {
        List<Cell> cells = new ArrayList<>();
        if (screen) {
            int columnWidth = cameras == 0 ? 0 : even(WIDTH / 4);
            cells.add(new Cell(0, 0, WIDTH - columnWidth, HEIGHT));
            int shown = Math.min(cameras, COLUMN);
            int h = even(HEIGHT / COLUMN);
            int top = (HEIGHT - shown * h) / 2;
            for (int i = 0; i < shown; i++) {
                cells.add(new Cell(WIDTH - columnWidth, even(top + i * h), columnWidth, h));
            }
            return cells;
        }
        if (cameras == 0) {
            return cells;
        }
        int cols = (int) Math.ceil(Math.sqrt(cameras));
        int rows = (cameras + cols - 1) / cols;
        int w = even(WIDTH / cols);
        int h = even(HEIGHT / rows);
        for (int i = 0; i < cameras; i++) {
            int row = i / cols;
            int inRow = Math.min(cols, cameras - row * cols);
            // A short last row is centred.
            int left = (WIDTH - inRow * w) / 2;
            cells.add(new Cell(even(left + (i % cols) * w), even(row * h + (HEIGHT - rows * h) / 2), w, h));
        }
        return cells;
    }

    private static int even(int n) {
        return n & ~1;
    }
}
