package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.engine.RunState;
import io.capsa.network.PortMapping;
import io.capsa.spec.Json;
import io.capsa.spec.Quoted;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** docker ps / container ls: running containers (all with -a), newest first, in Docker's columns. */
final class PsCommand extends AliasedCommand {
    private static final String TABLE = "table {{.ID}}\t{{.Image}}\t{{.Command}}\t{{.RunningFor}}\t{{.Status}}\t{{.Ports}}\t{{.Names}}";
    private static final Map<String, String> TITLES = Map.ofEntries(Map.entry("ID", "CONTAINER ID"), Map.entry("Image", "IMAGE"),
            Map.entry("Command", "COMMAND"), Map.entry("RunningFor", "CREATED"), Map.entry("CreatedAt", "CREATED AT"),
            Map.entry("Status", "STATUS"), Map.entry("State", "STATE"), Map.entry("Ports", "PORTS"), Map.entry("Names", "NAMES"),
            Map.entry("Labels", "LABELS"), Map.entry("Mounts", "MOUNTS"), Map.entry("Networks", "NETWORKS"), Map.entry("Size", "SIZE"));

    PsCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("List containers", "",
                Flag.ofBoolean("-a, --all", "Show all containers (default shows just running)"),
                Flag.ofBoolean("-q, --quiet", "Only display container IDs"),
                Flag.ofBoolean("--no-trunc", "Don't truncate output"),
                Flag.ofBoolean("-l, --latest", "Show the latest created container"),
                Flag.ofInt("-n, --last", "N", "Show the n last created containers").orElse("-1"),
                Flag.ofText("-f, --filter", "FILTER", "id=, name=, label=KEY[=VALUE], status=, ancestor=, exited=").repeatable(),
                Flag.ofText("--format", "FORMAT", "table, table TEMPLATE, json or a Go template"));
    }

    @Override
    public int run(Globals globals, Args args) {
        boolean noTrunc = args.flag("--no-trunc");
        Listing listing = new Listing(args.flag("--quiet") ? "{{.ID}}" : args.value("--format"), TABLE);
        List<ContainerFilter> filters = new ArrayList<>();
        for (String f : args.values("--filter")) filters.add(ContainerFilter.parse(f));
        int last = args.flag("--latest") ? 1 : args.intValue("--last");
        boolean all = args.flag("--all") || last > 0 || filters.stream().anyMatch(ContainerFilter::showsStopped);
        Engine engine = globals.engine();
        List<Engine.Container> containers = new ArrayList<>(engine.list(all));
        containers.removeIf(c -> !filters.stream().allMatch(f -> f.matches(c)));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = containers.size() - 1; i >= 0 && (last <= 0 || rows.size() < last); i--) rows.add(row(engine, containers.get(i), noTrunc));
        return Main.print(listing.render(TITLES, rows));
    }

    private static Map<String, Object> row(Engine engine, Engine.Container c, boolean noTrunc) {
        ContainerRecord r = c.record();
        Map<String, Object> f = new TreeMap<>(); // docker's {{json .}} of a row: keys sorted
        String command = String.join(" ", commandLine(r));
        f.put("Command", Json.write(noTrunc ? command : truncate(command))); // Docker cuts, then quotes
        f.put("CreatedAt", Listing.createdAt(r.created()));
        f.put("ID", noTrunc ? r.id() : r.shortId());
        f.put("Image", r.imageName());
        f.put("Labels", labels(r.config().labels()));
        f.put("LocalVolumes", "0");
        f.put("Mounts", "");
        f.put("Names", r.name());
        List<String> networks = new ArrayList<>();
        for (var a : r.hostConfig().networks()) networks.add(a.network());
        f.put("Networks", networks.isEmpty() ? r.hostConfig().networkMode() : String.join(",", networks));
        List<String> ports = new ArrayList<>();
        for (PortMapping p : engine.networkSettings(r.id()).ports()) ports.add(p.toString());
        f.put("Ports", String.join(", ", ports));
        f.put("RunningFor", LocalImages.since(r.created()));
        f.put("Size", "0B");
        f.put("State", c.state().status().word());
        f.put("Status", status(c.state()));
        return f;
    }

    static List<String> commandLine(ContainerRecord r) {
        List<String> line = new ArrayList<>();
        if (r.config().entrypoint() != null) line.addAll(r.config().entrypoint());
        if (r.config().cmd() != null) line.addAll(r.config().cmd());
        return line;
    }

    /** Docker cuts the command to 20 characters with an ellipsis. */
    private static String truncate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 19) + "…";
    }

    private static String labels(Map<String, String> labels) {
        if (labels == null) return "";
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            if (!s.isEmpty()) s.append(',');
            s.append(e.getKey()).append('=').append(e.getValue());
        }
        return s.toString();
    }

    /** Docker's STATUS column: "Up 5 seconds", "Up 2 minutes (Paused)", "Exited (0) 3 seconds ago", "Created". */
    static String status(RunState s) {
        return switch (s.status()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + Units.humanDuration(Duration.between(s.startedAt(), Instant.now()));
            case PAUSED -> "Up " + Units.humanDuration(Duration.between(s.startedAt(), Instant.now())) + " (Paused)";
            case RESTARTING -> "Restarting (" + s.exitCode() + ") " + ago(s.finishedAt());
            case EXITED -> "Exited (" + s.exitCode() + ") " + ago(s.finishedAt());
        };
    }

    private static String ago(Instant at) {
        return at == null ? "" : LocalImages.since(at);
    }

    /** One --filter of ps, checked before anything is read. */
    private record ContainerFilter(String key, String value) {
        static ContainerFilter parse(String filter) {
            int eq = filter.indexOf('=');
            if (eq < 0) throw new UsageException("bad format of filter (expected name=value): " + Quoted.of(filter));
            String key = filter.substring(0, eq), value = filter.substring(eq + 1);
            switch (key) {
                case "id", "name", "label", "ancestor" -> {}
                case "status" -> {
                    if (!List.of("created", "restarting", "running", "removing", "paused", "exited", "dead").contains(value))
                        throw new UsageException("invalid filter 'status=" + value + "'");
                }
                case "exited" -> {
                    if (!value.matches("-?[0-9]+")) throw new UsageException("invalid filter 'exited=" + value + "'");
                }
                default -> throw new UsageException("invalid filter " + Quoted.of(key));
            }
            return new ContainerFilter(key, value);
        }

        boolean showsStopped() {
            return key.equals("exited") || key.equals("status") && !value.equals("running") && !value.equals("paused");
        }

        boolean matches(Engine.Container c) {
            ContainerRecord r = c.record();
            return switch (key) {
                case "id" -> r.id().startsWith(value);
                case "name" -> r.name().contains(value);
                case "label" -> {
                    int eq = value.indexOf('=');
                    Map<String, String> labels = r.config().labels() == null ? Map.of() : r.config().labels();
                    yield eq < 0 ? labels.containsKey(value) : value.substring(eq + 1).equals(labels.get(value.substring(0, eq)));
                }
                case "ancestor" -> r.imageName().equals(value) || r.imageId().hex().startsWith(value.replace("sha256:", ""));
                case "status" -> c.state().status().word().equals(value);
                case "exited" -> c.state().status() == RunState.Status.EXITED && Integer.toString(c.state().exitCode()).equals(value);
                default -> false;
            };
        }
    }
}
