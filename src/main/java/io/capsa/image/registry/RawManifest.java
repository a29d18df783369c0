package io.capsa.image.registry;

import io.capsa.image.Descriptor;
import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.ImageIndex;
import io.capsa.image.Manifest;
import io.capsa.image.Manifests;
import io.capsa.image.MediaTypes;

/**
 * A manifest or index as the registry holds it: the exact bytes, which its digest covers and which a push
 * sends unchanged; {@code name} says where it came from, for errors.
 */
public record RawManifest(String name, Descriptor descriptor, byte[] bytes) {
    /** Fetched or stored bytes, of the media type {@link Manifests#mediaType} finds (given the Content-Type). */
    static RawManifest of(byte[] bytes, Digest digest, String contentType, String name) {
        try {
            return new RawManifest(name, new Descriptor(Manifests.mediaType(bytes, contentType, name), digest, bytes.length), bytes);
        } catch (ImageException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(descriptor.mediaType());
    }

    public ImageIndex index() {
        try {
            return Manifests.index(bytes, name);
        } catch (ImageException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }

    public Manifest image() {
        try {
            return Manifests.manifest(bytes, name);
        } catch (ImageException e) {
            throw new RegistryException(e.getMessage(), e);
        }
    }
}
