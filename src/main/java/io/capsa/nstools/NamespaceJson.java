package io.capsa.nstools;

import io.capsa.spec.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Namespaces as `lsns --json --list` prints them (util-linux 2.38: ns, nprocs and pid are numbers, the rest
 * strings), plus "pns", the parent, for pid and user namespaces when the scan asked for it, and "containers"
 * when the caller names them.
 */
public final class NamespaceJson {
    private NamespaceJson() {}

    /** containers, unless null: the names of the containers using a namespace, for its "containers" field. */
    public static String write(List<Namespace> namespaces, Function<Namespace, List<String>> containers) {
        List<Map<String, Object>> rows = new ArrayList<>(namespaces.size());
        for (Namespace ns : namespaces) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("ns", ns.inode());
            row.put("type", ns.type().procName());
            row.put("nprocs", ns.nprocs());
            row.put("pid", ns.pid());
            row.put("user", ns.user());
            row.put("command", ns.command());
            if (ns.nests() && ns.parent() != -1) row.put("pns", ns.parent());
            if (containers != null) row.put("containers", containers.apply(ns));
            rows.add(row);
        }
        return Json.pretty(Map.of("namespaces", rows)) + "\n";
    }
}
