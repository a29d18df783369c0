package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;

final class StartCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Start a created container's program.", "ID");
    }

    @Override
    public int run(Main main, Args args) {
        main.containers().start(args.arg(0));
        return Exit.OK;
    }
}
