package io.capsa.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * dockerd on a private data root, exec root and socket, with capsa registered as the runtime "capsa"; it
 * starts and stops its own containerd (root and state under the data and exec roots). No bridge and no
 * iptables: the containers run with --network none.
 */
final class Dockerd extends DockerCompatible {
    Dockerd() {
        super("dockerd");
    }

    @Override
    void start() {
        write("daemon.json", """
                {"runtimes": {"capsa": {"path": "%s"}},
                 "exec-opts": ["native.cgroupdriver=cgroupfs"], "cgroup-parent": "/%s",
                 "iptables": false, "ip6tables": false, "ip-masq": false, "bridge": "none",
                 "storage-driver": "overlay2", "log-driver": "json-file"}
                """.formatted(Cli.CAPSA, cgroupParent));
        env.put("DOCKER_HOST", "unix://" + path("docker.sock"));
        env.put("DOCKER_CONFIG", path("client").toString());
        startDaemon("dockerd", List.of("dockerd", "--config-file", path("daemon.json").toString(),
                "--data-root", path("data").toString(), "--exec-root", path("exec").toString(),
                "-H", "unix://" + path("docker.sock"), "--pidfile", path("dockerd.pid").toString()), "version");
        ok("load", "-i", BusyboxImage.archive(dir).toString());
    }

    /** Debian's client (docker.io), the same version as the daemon, whatever else is on the PATH. */
    @Override
    List<String> client() {
        return List.of("/usr/bin/docker");
    }

    @Override
    List<String> runtimeOptions(String runtime) {
        return List.of("--runtime", runtime);
    }

    @Override
    String pidsField() {
        return "{{.PIDs}}";
    }

    /**
     * docker --privileged asks for every capability the kernel knows (cap_last_cap), not those the daemon
     * holds: where the host's bounding set lacks one (e.g. CAP_SYS_RESOURCE in some sandboxes), runc fails
     * with "unable to apply caps" as well, so the case says nothing about the runtime there.
     */
    @Override
    boolean privilegedPossible() {
        try {
            int last = Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/cap_last_cap")).strip());
            String bounding = Files.readString(Path.of("/proc/self/status")).lines()
                    .filter(l -> l.startsWith("CapBnd:")).findFirst().orElseThrow().substring(7).strip();
            return Long.parseUnsignedLong(bounding, 16) == (last == 63 ? -1L : (1L << (last + 1)) - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
