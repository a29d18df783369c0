package io.capsa.image.registry;

import io.capsa.image.reference.Digests;
import io.capsa.image.reference.ReferenceException;
import io.capsa.spec.Node;

/**
 * A pointer to content, as manifests hold them: what it is, its digest and size, and for an index entry its
 * platform (else null).
 */
public record Descriptor(String mediaType, String digest, long size, Platform platform) {
    static Descriptor of(Node node) {
        String digest = node.get("digest").requiredString();
        try {
            Digests.check(digest);
        } catch (ReferenceException e) {
            throw node.get("digest").error(e.getMessage());
        }
        Node p = node.get("platform");
        Platform platform = p.missing() ? null : new Platform(p.get("os").string(""), p.get("architecture").string(""),
                p.get("variant").string(""));
        long size = node.get("size").integer(-1, 0, Long.MAX_VALUE);
        if (size < 0) throw node.get("size").error("is required");
        return new Descriptor(node.get("mediaType").string(""), digest, size, platform);
    }
}
