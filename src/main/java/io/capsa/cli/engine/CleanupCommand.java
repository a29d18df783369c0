package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;

/**
 * capsa container cleanup ID: what a container's monitor runs when the container has exited (as conmon runs
 * `podman container cleanup`): the exit recorded, then --rm or the restart policy applied.
 */
final class CleanupCommand implements Command {
    @Override
    public String names() {
        return "cleanup";
    }

    @Override
    public Usage usage() {
        return new Usage("Clean up an exited container (run by its monitor)", "CONTAINER");
    }

    @Override
    public int run(Globals globals, Args args) {
        globals.engine().cleanup(globals.engine().find(args.arg(0)).id());
        return Exit.OK;
    }
}
