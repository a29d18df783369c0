package io.capsa.image;

import java.util.List;
import java.util.Map;

/** A reference to a blob: its media type, digest and size; platform only in an index (else null). */
public record Descriptor(String mediaType, Digest digest, long size, Platform platform, List<String> urls,
                         Map<String, String> annotations) {
    public Descriptor(String mediaType, Digest digest, long size) {
        this(mediaType, digest, size, null, List.of(), Map.of());
    }
}
