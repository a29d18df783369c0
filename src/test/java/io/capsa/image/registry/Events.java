package io.capsa.image.registry;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;

import java.util.ArrayList;
import java.util.List;

/** A progress listener that records "event digest" lines, as a CLI would render them. */
final class Events implements ProgressListener {
    final List<String> lines = new ArrayList<>();
    private final List<String> progress = new ArrayList<>();

    @Override
    public synchronized void skipped(Descriptor blob) {
        lines.add("skipped " + blob.digest());
    }

    @Override
    public synchronized void started(Descriptor blob) {
        lines.add("started " + blob.digest());
    }

    @Override
    public synchronized void bytes(Descriptor blob, long done) {
        progress.add(blob.digest() + " " + done);
    }

    @Override
    public synchronized void done(Descriptor blob) {
        lines.add("done " + blob.digest());
    }

    @Override
    public synchronized void mounted(Descriptor blob, String fromRepository) {
        lines.add("mounted " + blob.digest() + " from " + fromRepository);
    }

    synchronized long count(String event) {
        return lines.stream().filter(l -> l.startsWith(event + " ")).count();
    }

    synchronized boolean reported(Digest digest, long bytes) {
        return progress.contains(digest + " " + bytes);
    }

    /** The first count of bytes reported for a blob: where its download started. */
    synchronized long firstReported(Digest digest) {
        for (String p : progress) {
            if (p.startsWith(digest + " ")) return Long.parseLong(p.substring(p.indexOf(' ') + 1));
        }
        throw new AssertionError("no progress of " + digest + " reported");
    }
}
