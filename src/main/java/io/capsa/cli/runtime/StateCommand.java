package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;
import io.capsa.spec.Json;

final class StateCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Print a container's state as OCI state JSON.", "ID");
    }

    @Override
    public int run(Main main, Args args) {
        System.out.println(Json.pretty(main.containers().state(args.arg(0))));
        return Exit.OK;
    }
}
