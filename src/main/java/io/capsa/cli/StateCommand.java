package io.capsa.cli;

import io.capsa.spec.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "state", description = "Print a container's state as OCI state JSON.")
final class StateCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    public Integer call() {
        System.out.println(Json.pretty(main.containers().state(id)));
        return Exit.OK;
    }
}
