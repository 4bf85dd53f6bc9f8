package dev.myzoom.media.sfu;

/**
 * Which simulcast layer fits a tile. Pages send their camera in three layers, full size, half and
 * a quarter (rids h, m, l), so with cameras capped at {@code maxHeight} the layers are that tall,
 * half as tall, and a quarter. A tile gets the smallest layer at least about as tall as the tile
 * is on screen (in device pixels): a small tile never pulls the full-size layer, and a large one
 * is not left blurred. Janus numbers the layers 0 (smallest) to 2. A tile that is not shown gets
 * none: Janus stops sending it, so a page receives only the video it shows.
 */
public final class Layers {
    /** A layer down to this share of the tile's height still looks sharp enough. */
    private static final double SLACK = 0.85;
    private final int maxHeight;

    public Layers(int maxHeight) {
        this.maxHeight = maxHeight;
    }

    /** No layer: the tile is not on screen (another page of the grid, a hidden tab), so nothing is sent. */
    public static final int OFF = -1;

    /** The layer (0, 1 or 2) for a tile this many device pixels tall; {@link #OFF} for a hidden one. */
    public int forHeight(int height) {
        if (height <= 0) {
            return OFF;
        }
        for (int layer = 0; layer < 2; layer++) {
            int layerHeight = maxHeight >> (2 - layer);
            if (layerHeight >= height * SLACK) {
                return layer;
            }
        }
        return 2;
    }
}
