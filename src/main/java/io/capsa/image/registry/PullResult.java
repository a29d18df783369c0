package io.capsa.image.registry;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.Platform;
import io.capsa.image.reference.Reference;

import java.util.List;

/**
 * What a pull stored in the sink: the image manifest chosen for the platform, its config and layers (in
 * order, lowest first), and the index it was chosen from when the reference named one (else null).
 */
public record PullResult(Reference reference, Platform platform, Descriptor index, Descriptor manifest,
                         Descriptor config, List<Descriptor> layers) {
    /** The digest the reference's tag names in the registry: the index's if there is one. */
    public Digest digest() {
        return (index != null ? index : manifest).digest();
    }
}
