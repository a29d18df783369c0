package io.capsa.cli;

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
