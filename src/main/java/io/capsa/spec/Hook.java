package io.capsa.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One hook of config.json: a program, its argv and environment, and an optional timeout in seconds. */
public record Hook(String field, String path, List<String> args, List<String> env, int timeout) {

    /** The hook points, in the order of the container's life. */
    public static final List<String> POINTS = List.of("prestart", "createRuntime", "createContainer", "startContainer",
            "poststart", "poststop");

    /** hooks.* of a config.json, by hook point; every point is present, most often empty. */
    public static Map<String, List<Hook>> parseAll(Node hooks) {
        for (String key : hooks.entries().keySet()) {
            if (!POINTS.contains(key)) throw hooks.get(key).error("unknown hook point (expected one of " + POINTS + ")");
        }
        Map<String, List<Hook>> all = new LinkedHashMap<>();
        for (String point : POINTS) {
            List<Hook> parsed = new ArrayList<>();
            for (Node h : hooks.get(point).list()) parsed.add(parse(h));
            all.put(point, List.copyOf(parsed));
        }
        return all;
    }

    private static Hook parse(Node h) {
        String path = h.get("path").requiredString();
        if (!path.startsWith("/")) throw h.get("path").error("must be an absolute path");
        long timeout = h.get("timeout").integer(0);
        if (timeout < 0 || timeout > Integer.MAX_VALUE || (!h.get("timeout").missing() && timeout == 0))
            throw h.get("timeout").error("must be a positive number of seconds");
        List<String> args = h.get("args").strings();
        return new Hook(h.path(), path, args.isEmpty() ? List.of(path) : args, h.get("env").strings(), (int) timeout);
    }
}
