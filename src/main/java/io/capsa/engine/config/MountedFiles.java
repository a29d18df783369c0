package io.capsa.engine.config;

import io.capsa.spec.Json;
import io.capsa.spec.Node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The host files and directories a container's config.json bind-mounts, by destination: what a container joining
 * its network or IPC namespace shares with it, as Docker's does (its /etc/hostname, /etc/hosts and
 * /etc/resolv.conf, and its /dev/shm when that is a host directory: a shareable container's, the host's, or one it
 * shares itself), and the paths inspect shows. They are its own files, a user's mount, or another container's.
 */
public final class MountedFiles {
    private final Map<String, String> binds = new HashMap<>();

    private MountedFiles(Path containerDir) {
        Path config = containerDir.resolve("config.json");
        if (!Files.exists(config)) return;
        for (Node m : Json.read(config).get("mounts").list()) {
            if (m.get("type").string("").equals("bind")) binds.put(m.get("destination").requiredString(), m.get("source").requiredString());
        }
    }

    /** The binds of the container in containerDir, as it was last started (none before its first start). */
    public static MountedFiles of(Path containerDir) {
        return new MountedFiles(containerDir);
    }

    /** The host file or directory bind-mounted at destination, or null. */
    public String source(String destination) {
        return binds.get(destination);
    }

    /** Its hostname, as its /etc/hostname has it ("" when it mounts none). */
    String hostname() {
        String file = source("/etc/hostname");
        return file == null ? "" : EtcFiles.readOrEmpty(Path.of(file)).strip();
    }
}
