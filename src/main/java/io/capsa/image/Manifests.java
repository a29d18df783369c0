package io.capsa.image;

import io.capsa.spec.Json;
import io.capsa.spec.Node;
import io.capsa.spec.SpecException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses manifests, indexes and configs of both OCI and Docker schema2 (the same shapes under other media
 * types). Errors name the document and the field: "manifest sha256:...: layers[1].digest: is required".
 */
public final class Manifests {
    private Manifests() {}

    /**
     * The media type a manifest or index names itself by; else the Content-Type it came with ({@code contentType},
     * null if none); else what its members show (OCI leaves {@code mediaType} optional). Refuses Docker's schema 1
     * and what is no manifest or index.
     */
    public static String mediaType(byte[] json, String contentType, String name) {
        Node root = parse(json, name);
        try {
            if (root.get("schemaVersion").integer(0) == 1 || MediaTypes.DOCKER_SCHEMA1.equals(contentType))
                throw new ImageException(name + ": a Docker schema 1 manifest, which capsa does not pull (push the image again with a current client)");
            String type = root.get("mediaType").string("");
            if (type.isEmpty() && (MediaTypes.isIndex(contentType) || MediaTypes.isManifest(contentType))) type = contentType;
            if (type.isEmpty()) type = root.get("manifests").missing() ? MediaTypes.OCI_MANIFEST : MediaTypes.OCI_INDEX;
            if (!MediaTypes.isIndex(type) && !MediaTypes.isManifest(type))
                throw new ImageException(name + ": media type " + type + " is not an image manifest or index");
            return type;
        } catch (SpecException e) {
            throw new ImageException(name + ": " + e.getMessage());
        }
    }

    public static Manifest manifest(byte[] json, String name) {
        Node root = parse(json, name);
        try {
            String type = root.get("mediaType").string(MediaTypes.OCI_MANIFEST);
            if (!MediaTypes.isManifest(type)) throw root.get("mediaType").error("not an image manifest: " + type);
            long version = root.get("schemaVersion").integer(2);
            if (version != 2) throw root.get("schemaVersion").error("unsupported schema version " + version);
            List<Descriptor> layers = new ArrayList<>();
            for (Node layer : root.get("layers").list()) layers.add(descriptor(layer));
            return new Manifest(type, descriptor(root.get("config")), List.copyOf(layers),
                    stringMap(root.get("annotations")));
        } catch (SpecException e) {
            throw new ImageException(name + ": " + e.getMessage());
        }
    }

    public static ImageIndex index(byte[] json, String name) {
        Node root = parse(json, name);
        try {
            String type = root.get("mediaType").string(MediaTypes.OCI_INDEX);
            if (!MediaTypes.isIndex(type)) throw root.get("mediaType").error("not an image index: " + type);
            List<Descriptor> manifests = new ArrayList<>();
            for (Node m : root.get("manifests").list()) manifests.add(descriptor(m));
            return new ImageIndex(type, List.copyOf(manifests), stringMap(root.get("annotations")));
        } catch (SpecException e) {
            throw new ImageException(name + ": " + e.getMessage());
        }
    }

    public static ImageConfig config(byte[] json, String name) {
        Node root = parse(json, name);
        try {
            Node c = root.get("config");
            Node rootfs = root.get("rootfs");
            String fsType = rootfs.get("type").string("layers");
            if (!fsType.equals("layers")) throw rootfs.get("type").error("expected \"layers\", not " + fsType);
            List<Digest> diffIds = new ArrayList<>();
            for (Node d : rootfs.get("diff_ids").list()) diffIds.add(digest(d));
            return new ImageConfig(root.get("os").string(""), root.get("architecture").string(""),
                    root.get("variant").string(""), root.get("created").string(""), c.get("User").string(""),
                    c.get("Env").strings(), c.get("Entrypoint").strings(), c.get("Cmd").strings(),
                    c.get("WorkingDir").string(""), c.get("StopSignal").string(""), stringMap(c.get("Labels")),
                    List.copyOf(c.get("Volumes").entries().keySet()),
                    List.copyOf(c.get("ExposedPorts").entries().keySet()), List.copyOf(diffIds));
        } catch (SpecException e) {
            throw new ImageException(name + ": " + e.getMessage());
        }
    }

    private static Node parse(byte[] json, String name) {
        try {
            Node root = Json.parse(new String(json, StandardCharsets.UTF_8), name);
            root.entries(); // an object, or the error says so
            return root;
        } catch (SpecException e) {
            throw new ImageException(e.getMessage().startsWith(name) ? e.getMessage() : name + ": " + e.getMessage());
        }
    }

    private static Descriptor descriptor(Node n) {
        long size = n.get("size").integer(-1, 0, Long.MAX_VALUE);
        if (size < 0) throw n.get("size").error("is required");
        Node p = n.get("platform");
        Platform platform = p.missing() ? null : new Platform(p.get("os").string(""),
                p.get("architecture").string(""), p.get("variant").string(""));
        return new Descriptor(n.get("mediaType").requiredString(), digest(n.get("digest")), size, platform,
                n.get("urls").strings(), stringMap(n.get("annotations")));
    }

    private static Digest digest(Node n) {
        try {
            return Digest.parse(n.requiredString());
        } catch (ImageException e) {
            throw n.error(e.getMessage());
        }
    }

    private static Map<String, String> stringMap(Node n) {
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, Node> e : n.entries().entrySet()) map.put(e.getKey(), e.getValue().string(""));
        return Map.copyOf(map);
    }
}
