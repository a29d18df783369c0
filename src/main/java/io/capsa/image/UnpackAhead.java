package io.capsa.image;

import io.capsa.image.registry.RegistryClient;
import io.capsa.image.store.ImageStore;
import io.capsa.image.store.Layer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Unpacks a pull's layers while the rest download: each layer, bottom first, as soon as its blob (and the
 * config, for the diffIDs) is verified in the store, so that a pull takes about as long as the slower of
 * downloading and unpacking rather than both. Layers go one after the other (a layer's new directories take
 * their attributes from the layers below); {@link io.capsa.image.store.LayerStore#unpack} skips those unpacked already. The caller
 * holds the pull's lease: a layer unpacked for a pull that then fails is named by nothing, and the garbage
 * collector removes it.
 */
final class UnpackAhead implements AutoCloseable {
    private final ImageStore store;
    private final RegistryClient.Resolved image;
    private final Set<Digest> ready = new HashSet<>();
    private final Thread thread;
    private boolean stopped;
    private RuntimeException failure;

    UnpackAhead(ImageStore store, RegistryClient.Resolved image) {
        this.store = store;
        this.image = image;
        this.thread = Thread.ofPlatform().name("unpack").daemon().start(this::run);
    }

    /** The blob is in the store and verified (fetched, or there already). */
    synchronized void ready(Descriptor blob) {
        ready.add(blob.digest());
        notifyAll();
    }

    /** Waits for every layer to be unpacked; throws the first unpack's failure. Call after the last blob is ready. */
    void finish() {
        join();
        synchronized (this) {
            if (failure != null) throw failure;
        }
    }

    private void run() {
        try {
            if (!await(image.config().digest())) return;
            List<Layer> layers = store.layers().describe(image.layers(), store.config(image.config().digest()).diffIds());
            for (int i = 0; i < layers.size(); i++) {
                if (!await(layers.get(i).blob().digest())) return;
                store.layers().unpack(layers.subList(0, i + 1));
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                failure = e;
            }
        }
    }

    /** False when the pull stopped before the blob came. */
    private synchronized boolean await(Digest blob) {
        while (!ready.contains(blob) && !stopped) {
            try {
                wait();
            } catch (InterruptedException e) {
                return false;
            }
        }
        return !stopped;
    }

    private void join() {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Stops waiting for blobs that will not come (the pull failed) and waits for the layer being unpacked, if any. */
    @Override
    public void close() {
        synchronized (this) {
            stopped = true;
            notifyAll();
        }
        join();
    }
}
