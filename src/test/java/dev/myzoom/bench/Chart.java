package dev.myzoom.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/** A small line chart as a PNG: latency (log scale) against message rate, one line per percentile. */
final class Chart {
    private static final Color[] COLORS = {new Color(0x4f7cff), new Color(0xf5a524), new Color(0xe5484d), new Color(0x2fbf71)};

    private Chart() {}

    /** @param series name → points (x, y), x ascending */
    static void write(Path file, String title, String xLabel, String yLabel, Map<String, List<double[]>> series)
            throws IOException {
        int width = 900;
        int height = 520;
        int left = 80;
        int right = 180;
        int top = 60;
        int bottom = 70;
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        double xMax = series.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1);
        double yMin = 0.1;
        double yMax = Math.max(1, series.values().stream().flatMap(List::stream).mapToDouble(p -> p[1]).max().orElse(1));
        double logMin = Math.log10(yMin);
        double logMax = Math.ceil(Math.log10(yMax));
        int plotW = width - left - right;
        int plotH = height - top - bottom;
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        g.setColor(new Color(0x1f2530));
        g.drawString(title, left, 34);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        // Grid: one line per power of ten, and the x ticks at the measured rates.
        for (double d = logMin; d <= logMax + 1e-9; d++) {
            int y = top + plotH - (int) ((d - logMin) / (logMax - logMin) * plotH);
            g.setColor(new Color(0xe3e6ec));
            g.drawLine(left, y, left + plotW, y);
            g.setColor(new Color(0x5a6272));
            String label = Math.pow(10, d) < 1 ? String.valueOf(Math.pow(10, d)) : String.valueOf((long) Math.pow(10, d));
            g.drawString(label, left - 10 - g.getFontMetrics().stringWidth(label), y + 5);
        }
        series.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).distinct().forEach(x -> {
            int px = left + (int) (x / xMax * plotW);
            g.setColor(new Color(0x5a6272));
            String label = String.valueOf((long) x);
            g.drawString(label, px - g.getFontMetrics().stringWidth(label) / 2, top + plotH + 20);
        });
        g.setColor(new Color(0x1f2530));
        g.drawLine(left, top + plotH, left + plotW, top + plotH);
        g.drawLine(left, top, left, top + plotH);
        g.drawString(xLabel, left + plotW / 2 - g.getFontMetrics().stringWidth(xLabel) / 2, height - 25);
        Graphics2D rotated = (Graphics2D) g.create();
        rotated.rotate(-Math.PI / 2);
        rotated.drawString(yLabel, -(top + plotH / 2 + g.getFontMetrics().stringWidth(yLabel) / 2), 22);
        rotated.dispose();
        int i = 0;
        for (Map.Entry<String, List<double[]>> s : series.entrySet()) {
            Color color = COLORS[i % COLORS.length];
            g.setColor(color);
            g.setStroke(new BasicStroke(2.5f));
            int[] last = null;
            for (double[] p : s.getValue()) {
                double y = Math.max(yMin, p[1]);
                int px = left + (int) (p[0] / xMax * plotW);
                int py = top + plotH - (int) ((Math.log10(y) - logMin) / (logMax - logMin) * plotH);
                g.fillOval(px - 4, py - 4, 8, 8);
                if (last != null) {
                    g.drawLine(last[0], last[1], px, py);
                }
                last = new int[] {px, py};
            }
            int ly = top + 10 + i * 24;
            g.fillRect(left + plotW + 20, ly - 10, 18, 4);
            g.setColor(new Color(0x1f2530));
            g.drawString(s.getKey(), left + plotW + 44, ly - 4);
            i++;
        }
        g.dispose();
        Files.createDirectories(file.toAbsolutePath().getParent());
        ImageIO.write(image, "png", file.toFile());
    }
}
