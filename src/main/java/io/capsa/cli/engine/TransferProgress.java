package io.capsa.cli.engine;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.MediaTypes;
import io.capsa.image.registry.ProgressListener;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Docker's per-layer progress of a pull or push. On a terminal, one line per layer redrawn in place
 * ({@code 3f4d90098f5b: Downloading  1.2MB/3.4MB  2.1MB/s}); otherwise one line as each layer ends, which a
 * log keeps readable. The registry client calls it from its transfer threads, hence synchronized.
 */
final class TransferProgress implements ProgressListener {
    /** What a layer's line says while it moves, once it has, and when no bytes had to move. */
    record Words(String moving, String moved, String present) {
        static final Words PULL = new Words("Downloading", "Pull complete", "Already exists");
        static final Words PUSH = new Words("Pushing", "Pushed", "Layer already exists");
    }

    private static final long REDRAW_NANOS = 100_000_000;
    private final PrintStream out;
    private final boolean live;
    private final Words words;
    private String header;
    private final Map<Digest, Row> rows = new LinkedHashMap<>();
    private int drawn;
    private long lastDraw;

    private static final class Row {
        final Descriptor blob;
        final long startNanos = System.nanoTime();
        String status;
        long done;

        Row(Descriptor blob, String status) {
            this.blob = blob;
            this.status = status;
        }
    }

    /** {@code header} comes before the first layer's line: a failure before any layer moved prints only its error. */
    TransferProgress(PrintStream out, boolean live, Words words, String header) {
        this.out = out;
        this.live = live;
        this.words = words;
        this.header = header;
    }

    /** To stdout, live when it is a terminal. */
    static TransferProgress toStdout(Words words, String header) {
        return new TransferProgress(System.out, System.console() != null && System.console().isTerminal(), words, header);
    }

    @Override
    public synchronized void skipped(Descriptor blob) {
        end(blob, words.present);
    }

    @Override
    public synchronized void started(Descriptor blob) {
        if (!MediaTypes.isLayer(blob.mediaType())) return; // the config: Docker shows layers only
        printHeader();
        rows.put(blob.digest(), new Row(blob, words.moving));
        if (live) redraw();
    }

    @Override
    public synchronized void bytes(Descriptor blob, long done) {
        Row row = rows.get(blob.digest());
        if (row == null) return;
        row.done = done;
        if (live && System.nanoTime() - lastDraw > REDRAW_NANOS) redraw();
    }

    @Override
    public synchronized void done(Descriptor blob) {
        end(blob, words.moved);
    }

    @Override
    public synchronized void mounted(Descriptor blob, String fromRepository) {
        end(blob, "Mounted from " + fromRepository);
    }

    private void end(Descriptor blob, String status) {
        if (!MediaTypes.isLayer(blob.mediaType())) return;
        printHeader();
        Row row = rows.computeIfAbsent(blob.digest(), d -> new Row(blob, status));
        row.status = status;
        if (live) redraw();
        else out.println(line(row));
    }

    private void printHeader() {
        if (header == null) return;
        out.println(header);
        header = null;
    }

    /** Moves the cursor up over the lines drawn before and draws every row again, each line cleared first. */
    private void redraw() {
        StringBuilder b = new StringBuilder();
        if (drawn > 0) b.append("\033[").append(drawn).append('A');
        for (Row row : rows.values()) b.append("\033[2K").append(line(row)).append('\n');
        out.print(b);
        out.flush();
        drawn = rows.size();
        lastDraw = System.nanoTime();
    }

    private String line(Row row) {
        String id = row.blob.digest().hex().substring(0, 12);
        if (!row.status.equals(words.moving)) return id + ": " + row.status;
        double seconds = Math.max(System.nanoTime() - row.startNanos, 1) / 1e9;
        return id + ": " + words.moving + "  " + Units.humanSize(row.done) + "/" + Units.humanSize(row.blob.size()) + "  " + Units.humanSize((long) (row.done / seconds)) + "/s";
    }
}
