package io.capsa.image.registry;

import io.capsa.spec.Json;
import io.capsa.spec.Node;
import io.capsa.spec.SpecException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A manifest or index as the registry holds it: the exact bytes (which its digest covers) and what they say;
 * {@code name} says where it came from, for errors.
 */
public record Manifest(String name, Descriptor descriptor, byte[] bytes, Node json) {
    /**
     * Parses fetched or stored bytes. The media type is the document's own {@code mediaType}, else the
     * Content-Type it came with, else what its members show (OCI leaves {@code mediaType} optional).
     */
    static Manifest parse(byte[] bytes, String digest, String contentType, String name) {
        Node json;
        try {
            json = Json.parse(new String(bytes, StandardCharsets.UTF_8), name);
        } catch (SpecException e) {
            throw new RegistryException(e.getMessage());
        }
        if (json.get("schemaVersion").integer(0) == 1 || MediaTypes.DOCKER_SCHEMA1.equals(contentType))
            throw new RegistryException(name + ": a Docker schema 1 manifest, which capsa does not pull (push the image again with a current client)");
        String mediaType = json.get("mediaType").string("");
        if (mediaType.isEmpty() && (MediaTypes.isIndex(contentType) || MediaTypes.isManifest(contentType))) mediaType = contentType;
        if (mediaType.isEmpty()) mediaType = json.get("manifests").missing() ? MediaTypes.OCI_MANIFEST : MediaTypes.OCI_INDEX;
        if (!MediaTypes.isIndex(mediaType) && !MediaTypes.isManifest(mediaType))
            throw new RegistryException(name + ": media type " + mediaType + " is not an image manifest or index");
        return new Manifest(name, new Descriptor(mediaType, digest, bytes.length, null), bytes, json);
    }

    public boolean isIndex() {
        return MediaTypes.isIndex(descriptor.mediaType());
    }

    public List<Descriptor> entries() {
        return descriptors(json.get("manifests"));
    }

    public Descriptor config() {
        try {
            return Descriptor.of(json.get("config"));
        } catch (SpecException e) {
            throw new RegistryException(name + ": " + e.getMessage());
        }
    }

    public List<Descriptor> layers() {
        return descriptors(json.get("layers"));
    }

    private List<Descriptor> descriptors(Node array) {
        List<Descriptor> list = new ArrayList<>();
        try {
            for (Node n : array.list()) list.add(Descriptor.of(n));
        } catch (SpecException e) {
            throw new RegistryException(name + ": " + e.getMessage());
        }
        return list;
    }
}
