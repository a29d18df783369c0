package io.capsa.network;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The exclusive lock over capsa's network state (configurations, attachment records, resolver files), across
 * processes (an fcntl lock on a file) and across the threads of one JVM, which fcntl locks cannot tell apart.
 * CNI plugins run outside it: host-local locks its own leases, so concurrent attaches overlap there.
 */
final class NetworkLock implements AutoCloseable {
    private static final ConcurrentHashMap<Path, ReentrantLock> THREADS = new ConcurrentHashMap<>();

    private final ReentrantLock thread;
    private final FileChannel channel;

    private NetworkLock(ReentrantLock thread, FileChannel channel) {
        this.thread = thread;
        this.channel = channel;
    }

    static NetworkLock take(Path file) {
        ReentrantLock thread = THREADS.computeIfAbsent(file.toAbsolutePath().normalize(), f -> new ReentrantLock());
        thread.lock();
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            try {
                channel.lock();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            return new NetworkLock(thread, channel);
        } catch (IOException e) {
            thread.unlock();
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close(); // releases the fcntl lock
        } catch (IOException ignored) {
            // nothing was written through it
        } finally {
            thread.unlock();
        }
    }
}
