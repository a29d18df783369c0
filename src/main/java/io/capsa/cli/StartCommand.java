package io.capsa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "start", description = "Start a created container's program.")
final class StartCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    public Integer call() {
        main.containers().start(id);
        return Exit.OK;
    }
}
