package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.engine.config.ContainerConfig;
import io.capsa.engine.config.CreateRequest;
import io.capsa.engine.config.HostConfig;

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
        Map<String, Object> config = new java.util.HashMap<>();
        config.put("Image", args.arg(0));
        if (args.argsFrom(1).size() > 0) config.put("Cmd", args.argsFrom(1));
        config.put("Tty", args.flag("--tty"));
        config.put("OpenStdin", args.flag("--interactive"));
        Map<String, Object> host = new java.util.HashMap<>();
        host.put("AutoRemove", args.flag("--rm"));
        host.put("NetworkMode", "none");
        host.put("RestartPolicy", Map.of("Name", colon < 0 ? restart : restart.substring(0, colon),
                "MaximumRetryCount", colon < 0 ? 0 : Integer.parseInt(restart.substring(colon + 1))));
        return new CreateRequest(args.value("--name"), ContainerConfig.fromJson(config), HostConfig.fromJson(host));
    }
}
