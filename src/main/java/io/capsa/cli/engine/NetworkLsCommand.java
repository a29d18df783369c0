package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.network.NetworkConfig;
import io.capsa.spec.Quoted;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** docker network ls: a row per network, sorted by name; filters by name (a part of it), id (a prefix), label, driver. */
final class NetworkLsCommand implements Command {
    private static final String TABLE = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";
    private static final Map<String, String> TITLES = Map.of("ID", "NETWORK ID", "Name", "NAME", "Driver", "DRIVER", "Scope", "SCOPE",
            "IPv6", "IPV6", "Internal", "INTERNAL", "Labels", "LABELS", "CreatedAt", "CREATED AT");
    /** Go's time.Time.String(), as docker prints CreatedAt. */

    @Override
    public String names() {
        return "ls, list";
    }

    @Override
    public Usage usage() {
        return new Usage("List networks", "",
                Flag.ofBoolean("-q, --quiet", "Only display network IDs"),
                Flag.ofBoolean("--no-trunc", "Do not truncate the output"),
                Flag.ofText("-f, --filter", "FILTER", "name=, id=, label=KEY[=VALUE], driver=").repeatable(),
                Flag.ofText("--format", "FORMAT", "table, table TEMPLATE, json or a Go template"));
    }

    @Override
    public int run(Globals globals, Args args) {
        if (!args.argsFrom(0).isEmpty()) throw new UsageException("\"capsa network ls\" accepts no arguments");
        Listing listing = new Listing(args.flag("--quiet") ? "{{.ID}}" : args.value("--format"), TABLE);
        List<String> filters = args.values("--filter");
        for (String f : filters) {
            int eq = f.indexOf('=');
            if (eq < 0) throw new UsageException("bad format of filter (expected name=value): " + Quoted.of(f));
            switch (f.substring(0, eq)) {
                case "name", "id", "label", "driver" -> {}
                default -> throw new UsageException("invalid filter " + Quoted.of(f.substring(0, eq)));
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (NetworkConfig n : globals.networks().list()) if (matches(n, filters)) rows.add(row(n, args.flag("--no-trunc")));
        return Main.print(listing.render(TITLES, rows));
    }

    /** Filters of one key match when any of them does; different keys must all match, as docker's. */
    private static boolean matches(NetworkConfig n, List<String> filters) {
        for (String key : List.of("name", "id", "label", "driver")) {
            boolean given = false, any = false;
            for (String f : filters) {
                if (!f.startsWith(key + "=")) continue;
                given = true;
                String value = f.substring(key.length() + 1);
                any |= switch (key) {
                    case "name" -> n.name().contains(value);
                    case "id" -> n.id().startsWith(value);
                    case "driver" -> value.equals("bridge");
                    default -> {
                        int eq = value.indexOf('=');
                        String label = n.labels().get(eq < 0 ? value : value.substring(0, eq));
                        yield label != null && (eq < 0 || label.equals(value.substring(eq + 1)));
                    }
                };
            }
            if (given && !any) return false;
        }
        return true;
    }

    private static Map<String, Object> row(NetworkConfig n, boolean noTrunc) {
        List<String> labels = new ArrayList<>();
        for (Map.Entry<String, String> l : n.labels().entrySet()) labels.add(l.getKey() + "=" + l.getValue());
        Map<String, Object> f = new TreeMap<>(); // docker's {{json .}} of a row: keys sorted
        f.put("CreatedAt", CreatedAt.FORMAT.format(Instant.parse(n.created()).atZone(ZoneId.systemDefault())));
        f.put("Driver", "bridge");
        f.put("ID", noTrunc ? n.id() : n.id().substring(0, 12));
        f.put("IPv6", "false");
        f.put("Internal", Boolean.toString(n.internal()));
        f.put("Labels", String.join(",", labels));
        f.put("Name", n.name());
        f.put("Scope", "local");
        return f;
    }

    /** Docker's network CreatedAt, in nanoseconds; made on first use, not with the command at every CLI start (as Listing's). */
    private static final class CreatedAt {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSSSS Z z");
    }
}
