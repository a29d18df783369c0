package io.capsa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "delete", aliases = "rm", description = "Delete containers and everything they had.")
final class DeleteCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Option(names = {"--force", "-f"}, description = "Kill a running container first.") boolean force;
    @Parameters(arity = "1..*", paramLabel = "ID") List<String> ids;

    @Override
    public Integer call() {
        for (String id : ids) main.containers().delete(id, force);
        return Exit.OK;
    }
}
