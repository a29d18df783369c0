package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;

/** docker stop and docker restart: the stop signal, SIGKILL after -t seconds; restart starts it again. */
final class StopCommand extends ContainerVerb {
    private final boolean restart;

    StopCommand(String names, boolean restart) {
        super(names);
        this.restart = restart;
    }

    @Override
    public Usage usage() {
        return new Usage(restart ? "Restart one or more containers" : "Stop one or more running containers", "CONTAINER [CONTAINER...]",
                Flag.ofInt("-t, --time", "SECONDS", "Seconds to wait before killing the container"));
    }

    @Override
    void apply(Engine engine, ContainerRecord record, Args args) {
        Integer timeout = args.value("--time") == null ? null : args.intValue("--time");
        if (restart) engine.restart(record, timeout);
        else engine.stop(record, timeout);
    }
}
