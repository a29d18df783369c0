package io.capsa.image.registry;

import io.capsa.image.Digest;
import io.capsa.image.MediaTypes;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An OCI image layout that umoci makes and the test extends by hand (indexes, zstd and plain tar layers), pushed
 * with skopeo: test images from tools that are not capsa. Its blob directory doubles as a push source.
 */
final class TestLayout {
    final Path dir;

    TestLayout(Path dir) {
        this.dir = dir;
        Tools.run("umoci", "init", "--layout", dir.toString());
    }

    /** A umoci image with one gzip layer per file, at the root under the file's own name. */
    TestLayout image(String tag, Path... files) {
        Tools.run("umoci", "new", "--image", dir + ":" + tag);
        for (Path f : files) Tools.run("umoci", "insert", "--image", dir + ":" + tag, f.toString(), "/" + f.getFileName());
        return this;
    }

    /**
     * As {@link #image}, but each layer made by {@code umoci repack}, for tests that unpack the layers: umoci insert
     * leaves out the padding of the last entry and the archive's end, which tar refuses too.
     */
    TestLayout repacked(String tag, Path... files) throws IOException {
        Tools.run("umoci", "new", "--image", dir + ":" + tag);
        Path bundle = dir.resolveSibling(dir.getFileName() + "-bundle");
        for (Path f : files) {
            Tools.run("umoci", "unpack", "--image", dir + ":" + tag, bundle.toString());
            Files.copy(f, bundle.resolve("rootfs").resolve(f.getFileName()));
            Tools.run("umoci", "repack", "--image", dir + ":" + tag, bundle.toString());
            Tools.deleteTree(bundle);
        }
        return this;
    }

    /** A copy of an image under a new tag for another architecture (its config says so; the index entry matters). */
    TestLayout forArchitecture(String tag, String architecture, String newTag) {
        Tools.run("umoci", "config", "--image", dir + ":" + tag, "--architecture", architecture,
                "--config.cmd", "/bin/" + newTag, "--tag", newTag);
        return this;
    }

    Map<String, Object> manifestEntry(String tag) throws IOException {
        for (Object o : (List<?>) index().get("manifests")) {
            Map<String, Object> d = cast(o);
            Map<String, Object> annotations = cast(d.get("annotations"));
            if (annotations != null && tag.equals(annotations.get("org.opencontainers.image.ref.name"))) return d;
        }
        throw new AssertionError("no tag " + tag + " in " + dir);
    }

    Digest digest(String tag) throws IOException {
        return Digest.parse((String) manifestEntry(tag).get("digest"));
    }

    /** An OCI index over tagged images, each with its platform ({@code os/arch[/variant]}), tagged itself. */
    String index(String tag, String... tagAndPlatform) throws IOException {
        List<Object> manifests = new ArrayList<>();
        for (int i = 0; i < tagAndPlatform.length; i += 2) {
            Map<String, Object> d = new LinkedHashMap<>(manifestEntry(tagAndPlatform[i]));
            d.remove("annotations");
            String[] p = tagAndPlatform[i + 1].split("/");
            Map<String, Object> platform = new LinkedHashMap<>();
            platform.put("architecture", p[1]);
            platform.put("os", p[0]);
            if (p.length > 2) platform.put("variant", p[2]);
            d.put("platform", platform);
            manifests.add(d);
        }
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", MediaTypes.OCI_INDEX);
        index.put("manifests", manifests);
        return tag(tag, MediaTypes.OCI_INDEX, JSON.std.asBytes(index));
    }

    /** An image with the given layer blobs (media type and bytes, and the digest of each uncompressed tar). */
    String handMade(String tag, String architecture, List<Object[]> layers) throws IOException {
        List<Object> layerDescriptors = new ArrayList<>();
        List<Object> diffIds = new ArrayList<>();
        for (Object[] l : layers) {
            layerDescriptors.add(descriptor((String) l[0], (byte[]) l[1]));
            diffIds.add(l[2]);
        }
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", architecture);
        config.put("os", "linux");
        config.put("config", Map.of("Cmd", List.of("/bin/sh")));
        config.put("rootfs", Map.of("type", "layers", "diff_ids", diffIds));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.put("config", descriptor(MediaTypes.OCI_CONFIG, JSON.std.asBytes(config)));
        manifest.put("layers", layerDescriptors);
        return tag(tag, MediaTypes.OCI_MANIFEST, JSON.std.asBytes(manifest));
    }

    Map<String, Object> descriptor(String mediaType, byte[] content) throws IOException {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", addBlob(content));
        d.put("size", content.length);
        return d;
    }

    String addBlob(byte[] content) throws IOException {
        Digest digest = Digest.of(content);
        Files.write(dir.resolve("blobs/sha256/" + digest.hex()), content);
        return digest.toString();
    }

    private String tag(String tag, String mediaType, byte[] content) throws IOException {
        Map<String, Object> entry = descriptor(mediaType, content);
        entry.put("annotations", Map.of("org.opencontainers.image.ref.name", tag));
        Map<String, Object> index = index();
        List<Object> manifests = new ArrayList<>((List<?>) index.get("manifests"));
        manifests.add(entry);
        index.put("manifests", manifests);
        Files.write(dir.resolve("index.json"), JSON.std.asBytes(index));
        return (String) entry.get("digest");
    }

    private Map<String, Object> index() throws IOException {
        return new LinkedHashMap<>(JSON.std.mapFrom(Files.readString(dir.resolve("index.json"))));
    }

    /** Copies a tag (with --all: an index and every image of it) to a registry with skopeo. */
    void push(String tag, String target, String... flags) {
        List<String> command = new ArrayList<>(List.of("skopeo", "copy", "-q", "--dest-tls-verify=false"));
        command.addAll(List.of(flags));
        command.add("oci:" + dir + ":" + tag);
        command.add("docker://" + target);
        Tools.run(command.toArray(String[]::new));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
