package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;

final class RunCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Create and start a container, and wait for it unless detached.", "ID",
                CreateFlags.and(Flag.ofBoolean("-d, --detach", "Return once the container has started")));
    }

    @Override
    public int run(Main main, Args args) {
        return main.containers().run(args.arg(0), CreateFlags.options(args), args.flag("--detach"));
    }
}
