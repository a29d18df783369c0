package io.capsa.cli;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "list", aliases = "ls", description = "List containers.")
final class ListCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Option(names = {"--format", "-f"}, defaultValue = "table", description = "table or json.") String format;
    @Option(names = {"--quiet", "-q"}, description = "Print the ids only.") boolean quiet;

    @Override
    public Integer call() {
        List<Map<String, Object>> states = main.containers().list();
        if (quiet) {
            states.forEach(s -> System.out.println(s.get("id")));
        } else if (format.equals("json")) {
            System.out.println(Json.write(states));
        } else if (format.equals("table")) {
            String row = "%-12s %-8s %-10s %-40s %-30s %s%n";
            System.out.printf(row, "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
            for (Map<String, Object> s : states) {
                System.out.printf(row, s.get("id"), s.get("pid"), s.get("status"), s.get("bundle"), s.get("created"), s.get("owner"));
            }
        } else {
            throw new CapsaException("--format: unknown format \"" + format + "\" (table or json)");
        }
        return Exit.OK;
    }
}
