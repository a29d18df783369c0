package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;

/** docker rm: each container removed, a running one only with -f (killed first). */
final class RmCommand extends ContainerVerb {
    RmCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Remove one or more containers", "CONTAINER [CONTAINER...]",
                Flag.ofBoolean("-f, --force", "Force the removal of a running container (uses SIGKILL)"),
                Flag.ofBoolean("-v, --volumes", "Remove anonymous volumes associated with the container"));
    }

    @Override
    void apply(Engine engine, ContainerRecord record, Args args) {
        engine.remove(record, args.flag("--force"), args.flag("--volumes"));
    }
}
