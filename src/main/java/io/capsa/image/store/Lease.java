package io.capsa.image.store;

/**
 * Held while something adds to the store (an ingest, an unpack, a whole pull), so that the garbage collector,
 * which takes the same lock exclusively, never removes a blob or layer that no image record names yet.
 */
public interface Lease extends AutoCloseable {
    @Override
    void close();
}
