package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.linux.Signals;

/** docker kill: a signal (SIGKILL unless -s) to each container's init. */
final class KillCommand extends ContainerVerb {
    KillCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Kill one or more running containers", "CONTAINER [CONTAINER...]",
                Flag.ofText("-s, --signal", "SIGNAL", "Signal to send").orElse("KILL"));
    }

    @Override
    void apply(Engine engine, ContainerRecord record, Args args) {
        engine.kill(record, Signals.parse(args.value("--signal")));
    }
}
