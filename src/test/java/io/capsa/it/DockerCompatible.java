package io.capsa.it;

import java.util.ArrayList;
import java.util.List;

/** An engine with docker's command line (dockerd's client, podman): the same cases run against both. */
abstract class DockerCompatible extends Engine {
    DockerCompatible(String name) {
        super(name);
    }

    /** The options of run that choose the runtime ("capsa" or "runc") for the new container. */
    abstract List<String> runtimeOptions(String runtime);

    /** The stats template field that holds the number of processes (docker and podman spell it differently). */
    abstract String pidsField();

    /** Whether --privileged can work on this host with any runtime (see the engines' overrides). */
    boolean privilegedPossible() {
        return true;
    }

    /** Whether inspect's State.OOMKilled tells an OOM kill (see the engines' overrides). */
    boolean reportsOomKills() {
        return true;
    }

    /** `run` with the runtime, without a network unless the arguments name one. */
    Cli.Result run(String runtime, String... args) {
        List<String> command = new ArrayList<>(List.of("run"));
        command.addAll(runtimeOptions(runtime));
        if (List.of(args).stream().noneMatch(a -> a.startsWith("--net"))) command.addAll(List.of("--network", "none"));
        command.addAll(List.of(args));
        return cli(command.toArray(String[]::new));
    }

    /** A detached container running SERVICE. */
    void runDetached(String runtime, String name, String... options) {
        List<String> args = new ArrayList<>(List.of("-d", "--name", name));
        args.addAll(List.of(options));
        args.add(BusyboxImage.NAME);
        args.addAll(SERVICE);
        Cli.Result r = run(runtime, args.toArray(String[]::new));
        if (r.exit() != 0) throw new AssertionError("run -d failed:\n" + r);
    }

    String inspect(String name, String template) {
        return ok("inspect", "-f", template, name).strip();
    }

    @Override
    void removeAllContainers() {
        List<String> ids = ok("ps", "-aq").lines().filter(l -> !l.isBlank()).toList();
        if (ids.isEmpty()) return;
        List<String> rm = new ArrayList<>(List.of("rm", "-f"));
        rm.addAll(ids);
        ok(rm.toArray(String[]::new));
    }
}
