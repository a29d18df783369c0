package io.capsa.nstools;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Namespaces as lsns's default table: NS TYPE NPROCS PID USER COMMAND, one space apart, numbers right-aligned,
 * each column as wide as its widest cell, the last one unpadded. Rows are flat, as with `lsns --list`. Before
 * COMMAND come PNS, the parent (as `lsns -o +PNS` shows it: 0 for types without parents), when the scan
 * asked for parents, and CONTAINERS, the names of the containers using the namespace, when the caller names them.
 */
public final class NamespaceTable {
    private NamespaceTable() {}

    /** containers, unless null: the names of the containers using a namespace, for its CONTAINERS cell. */
    public static String render(List<Namespace> namespaces, Function<Namespace, List<String>> containers) {
        boolean parents = !namespaces.isEmpty() && namespaces.getFirst().parent() != -1; // one scan asked for all or none
        List<String> header = new ArrayList<>(List.of("NS", "TYPE", "NPROCS", "PID", "USER"));
        if (parents) header.add("PNS");
        if (containers != null) header.add("CONTAINERS");
        header.add("COMMAND");
        List<List<String>> rows = new ArrayList<>(namespaces.size() + 1);
        rows.add(header);
        for (Namespace ns : namespaces) {
            List<String> row = new ArrayList<>(List.of(Long.toString(ns.inode()), ns.type().procName(),
                    Integer.toString(ns.nprocs()), Integer.toString(ns.pid()), ns.user()));
            if (parents) row.add(Long.toString(ns.parent()));
            if (containers != null) row.add(String.join(",", containers.apply(ns)));
            row.add(ns.command());
            rows.add(row);
        }
        int columns = header.size();
        int[] width = new int[columns];
        for (List<String> row : rows) for (int c = 0; c < columns; c++) width[c] = Math.max(width[c], row.get(c).length());
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                if (c > 0) out.append(' ');
                String cell = row.get(c);
                String pad = c == columns - 1 ? "" : " ".repeat(width[c] - cell.length());
                boolean number = c == 0 || c == 2 || c == 3 || header.get(c).equals("PNS");
                out.append(number ? pad + cell : cell + pad);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
