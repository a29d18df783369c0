package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.Engine;
import io.capsa.spec.NamespaceType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * capsa ns enter: a command in a running container's namespaces, as `nsenter --target PID --root` with the
 * namespace flags given (all without any) runs it: as root with this command's environment, without the
 * container's seccomp filter or capability limits, but in the container's root and cgroups. Its flags are
 * nsenter's; they may follow the container, so a command with options of its own comes after `--`.
 */
final class NsEnterCommand extends AliasedCommand {
    /** Each flag, in nsenter's spelling, and the namespace it joins. */
    private static final Map<String, NamespaceType> FLAGS = Map.of("--mount", NamespaceType.MOUNT, "--uts", NamespaceType.UTS,
            "--ipc", NamespaceType.IPC, "--net", NamespaceType.NETWORK, "--pid", NamespaceType.PID, "--user", NamespaceType.USER,
            "--cgroup", NamespaceType.CGROUP, "--time", NamespaceType.TIME);

    NsEnterCommand() {
        super("enter");
    }

    @Override
    public Usage usage() {
        return new Usage("Run a command in a container's namespaces, root and cgroups, as nsenter --target", "CONTAINER COMMAND [ARG...]",
                Flag.ofBoolean("-m, --mount", "Enter the mount namespace"),
                Flag.ofBoolean("-u, --uts", "Enter the UTS namespace (hostname)"),
                Flag.ofBoolean("-i, --ipc", "Enter the IPC namespace"),
                Flag.ofBoolean("-n, --net", "Enter the network namespace"),
                Flag.ofBoolean("-p, --pid", "Enter the PID namespace"),
                Flag.ofBoolean("-U, --user", "Enter the user namespace"),
                Flag.ofBoolean("-C, --cgroup", "Enter the cgroup namespace"),
                Flag.ofBoolean("-T, --time", "Enter the time namespace"));
    }

    @Override
    public int run(Globals globals, Args args) {
        Set<NamespaceType> types = new HashSet<>();
        for (Map.Entry<String, NamespaceType> flag : FLAGS.entrySet()) if (args.flag(flag.getKey())) types.add(flag.getValue());
        if (types.isEmpty()) types = Set.of(NamespaceType.values());
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) env.add(e.getKey() + "=" + e.getValue());
        Engine engine = globals.engine();
        var record = engine.find(args.arg(0));
        Engine.EnterRequest request = new Engine.EnterRequest(args.argsFrom(1), types, env);
        return StartFailure.exitOf(() -> engine.enter(record, request));
    }
}
