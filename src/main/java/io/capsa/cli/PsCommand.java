package io.capsa.cli;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;

/** As runc: ps(1)'s table, with ps's own options, cut down to the container's processes. */
@Command(name = "ps", description = "List the processes of a container.")
final class PsCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Option(names = {"--format", "-f"}, defaultValue = "table", description = "table or json.") String format;
    @Parameters(index = "0", paramLabel = "ID") String id;
    @Parameters(index = "1..*", paramLabel = "PS_OPTION", description = "Options for ps(1) (default: -ef).")
    List<String> psOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        List<Integer> pids = main.containers().pids(id);
        if (format.equals("json")) {
            System.out.println(Json.write(pids));
            return Exit.OK;
        }
        if (!format.equals("table")) throw new CapsaException("--format: unknown format \"" + format + "\" (table or json)");
        List<String> command = new ArrayList<>(List.of("ps"));
        command.addAll(psOptions.isEmpty() ? List.of("-ef") : psOptions);
        Process ps = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> lines;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(ps.getInputStream()))) {
            lines = r.lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (ps.waitFor() != 0 || lines.isEmpty()) throw new CapsaException("ps " + String.join(" ", command.subList(1, command.size())) + ": " + String.join(" ", lines));
        int pidColumn = Arrays.asList(lines.getFirst().trim().split("\\s+")).indexOf("PID");
        if (pidColumn < 0) throw new CapsaException("ps output has no PID column");
        System.out.println(lines.getFirst());
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length > pidColumn && pids.contains(Integer.valueOf(fields[pidColumn]))) System.out.println(line);
        }
        return Exit.OK;
    }
}
