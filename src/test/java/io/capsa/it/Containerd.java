package io.capsa.it;

import java.util.ArrayList;
import java.util.List;

/**
 * containerd on a private root, state directory and sockets, without its CRI plugin, driven by ctr in a
 * namespace named like the suite's cgroups (ctr puts each container's cgroup under /NAMESPACE/ID).
 * ctr run --runc-binary picks the runtime, and --runc-root keeps the runtime's state in the engine's dir.
 */
final class Containerd extends Engine {
    static final String IMAGE = "docker.io/" + BusyboxImage.NAME;

    Containerd() {
        super("containerd");
    }

    @Override
    void start() {
        write("config.toml", """
                version = 2
                root = "%s"
                state = "%s"
                disabled_plugins = ["io.containerd.grpc.v1.cri"]
                [grpc]
                  address = "%s"
                [ttrpc]
                  address = "%s"
                [debug]
                  address = "%s"
                """.formatted(path("root"), path("state"), path("containerd.sock"), path("containerd.sock.ttrpc"),
                path("debug.sock")));
        startDaemon("containerd", List.of("containerd", "--config", path("config.toml").toString()), "version");
        ok("images", "import", BusyboxImage.archive(dir).toString());
    }

    @Override
    List<String> client() {
        return List.of("ctr", "--address", path("containerd.sock").toString(), "--namespace", cgroupParent);
    }

    /** ctr run with the runtime; the arguments are run's options, then the id and the command (on IMAGE). */
    Cli.Result run(String runtime, List<String> options, String id, List<String> command) {
        List<String> args = new ArrayList<>(List.of("run", "--runc-binary", runtime.equals("capsa") ? Cli.CAPSA.toString() : runtime,
                "--runc-root", path("runtime-" + runtime).toString()));
        args.addAll(options);
        args.add(IMAGE);
        args.add(id);
        args.addAll(command);
        return cli(args.toArray(String[]::new));
    }

    /** A task running SERVICE in the background, its output in the file log. */
    void runDetached(String runtime, String id) {
        Cli.Result r = run(runtime, List.of("-d", "--log-uri", "file://" + log(id)), id, SERVICE);
        if (r.exit() != 0) throw new AssertionError("run -d failed:\n" + r);
    }

    String log(String id) {
        return path(id + ".log").toString();
    }

    /** The task's pid and status, as ctr task ls shows them (empty when there is no task). */
    List<String> task(String id) {
        return ok("task", "ls").lines().map(l -> l.split("\\s+")).filter(f -> f[0].equals(id))
                .findFirst().map(f -> List.of(f[1], f[2])).orElse(List.of());
    }

    @Override
    void removeAllContainers() {
        for (String id : ok("task", "ls", "-q").lines().filter(l -> !l.isBlank()).toList()) ok("task", "delete", "--force", id);
        for (String id : ok("containers", "ls", "-q").lines().filter(l -> !l.isBlank()).toList()) ok("containers", "delete", id);
    }
}
