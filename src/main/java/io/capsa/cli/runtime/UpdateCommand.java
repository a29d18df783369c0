package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.spec.Node;
import io.capsa.spec.Quoted;
import io.capsa.spec.Resources;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** As runc: new limits from --resources (a linux.resources document, - for stdin), changed by the flags. */
final class UpdateCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Change a running container's resource limits.", "ID",
                Flag.ofText("-r, --resources", "FILE", "A JSON file of linux.resources, or - for stdin"),
                Flag.ofText("--memory", "SIZE", "Memory limit, e.g. 64m (-1: unlimited)"),
                Flag.ofText("--memory-reservation", "SIZE", "Memory soft limit"),
                Flag.ofText("--memory-swap", "SIZE", "Memory plus swap limit"),
                Flag.ofText("--kernel-memory", "SIZE", "Kernel memory limit (v1 kernels that still have it)"),
                Flag.ofText("--kernel-memory-tcp", "SIZE", "Kernel TCP buffer limit"),
                Flag.ofLong("--cpu-shares", "N", "CPU shares (relative weight)"),
                Flag.ofLong("--cpu-quota", "MICROSECONDS", "CFS quota per period (-1: unlimited)"),
                Flag.ofLong("--cpu-period", "MICROSECONDS", "CFS period"),
                Flag.ofLong("--cpu-rt-period", "MICROSECONDS", "Realtime period"),
                Flag.ofLong("--cpu-rt-runtime", "MICROSECONDS", "Realtime runtime"),
                Flag.ofText("--cpuset-cpus", "CPUS", "CPUs to run on, e.g. 0-1"),
                Flag.ofText("--cpuset-mems", "NODES", "Memory nodes to use"),
                Flag.ofLong("--pids-limit", "N", "Maximum number of processes"),
                Flag.ofLong("--blkio-weight", "WEIGHT", "Block IO weight, 10 to 1000"));
    }

    @Override
    public int run(Main main, Args args) {
        String resources = args.value("--resources");
        Map<String, Object> doc = new LinkedHashMap<>();
        if (resources != null) {
            Node document = resources.equals("-") ? Json.read(System.in, "stdin") : Json.read(Path.of(resources));
            if (!(document.raw() instanceof Map<?, ?> given))
                throw new CapsaException("--resources: expected a JSON object of linux.resources");
            given.forEach((k, v) -> doc.put((String) k, v));
        }
        Map<String, Object> memoryDoc = section(doc, "memory"), cpuDoc = section(doc, "cpu");
        put(memoryDoc, "limit", bytes(args, "--memory"));
        put(memoryDoc, "reservation", bytes(args, "--memory-reservation"));
        put(memoryDoc, "swap", bytes(args, "--memory-swap"));
        put(memoryDoc, "kernel", bytes(args, "--kernel-memory"));
        put(memoryDoc, "kernelTCP", bytes(args, "--kernel-memory-tcp"));
        put(cpuDoc, "shares", args.longValue("--cpu-shares"));
        put(cpuDoc, "quota", args.longValue("--cpu-quota"));
        put(cpuDoc, "period", args.longValue("--cpu-period"));
        put(cpuDoc, "realtimePeriod", args.longValue("--cpu-rt-period"));
        put(cpuDoc, "realtimeRuntime", args.longValue("--cpu-rt-runtime"));
        put(cpuDoc, "cpus", args.value("--cpuset-cpus"));
        put(cpuDoc, "mems", args.value("--cpuset-mems"));
        Long pidsLimit = args.longValue("--pids-limit"), blkioWeight = args.longValue("--blkio-weight");
        if (pidsLimit != null) doc.put("pids", Map.of("limit", pidsLimit));
        if (blkioWeight != null) section(doc, "blockIO").put("weight", blkioWeight);
        doc.values().removeIf(v -> v instanceof Map<?, ?> m && m.isEmpty());
        main.containers().update(args.arg(0), Resources.parse(Node.root(doc, "linux.resources")));
        return Exit.OK;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> doc, String key) {
        Object existing = doc.get(key);
        Map<String, Object> copy = new LinkedHashMap<>(existing instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
        doc.put(key, copy);
        return copy;
    }

    private static void put(Map<String, Object> section, String key, Object value) {
        if (value != null) section.put(key, value);
    }

    /** "64m", "1g", "512k", "1048576" or "-1", as docker and runc take memory sizes. */
    private static Long bytes(Args args, String flag) {
        String text = args.value(flag);
        if (text == null) return null;
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("-1")) return -1L;
        var m = java.util.regex.Pattern.compile("(\\d+)([kmgt]?)i?b?").matcher(s);
        if (!m.matches()) throw new CapsaException(flag + ": " + Quoted.of(text) + " is not a size such as 64m");
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new CapsaException(flag + ": \"" + text + "\" is too large for a 64-bit count of bytes");
        }
    }
}
