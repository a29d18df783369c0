package io.capsa.it;

import com.fasterxml.jackson.jr.ob.JSON;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bundle over the shared busybox rootfs (built once by bin/make-busybox-bundle, read-only in every
 * container), with capsa's default config.json changed through small setters.
 */
final class Bundle {
    private static final Path BASE = Cli.HOME.resolve("target/it/busybox");
    private final Path dir;
    private final Map<String, Object> config;

    private Bundle(Path dir, Map<String, Object> config) {
        this.dir = dir;
        this.config = config;
    }

    static synchronized Path rootfs() {
        Path rootfs = BASE.resolve("rootfs");
        if (!Files.exists(BASE.resolve("config.json"))) {
            try {
                Process p = new ProcessBuilder(Cli.HOME.resolve("bin/make-busybox-bundle").toString(), BASE.toString())
                        .inheritIO().start();
                if (p.waitFor() != 0) throw new AssertionError("bin/make-busybox-bundle failed");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        return rootfs;
    }

    @SuppressWarnings("unchecked")
    static Bundle create(Path dir, String... args) {
        try {
            Files.createDirectories(dir);
            Map<String, Object> config = (Map<String, Object>) (Map<?, ?>) JSON.std.mapFrom(
                    Files.readString(BASE.resolve("config.json")));
            Bundle b = new Bundle(dir, config);
            b.root().put("path", rootfs().toString());
            b.process().put("args", List.of(args));
            b.config.put("hostname", "capsa-test");
            return b.write();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A bundle as it is on disk, e.g. one with a root filesystem of its own. */
    @SuppressWarnings("unchecked")
    static Bundle load(Path dir) {
        try {
            return new Bundle(dir, (Map<String, Object>) (Map<?, ?>) JSON.std.mapFrom(Files.readString(dir.resolve("config.json"))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dir() {
        return dir;
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> process() {
        return (Map<String, Object>) config.get("process");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> root() {
        return (Map<String, Object>) config.get("root");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> linux() {
        return (Map<String, Object>) config.get("linux");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> namespaces() {
        return (List<Map<String, Object>>) linux().get("namespaces");
    }

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> mounts() {
        return (List<Map<String, Object>>) config.get("mounts");
    }

    Bundle set(String key, Object value) {
        config.put(key, value);
        return write();
    }

    Bundle args(String... args) {
        process().put("args", List.of(args));
        return write();
    }

    Bundle addNamespace(String type, String path) {
        List<Map<String, Object>> ns = new ArrayList<>(namespaces());
        ns.removeIf(n -> n.get("type").equals(type));
        Map<String, Object> n = new LinkedHashMap<>();
        n.put("type", type);
        if (path != null) n.put("path", path);
        ns.add(n);
        linux().put("namespaces", ns);
        return write();
    }

    Bundle addMount(String destination, String type, String source, String... options) {
        List<Map<String, Object>> mounts = new ArrayList<>(mounts());
        mounts.add(Map.of("destination", destination, "type", type, "source", source, "options", List.of(options)));
        config.put("mounts", mounts);
        return write();
    }

    /** Maps container ids 0..size-1 to host ids from hostId on, in a new user namespace. */
    Bundle userNamespace(long hostId, long size) {
        addNamespace("user", null);
        List<Map<String, Object>> map = List.of(Map.of("containerID", 0, "hostID", hostId, "size", size));
        linux().put("uidMappings", map);
        linux().put("gidMappings", map);
        return write();
    }

    Bundle write() {
        try {
            Files.writeString(dir.resolve("config.json"), JSON.std.asString(config));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
