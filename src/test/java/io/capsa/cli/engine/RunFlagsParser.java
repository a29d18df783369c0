package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.engine.config.HostConfig;

import java.util.ArrayList;
import java.util.List;

/** A HostConfig from run flags, for the engine's tests. */
public final class RunFlagsParser {
    private RunFlagsParser() {}

    public static HostConfig hostConfig(String... flags) {
        List<String> argv = new ArrayList<>(List.of(flags));
        argv.add("busybox");
        Usage usage = new Usage("run", "IMAGE [COMMAND] [ARG...]", RunFlags.flags()).endOptionsAtFirstArgument();
        return RunFlags.request(new Args(usage).parse(argv)).hostConfig();
    }
}
