package io.capsa.cli;

import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.spec.Node;
import io.capsa.spec.Resources;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** As runc: new limits from --resources (a linux.resources document, - for stdin), changed by the flags. */
@Command(name = "update", description = "Change a running container's resource limits.")
final class UpdateCommand implements Callable<Integer> {
    @ParentCommand Main main;
    @Option(names = {"--resources", "-r"}, description = "A JSON file of linux.resources, or - for stdin.") String resources;
    @Option(names = "--memory", description = "Memory limit, e.g. 64m (-1: unlimited).") String memory;
    @Option(names = "--memory-reservation", description = "Memory soft limit.") String memoryReservation;
    @Option(names = "--memory-swap", description = "Memory plus swap limit.") String memorySwap;
    @Option(names = "--kernel-memory", description = "Kernel memory limit (v1 kernels that still have it).") String kernelMemory;
    @Option(names = "--kernel-memory-tcp", description = "Kernel TCP buffer limit.") String kernelMemoryTcp;
    @Option(names = "--cpu-shares", description = "CPU shares (relative weight).") Long cpuShares;
    @Option(names = "--cpu-quota", description = "CFS quota in microseconds per period (-1: unlimited).") Long cpuQuota;
    @Option(names = "--cpu-period", description = "CFS period in microseconds.") Long cpuPeriod;
    @Option(names = "--cpu-rt-period", description = "Realtime period in microseconds.") Long cpuRtPeriod;
    @Option(names = "--cpu-rt-runtime", description = "Realtime runtime in microseconds.") Long cpuRtRuntime;
    @Option(names = "--cpuset-cpus", description = "CPUs to run on, e.g. 0-1.") String cpusetCpus;
    @Option(names = "--cpuset-mems", description = "Memory nodes to use.") String cpusetMems;
    @Option(names = "--pids-limit", description = "Maximum number of processes.") Long pidsLimit;
    @Option(names = "--blkio-weight", description = "Block IO weight, 10 to 1000.") Long blkioWeight;
    @Parameters(index = "0", paramLabel = "ID") String id;

    @Override
    public Integer call() throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        if (resources != null) {
            String text = resources.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(resources));
            if (!(Json.parse(text, resources.equals("-") ? "stdin" : resources).raw() instanceof Map<?, ?> given))
                throw new CapsaException("--resources: expected a JSON object of linux.resources");
            given.forEach((k, v) -> doc.put((String) k, v));
        }
        Map<String, Object> memoryDoc = section(doc, "memory"), cpuDoc = section(doc, "cpu");
        put(memoryDoc, "limit", bytes("--memory", memory));
        put(memoryDoc, "reservation", bytes("--memory-reservation", memoryReservation));
        put(memoryDoc, "swap", bytes("--memory-swap", memorySwap));
        put(memoryDoc, "kernel", bytes("--kernel-memory", kernelMemory));
        put(memoryDoc, "kernelTCP", bytes("--kernel-memory-tcp", kernelMemoryTcp));
        put(cpuDoc, "shares", cpuShares);
        put(cpuDoc, "quota", cpuQuota);
        put(cpuDoc, "period", cpuPeriod);
        put(cpuDoc, "realtimePeriod", cpuRtPeriod);
        put(cpuDoc, "realtimeRuntime", cpuRtRuntime);
        put(cpuDoc, "cpus", cpusetCpus);
        put(cpuDoc, "mems", cpusetMems);
        if (pidsLimit != null) doc.put("pids", Map.of("limit", pidsLimit));
        if (blkioWeight != null) section(doc, "blockIO").put("weight", blkioWeight);
        doc.values().removeIf(v -> v instanceof Map<?, ?> m && m.isEmpty());
        main.containers().update(id, Resources.parse(Node.root(doc, "linux.resources")));
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
    static Long bytes(String flag, String text) {
        if (text == null) return null;
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("-1")) return -1L;
        var m = java.util.regex.Pattern.compile("(\\d+)([kmgt]?)i?b?").matcher(s);
        if (!m.matches()) throw new CapsaException(flag + ": \"" + text + "\" is not a size such as 64m");
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        return Long.parseLong(m.group(1)) << shift;
    }
}
