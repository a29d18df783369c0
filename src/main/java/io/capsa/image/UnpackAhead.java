package io.capsa.image;

import io.capsa.image.registry.RegistryClient;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Layer;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Unpacks a pull's layers while the rest download: each layer as soon as its blob (and the config, for the
 * diffIDs) is verified in the store, so that a pull takes about as long as the slower of downloading and
 * unpacking rather than both. Layers unpack side by side, a thread each up to four per processor (making
 * files is mostly the kernel's work, on the core of the thread that asks), taken bottom first; a layer that
 * needs those below it (a directory without an entry takes the attributes of the one below) waits there for
 * them to be in place ({@link io.capsa.image.store.LayerStore#unpack(Layer, List, Runnable)}, which also skips
 * layers unpacked already). The caller holds the pull's lease: a layer unpacked for a pull that then fails is
 * named by nothing, and the garbage collector removes it.
 */
final class UnpackAhead implements AutoCloseable {
    /**
     * Threads beyond the processors: with a thread per layer no small layer waits behind a big one for a
     * thread (the processors are shared out instead), and on a busy machine the pull gets its share of them.
     */
    private static final int THREADS_PER_PROCESSOR = 4;

    private final ImageStore store;
    private final RegistryClient.Resolved image;
    private final Set<Digest> ready = new HashSet<>();
    private final List<Thread> threads = new ArrayList<>();
    private List<Layer> layers; // described once the config is stored
    private int next; // the next layer a thread takes
    private int unpacked; // layers 0 .. unpacked - 1 are in place
    private final boolean[] done;
    /** Each layer's failure: a layer above one that failed may fail too, the lowest is the cause. */
    private final RuntimeException[] failures;
    private RuntimeException configFailure; // the config does not describe the layers
    private boolean failed, stopped;

    UnpackAhead(ImageStore store, RegistryClient.Resolved image) {
        this.store = store;
        this.image = image;
        int count = image.layers().size();
        this.done = new boolean[count];
        this.failures = new RuntimeException[count];
        int n = Math.max(1, Math.min(count, THREADS_PER_PROCESSOR * Runtime.getRuntime().availableProcessors()));
        for (int i = 0; i < n; i++) threads.add(Thread.ofPlatform().name("unpack-" + i).daemon().start(this::run));
    }

    /** The blob is in the store and verified (fetched, or there already). */
    synchronized void ready(Descriptor blob) {
        ready.add(blob.digest());
        notifyAll();
    }

    /** Waits for every layer to be unpacked; throws the lowest layer's failure. Call after the last blob is ready. */
    void finish() {
        join();
        synchronized (this) {
            if (configFailure != null) throw configFailure;
            for (RuntimeException failure : failures) if (failure != null) throw failure;
        }
    }

    private void run() {
        try {
            if (!await(image.config().digest())) return;
            List<Layer> all = layers();
            int i;
            while ((i = take()) >= 0) {
                if (!await(all.get(i).blob().digest())) return;
                int layer = i;
                try {
                    store.layers().unpack(all.get(i), all.subList(0, i), () -> awaitBelow(layer));
                    unpacked(i, null);
                } catch (RuntimeException e) {
                    unpacked(i, e);
                }
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                if (configFailure == null) configFailure = e;
                failed = true;
            }
        }
    }

    private synchronized List<Layer> layers() {
        if (layers == null) layers = store.layers().describe(image.layers(), store.config(image.config().digest()).diffIds());
        return layers;
    }

    /** The next layer to unpack, bottom first; -1 when none is left, or one failed, or the pull stopped. */
    private synchronized int take() {
        return failed || stopped || next == done.length ? -1 : next++;
    }

    private synchronized void unpacked(int layer, RuntimeException failure) {
        done[layer] = true;
        failures[layer] = failure;
        failed |= failure != null;
        while (unpacked < done.length && done[unpacked] && failures[unpacked] == null) unpacked++;
        notifyAll();
    }

    /** Returns once the layers below this one are in place; throws if one of them failed or the pull stopped. */
    private synchronized void awaitBelow(int layer) {
        while (unpacked < layer) {
            if (stopped) throw new ImageException("the pull stopped");
            if (done[unpacked]) throw new ImageException("a layer below failed");
            if (!waitQuietly()) throw new ImageException("interrupted");
        }
    }

    /** False when the pull stopped before the blob came. */
    private synchronized boolean await(Digest blob) {
        while (!ready.contains(blob) && !stopped) {
            if (!waitQuietly()) return false;
        }
        return !stopped;
    }

    /** False when interrupted. */
    private boolean waitQuietly() {
        try {
            wait();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void join() {
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Stops waiting for blobs that will not come (the pull failed) and waits for the layers being unpacked, if any. */
    @Override
    public void close() {
        synchronized (this) {
            stopped = true;
            notifyAll();
        }
        join();
    }
}
