package io.capsa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "create", description = "Create a container; its program waits for `start`.")
final class CreateCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Mixin CreateFlags flags;
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    public Integer call() {
        main.containers().create(id, flags.options());
        return Exit.OK;
    }
}
