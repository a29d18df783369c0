package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;

/** docker pause and unpause: the container's processes frozen (its cgroup's freezer) or thawed. */
final class PauseCommand extends ContainerVerb {
    private final boolean pause;

    PauseCommand(String names, boolean pause) {
        super(names);
        this.pause = pause;
    }

    @Override
    public Usage usage() {
        return new Usage(pause ? "Pause all processes within one or more containers" : "Unpause all processes within one or more containers",
                "CONTAINER [CONTAINER...]");
    }

    @Override
    void apply(Engine engine, ContainerRecord record, Args args) {
        engine.pause(record, pause);
    }
}
