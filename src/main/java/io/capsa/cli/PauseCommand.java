package io.capsa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "pause", description = "Freeze every process of a container.")
final class PauseCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    public Integer call() {
        main.containers().freeze(id, true);
        return Exit.OK;
    }
}
