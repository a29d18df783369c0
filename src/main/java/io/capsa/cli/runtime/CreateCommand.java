package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;

final class CreateCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Create a container; its program waits for `start`.", "ID", CreateFlags.and());
    }

    @Override
    public int run(Main main, Args args) {
        main.containers().create(args.arg(0), CreateFlags.options(args));
        return Exit.OK;
    }
}
