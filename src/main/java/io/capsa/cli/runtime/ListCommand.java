package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.spec.Quoted;

import java.util.List;
import java.util.Map;

final class ListCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("List containers.", "",
                Flag.ofText("-f, --format", "FORMAT", "table or json").orElse("table"),
                Flag.ofBoolean("-q, --quiet", "Print the ids only"));
    }

    @Override
    public int run(Main main, Args args) {
        String format = args.value("--format");
        List<Map<String, Object>> states = main.containers().list();
        if (args.flag("--quiet")) {
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
            throw new CapsaException("--format: unknown format " + Quoted.of(format) + " (table or json)");
        }
        return Exit.OK;
    }
}
