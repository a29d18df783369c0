package io.capsa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

@Command(name = "run", description = "Create and start a container, and wait for it unless detached.")
final class RunCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Mixin CreateFlags flags;
    @Option(names = {"--detach", "-d"}, description = "Return once the container has started.") boolean detach;
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    public Integer call() {
        return main.containers().run(id, flags.options(), detach);
    }
}
