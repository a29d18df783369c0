package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.spec.Quoted;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** As runc: ps(1)'s table, with ps's own options, cut down to the container's processes. */
final class PsCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("List the processes of a container, with ps(1)'s options (default: -ef).", "ID [PS_OPTION...]",
                Flag.ofText("-f, --format", "FORMAT", "table or json").orElse("table")).endOptionsAtFirstArgument();
    }

    @Override
    public int run(Main main, Args args) throws Exception {
        String format = args.value("--format");
        List<String> psOptions = args.argsFrom(1);
        List<Integer> pids = main.containers().pids(args.arg(0));
        if (format.equals("json")) {
            System.out.println(Json.write(pids));
            return Exit.OK;
        }
        if (!format.equals("table")) throw new CapsaException("--format: unknown format " + Quoted.of(format) + " (table or json)");
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
