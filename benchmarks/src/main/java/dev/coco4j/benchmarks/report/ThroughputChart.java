package dev.coco4j.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import javax.imageio.ImageIO;

/**
 * A line chart of envelope throughput (MiB/s) by message size (log scale) for the SDK and raw AES-GCM, drawn with
 * Java2D into a PNG (headless; no charting dependency).
 */
public final class ThroughputChart {
    static final int WIDTH = 900;
    static final int HEIGHT = 540;
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728)};

    private ThroughputChart() {
    }

    /**
     * The series to plot from {@code EnvelopeSizeBenchmark} results: label → (size in bytes → MiB/s).
     *
     * @param results every result of the run (others are ignored)
     * @return the four series (sdk/raw × encrypt/decrypt) that have points, in a fixed order
     */
    public static Map<String, SortedMap<Integer, Double>> series(List<BenchmarkResult> results) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("sdkEncrypt", "coco4j envelope encrypt");
        labels.put("baselineJdkEncrypt", "raw AES-256-GCM encrypt");
        labels.put("sdkDecrypt", "coco4j envelope decrypt");
        labels.put("baselineJdkDecrypt", "raw AES-256-GCM decrypt");
        Map<String, SortedMap<Integer, Double>> out = new LinkedHashMap<>();
        labels.forEach((method, label) -> {
            SortedMap<Integer, Double> points = new TreeMap<>();
            for (BenchmarkResult r : results) {
                if (r.benchmarkClass().equals("EnvelopeSizeBenchmark") && r.method().equals(method)
                        && r.params().containsKey("size") && r.unit().equals("ops/s")) {
                    int size = Integer.parseInt(r.params().get("size"));
                    points.put(size, r.score() * size / (1024.0 * 1024.0));
                }
            }
            if (!points.isEmpty()) {
                out.put(label, points);
            }
        });
        return out;
    }

    /**
     * Draws the chart to {@code png}.
     *
     * @param series label → (size in bytes → MiB/s); at least one point in total
     * @param subtitle a line under the title (the machine and settings)
     * @param png the file to write
     * @throws IOException if it cannot be written
     */
    public static void draw(Map<String, SortedMap<Integer, Double>> series, String subtitle, Path png)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        double maxY = 0;
        for (SortedMap<Integer, Double> s : series.values()) {
            for (var e : s.entrySet()) {
                double x = log2(e.getKey());
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, e.getValue());
            }
        }
        if (maxY <= 0) {
            throw new IllegalArgumentException("nothing to plot");
        }
        if (maxX == minX) {
            maxX = minX + 1;
        }
        double top = niceCeiling(maxY);
        BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, HEIGHT);
            int left = 80;
            int right = WIDTH - 30;
            int plotTop = 80;
            int bottom = HEIGHT - 110;
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString("Envelope throughput by message size vs raw AES-256-GCM", left, 28);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
            int line = 0;
            for (String l : wrap(subtitle, g.getFontMetrics(), right - left)) {
                if (line < 2) {
                    g.drawString(l, left, 46 + 13 * line++);
                }
            }
            // grid and y ticks
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i <= 5; i++) {
                double v = top * i / 5;
                int y = bottom - (int) Math.round((bottom - plotTop) * (double) i / 5);
                g.setColor(new Color(0xdddddd));
                g.drawLine(left, y, right, y);
                g.setColor(Color.BLACK);
                String t = String.format(java.util.Locale.ROOT, "%.0f", v);
                g.drawString(t, left - 8 - fm.stringWidth(t), y + 4);
            }
            // x ticks at each power of two present
            for (int p = (int) Math.floor(minX); p <= (int) Math.ceil(maxX); p++) {
                int x = xPos(p, minX, maxX, left, right);
                g.setColor(new Color(0xeeeeee));
                g.drawLine(x, plotTop, x, bottom);
                if (p % 2 == 0) {
                    g.setColor(Color.BLACK);
                    String t = sizeLabel(1L << p);
                    g.drawString(t, x - fm.stringWidth(t) / 2, bottom + 16);
                }
            }
            g.setColor(Color.BLACK);
            g.drawRect(left, plotTop, right - left, bottom - plotTop);
            g.drawString("message size (log scale)", (left + right) / 2 - 60, bottom + 34);
            Graphics2D rot = (Graphics2D) g.create();
            rot.rotate(-Math.PI / 2);
            rot.drawString("MiB/s", -(plotTop + bottom) / 2 - 15, 22);
            rot.dispose();
            // series
            int i = 0;
            int legendY = bottom + 56;
            for (var s : series.entrySet()) {
                Color c = COLORS[i % COLORS.length];
                g.setColor(c);
                boolean dashed = s.getKey().startsWith("raw");
                g.setStroke(dashed ? new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                        new float[] {6f, 5f}, 0f) : new BasicStroke(2.5f));
                Path2D path = new Path2D.Double();
                boolean first = true;
                for (var e : s.getValue().entrySet()) {
                    int x = xPos(log2(e.getKey()), minX, maxX, left, right);
                    int y = bottom - (int) Math.round((bottom - plotTop) * e.getValue() / top);
                    if (first) {
                        path.moveTo(x, y);
                        first = false;
                    } else {
                        path.lineTo(x, y);
                    }
                    g.fillOval(x - 3, y - 3, 7, 7);
                }
                g.draw(path);
                int lx = left + (i % 2) * 380;
                int ly = legendY + (i / 2) * 18;
                g.drawLine(lx, ly - 4, lx + 30, ly - 4);
                g.setStroke(new BasicStroke(1f));
                g.setColor(Color.BLACK);
                g.drawString(s.getKey(), lx + 38, ly);
                i++;
            }
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(img, "png", png.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    private static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> lines = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split(" ")) {
            if (!cur.isEmpty() && fm.stringWidth(cur + " " + word) > width) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            cur.append(cur.isEmpty() ? "" : " ").append(word);
        }
        if (!cur.isEmpty()) {
            lines.add(cur.toString());
        }
        return lines;
    }

    private static int xPos(double x, double minX, double maxX, int left, int right) {
        double pad = 0.3;
        return left + (int) Math.round((right - left) * (x - minX + pad) / (maxX - minX + 2 * pad));
    }

    private static double log2(double v) {
        return Math.log(v) / Math.log(2);
    }

    static double niceCeiling(double v) {
        double exp = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * exp >= v) {
                return m * exp;
            }
        }
        return 10 * exp;
    }

    static String sizeLabel(long bytes) {
        if (bytes >= 1L << 20) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " B";
    }
}
