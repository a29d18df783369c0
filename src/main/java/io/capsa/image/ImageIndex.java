package io.capsa.image;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** An OCI image index or a Docker manifest list: one manifest per platform. */
public record ImageIndex(String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {
    /**
     * The image manifest for a platform, by {@link Platform#matches}; {@code name} names the index in the error.
     * Entries of os "unknown" (attestations) and nested indexes are passed over.
     */
    public Descriptor select(Platform wanted, String name) {
        List<String> offered = new ArrayList<>();
        for (Descriptor entry : manifests) {
            Platform p = entry.platform();
            if (p == null || p.os().equals("unknown")) continue; // attestations and other artifacts, not images
            if (wanted.matches(p) && !MediaTypes.isIndex(entry.mediaType())) return entry;
            if (!offered.contains(p.toString())) offered.add(p.toString());
        }
        throw new ImageException("no image for " + wanted + " in " + name
                + (offered.isEmpty() ? "; it names no platform" : "; it has " + String.join(", ", offered)));
    }
}
