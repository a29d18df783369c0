package io.capsa.image.store;

import io.capsa.image.ImageException;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * A read-write lock over a data root that holds across processes (an fcntl lock on a file) and across the
 * threads of one JVM, which fcntl locks cannot tell apart: one instance per lock file, shared leases
 * counted so that the JVM holds the file lock once. A shared lease never waits for a waiting exclusive
 * one: a pull holds a lease while its threads take more for each blob, and must not wait on a collector
 * that waits on the pull.
 */
final class StoreLock {
    private static final ConcurrentHashMap<Path, StoreLock> LOCKS = new ConcurrentHashMap<>();

    private final Path file;
    private FileChannel channel;
    private FileLock held;
    private int shared;
    private boolean exclusive;

    private StoreLock(Path file) {
        this.file = file;
    }

    static StoreLock of(Path file) {
        return LOCKS.computeIfAbsent(file.toAbsolutePath().normalize(), StoreLock::new);
    }

    synchronized Lease shared() {
        awaitWhile(() -> exclusive);
        if (shared == 0) acquire(true);
        shared++;
        return () -> {
            synchronized (this) {
                if (--shared == 0) {
                    release();
                    notifyAll();
                }
            }
        };
    }

    synchronized Lease exclusive() {
        awaitWhile(() -> exclusive || shared > 0);
        acquire(false);
        exclusive = true;
        return () -> {
            synchronized (this) {
                exclusive = false;
                release();
                notifyAll();
            }
        };
    }

    private void awaitWhile(BooleanSupplier busy) {
        try {
            while (busy.getAsBoolean()) wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageException("interrupted while waiting for " + file);
        }
    }

    private void acquire(boolean sharedLock) {
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            held = channel.lock(0, Long.MAX_VALUE, sharedLock);
        } catch (IOException e) {
            closeChannel();
            throw new ImageException("cannot lock " + file + ": " + e.getMessage(), e);
        }
    }

    private void release() {
        try {
            held.release();
        } catch (IOException ignored) {
            // closing the channel below releases it as well
        }
        closeChannel();
    }

    private void closeChannel() {
        try {
            if (channel != null) channel.close();
        } catch (IOException ignored) {
            // a lock file's channel: nothing was written through it
        }
        channel = null;
        held = null;
    }
}
