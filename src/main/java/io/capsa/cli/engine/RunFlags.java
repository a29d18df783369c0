package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.engine.config.ContainerConfig;
import io.capsa.engine.config.CreateRequest;
import io.capsa.engine.config.HostConfig;
import io.capsa.engine.config.RestartPolicy;

import java.util.List;
import java.util.Map;

/** STUB until runspec lands. */
final class RunFlags {
    private RunFlags() {}

    static Flag[] flags() {
        return new Flag[] {
                Flag.ofBoolean("-d, --detach", "Run in the background and print the container's ID"),
                Flag.ofBoolean("-i, --interactive", "Keep stdin open"),
                Flag.ofBoolean("-t, --tty", "Allocate a terminal"),
                Flag.ofBoolean("--rm", "Remove the container when it exits"),
                Flag.ofText("--name", "NAME", "The container's name"),
                Flag.ofText("--restart", "POLICY", "no, on-failure[:N], always, unless-stopped").orElse("no")};
    }

    static CreateRequest request(Args args) {
        String restart = args.value("--restart");
        int colon = restart.indexOf(':');
        RestartPolicy policy = colon < 0 ? new RestartPolicy(restart, 0) : new RestartPolicy(restart.substring(0, colon), Integer.parseInt(restart.substring(colon + 1)));
        return new CreateRequest(args.value("--name"), new ContainerConfig(args.arg(0), args.argsFrom(1), List.of(), List.of(), "",
                args.flag("--tty"), args.flag("--interactive"), null, null, Map.of()),
                new HostConfig(args.flag("--rm"), policy, "none", "", "", ""));
    }
}
