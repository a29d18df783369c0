package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.ContainerStats;
import io.capsa.engine.Engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * docker stats: each container's CPU, memory, network, block I/O and pids, in Docker's columns and --format
 * fields. CPU % is over the second between two samples; without --no-stream the table is redrawn every
 * second until interrupted, and without names it follows the containers that start and stop meanwhile.
 */
final class StatsCommand extends AliasedCommand {
    private static final String TABLE = "table {{.ID}}\t{{.Name}}\t{{.CPUPerc}}\t{{.MemUsage}}\t{{.MemPerc}}\t{{.NetIO}}\t{{.BlockIO}}\t{{.PIDs}}";
    private static final Map<String, String> TITLES = Map.of("Container", "CONTAINER", "Name", "NAME", "ID", "CONTAINER ID",
            "CPUPerc", "CPU %", "MemUsage", "MEM USAGE / LIMIT", "MemPerc", "MEM %", "NetIO", "NET I/O", "BlockIO", "BLOCK I/O",
            "PIDs", "PIDS");
    /** Docker's terminal codes to clear the screen and go home, before each redraw. */
    private static final String CLEAR = "\033[2J\033[H";
    private static final long INTERVAL_MILLIS = 1000;

    StatsCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Display a live stream of container(s) resource usage statistics", "[CONTAINER...]",
                Flag.ofBoolean("-a, --all", "Show all containers (default shows just running)"),
                Flag.ofBoolean("--no-stream", "Disable streaming stats and only pull the first result"),
                Flag.ofBoolean("--no-trunc", "Do not truncate output"),
                Flag.ofText("--format", "FORMAT", "table, table TEMPLATE, json or a Go template"));
    }

    @Override
    public int run(Globals globals, Args args) throws InterruptedException {
        Listing listing = new Listing(args.value("--format"), TABLE);
        boolean stream = !args.flag("--no-stream"), noTrunc = args.flag("--no-trunc");
        Engine engine = globals.engine();
        Map<String, ContainerRecord> named = new LinkedHashMap<>(); // as the user named them
        for (String name : args.argsFrom(0)) named.put(name, engine.find(name));
        Map<String, ContainerStats> earlier = sample(engine, named, args.flag("--all"));
        while (true) {
            Thread.sleep(INTERVAL_MILLIS);
            Map<String, ContainerStats> now = sample(engine, named, args.flag("--all"));
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Map.Entry<String, ContainerStats> e : now.entrySet())
                rows.add(row(e.getKey(), e.getValue(), earlier.getOrDefault(e.getKey(), e.getValue()), noTrunc));
            String table = listing.render(TITLES, rows);
            if (!stream) return Main.print(table);
            Main.print(CLEAR + table);
            earlier = now;
        }
    }

    /** A sample of each container, by what its CONTAINER column shows: the name given, or the short ID. */
    private static Map<String, ContainerStats> sample(Engine engine, Map<String, ContainerRecord> named, boolean all) {
        Map<String, ContainerStats> samples = new LinkedHashMap<>();
        if (!named.isEmpty()) {
            for (Map.Entry<String, ContainerRecord> e : named.entrySet()) samples.put(e.getKey(), engine.stats(e.getValue()));
            return samples;
        }
        for (Engine.Container c : engine.list(all)) samples.put(c.record().shortId(), engine.stats(c.record()));
        return samples;
    }

    private static Map<String, Object> row(String container, ContainerStats s, ContainerStats earlier, boolean noTrunc) {
        Map<String, Object> f = new TreeMap<>(); // docker's {{json .}} of a row: keys sorted
        f.put("BlockIO", Units.humanSize(s.blockRead()) + " / " + Units.humanSize(s.blockWrite()));
        f.put("CPUPerc", percent(s.cpuPercent(earlier)));
        f.put("Container", container);
        f.put("ID", noTrunc ? s.id() : s.id().substring(0, 12));
        f.put("MemPerc", percent(s.memoryPercent()));
        f.put("MemUsage", Units.bytesSize(s.memoryUsage()) + " / " + Units.bytesSize(s.memoryLimit()));
        f.put("Name", s.name());
        f.put("NetIO", Units.humanSize(s.networkRx()) + " / " + Units.humanSize(s.networkTx()));
        f.put("PIDs", Long.toString(s.pids()));
        return f;
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f%%", value);
    }
}
