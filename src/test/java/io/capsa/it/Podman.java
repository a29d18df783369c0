package io.capsa.it;

import java.util.List;

/**
 * podman on a private store (graph root, run root, temp dir, file locks, events log, network config),
 * with cgroupfs and capsa given by path at run. Its containers get a private cgroup parent.
 */
final class Podman extends DockerCompatible {
    Podman() {
        super("podman");
    }

    @Override
    void start() {
        write("storage.conf", """
                [storage]
                driver = "overlay"
                graphroot = "%s"
                runroot = "%s"
                """.formatted(path("root"), path("runroot")));
        // default_ulimits: as root, podman gives containers nofile and nproc limits of 1048576. Above the
        // hard limit a runtime needs CAP_SYS_RESOURCE to set them, which some hosts do not grant (runc and
        // crun fail there as capsa does), so the containers get limits below any hard limit the tests meet.
        write("containers.conf", """
                [containers]
                default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                events_logfile_path = "%s"
                lock_type = "file"
                tmp_dir = "%s"
                static_dir = "%s"
                volume_path = "%s"
                network_config_dir = "%s"
                """.formatted(path("events.log"), path("tmp"), path("root/libpod"), path("root/volumes"), path("networks")));
        env.put("CONTAINERS_CONF", path("containers.conf").toString());
        env.put("CONTAINERS_STORAGE_CONF", path("storage.conf").toString());
        ok("load", "-i", BusyboxImage.archive(dir).toString());
    }

    @Override
    List<String> client() {
        return List.of("podman", "--root", path("root").toString(), "--runroot", path("runroot").toString(),
                "--cgroup-manager", "cgroupfs", "--events-backend", "file");
    }

    /** capsa by path; runc by name, which podman finds through containers.conf's default runtime table. */
    @Override
    List<String> runtimeOptions(String runtime) {
        String path = runtime.equals("capsa") ? Cli.CAPSA.toString() : runtime;
        return List.of("--runtime", path, "--cgroup-parent", "/" + cgroupParent);
    }

    @Override
    String pidsField() {
        return "{{.PIDS}}";
    }

    /**
     * After an OOM kill, podman 4.3 leaves State.OOMKilled false, with runc too: conmon 2.1 writes its oom
     * file into its working directory (podman's), where podman does not read it. The exit code 137 shows it.
     */
    @Override
    boolean reportsOomKills() {
        return false;
    }
}
