package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerStore;

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
        try {
            globals.engine().cleanup(args.arg(0));
        } catch (ContainerStore.NoSuchContainerException e) {
            // removed already: by rm -f, whose kill made the monitor run this
        }
        return Exit.OK;
    }
}
