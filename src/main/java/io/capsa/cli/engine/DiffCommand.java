package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.engine.Engine;
import io.capsa.engine.files.ContainerChanges;

/** docker diff: the container's changes to its image's files, one "A|C|D PATH" a line. */
final class DiffCommand implements Command {
    @Override
    public String names() {
        return "diff";
    }

    @Override
    public Usage usage() {
        return new Usage("Inspect changes to files or directories on a container's filesystem", "CONTAINER");
    }

    @Override
    public int run(Globals globals, Args args) {
        Engine engine = globals.engine();
        StringBuilder out = new StringBuilder();
        for (ContainerChanges.Change c : new ContainerChanges(engine).diff(engine.find(args.arg(0))))
            out.append(c.kind()).append(' ').append(c.path()).append('\n');
        return Main.print(out.toString());
    }
}
