package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.runtime.CapsaException;
import io.capsa.runtime.Containers;
import io.capsa.runtime.Status;
import io.capsa.spec.Json;
import io.capsa.spec.Quoted;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** As runc: one stats object with --stats, else stats every interval and an "oom" event per OOM kill, until the container stops. */
final class EventsCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Print a container's resource usage and OOM events as JSON.", "ID",
                Flag.ofBoolean("--stats", "Print one stats object and exit"),
                Flag.ofText("--interval", "TIME", "Time between stats, e.g. 5s or 500ms").orElse("5s"));
    }

    @Override
    public int run(Main main, Args args) throws InterruptedException {
        String id = args.arg(0);
        Containers containers = main.containers();
        if (args.flag("--stats")) {
            System.out.println(Json.write(containers.stats(id)));
            return Exit.OK;
        }
        long every = parse(args.value("--interval")).toMillis(), lastStats = 0, ooms = containers.oomKills(id);
        Map<String, Object> oom = new LinkedHashMap<>();
        oom.put("type", "oom");
        oom.put("id", id);
        for (boolean running = true; running; ) {
            running = containers.status(id) != Status.STOPPED;
            // counted after the status, so that a kill that stopped the container is still reported
            long kills = containers.oomKills(id);
            for (; ooms < kills; ooms++) System.out.println(Json.write(oom));
            if (running && System.currentTimeMillis() - lastStats >= every) {
                try {
                    System.out.println(Json.write(containers.stats(id)));
                } catch (CapsaException e) {
                    if (containers.status(id) != Status.STOPPED) throw e;
                    continue; // it stopped meanwhile: one more round reports a last OOM kill
                }
                lastStats = System.currentTimeMillis();
            }
            System.out.flush();
            Thread.sleep(Math.min(every, 100));
        }
        return Exit.OK;
    }

    private static Duration parse(String text) {
        var m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m)").matcher(text.strip());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0)
            throw new CapsaException("--interval: " + Quoted.of(text) + " is not a duration such as 5s or 500ms");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            default -> Duration.ofMinutes(n);
        };
    }
}
