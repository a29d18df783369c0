package io.capsa.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The tests' busybox rootfs as a docker-archive (the format `docker save` writes), made without a registry:
 * one layer (a tar of the rootfs), an image config naming the layer's digest, and a manifest.json. docker
 * load, podman load and ctr images import all read it.
 */
final class BusyboxImage {
    static final String NAME = "capsa-it/busybox:latest";

    private BusyboxImage() {}

    /** Writes the archive into dir and returns its path. */
    static Path archive(Path dir) {
        try {
            Path tree = Files.createDirectories(dir.resolve("image"));
            Path layer = tree.resolve("layer.tar");
            Command.ok(dir, Map.of(), List.of("tar", "-C", Bundle.rootfs().toString(), "-cf", layer.toString(), "."));
            String layerDigest = sha256(layer);
            Files.move(layer, Files.createDirectories(tree.resolve(layerDigest)).resolve("layer.tar"));
            String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Env\":"
                    + "[\"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\"],\"Cmd\":[\"sh\"]},"
                    + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + layerDigest + "\"]}}";
            Path configFile = tree.resolve("config.json");
            Files.writeString(configFile, config);
            String configName = sha256(configFile) + ".json";
            Files.move(configFile, tree.resolve(configName));
            Files.writeString(tree.resolve("manifest.json"), "[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"" + NAME
                    + "\"],\"Layers\":[\"" + layerDigest + "/layer.tar\"]}]");
            Path archive = dir.resolve("busybox.tar");
            Command.ok(dir, Map.of(), List.of("tar", "-C", tree.toString(), "-cf", archive.toString(), "."));
            return archive;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
