package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;

final class DeleteCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Delete containers and everything they had.", "ID...",
                Flag.ofBoolean("-f, --force", "Kill a running container first"));
    }

    @Override
    public int run(Main main, Args args) {
        boolean force = args.flag("--force");
        for (String id : args.argsFrom(0)) main.containers().delete(id, force);
        return Exit.OK;
    }
}
