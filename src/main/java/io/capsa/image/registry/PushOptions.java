package io.capsa.image.registry;

/**
 * How blobs go up.
 *
 * @param chunkSize  0 for one PUT per blob; else PATCH requests of this many bytes, then the closing PUT
 * @param mountFrom  a repository of the same registry ({@code library/busybox}) that may hold the blobs
 *                   already: each is first offered as a cross-repository mount from it; null for none
 */
public record PushOptions(long chunkSize, String mountFrom) {
    public static final PushOptions MONOLITHIC = new PushOptions(0, null);

    public PushOptions {
        if (chunkSize < 0) throw new IllegalArgumentException("chunkSize must not be negative");
    }
}
