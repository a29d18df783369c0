package io.capsa.nstools;

import java.util.List;

/**
 * Namespaces as lsns's default table: NS TYPE NPROCS PID USER COMMAND, one space apart, numbers right-aligned,
 * each column as wide as its widest cell, the last one unpadded. Rows are flat, as with `lsns --list`.
 */
public final class NamespaceTable {
    private NamespaceTable() {}

    private static final String[] HEADER = {"NS", "TYPE", "NPROCS", "PID", "USER", "COMMAND"};
    private static final boolean[] RIGHT = {true, false, true, true, false, false};

    public static String render(List<Namespace> namespaces) {
        String[][] cells = new String[namespaces.size() + 1][];
        cells[0] = HEADER;
        for (int i = 0; i < namespaces.size(); i++) {
            Namespace ns = namespaces.get(i);
            cells[i + 1] = new String[] {Long.toString(ns.inode()), ns.type().procName(), Integer.toString(ns.nprocs()),
                    Integer.toString(ns.pid()), ns.user(), ns.command()};
        }
        int[] width = new int[HEADER.length];
        for (String[] row : cells) for (int c = 0; c < row.length; c++) width[c] = Math.max(width[c], row[c].length());
        StringBuilder out = new StringBuilder();
        for (String[] row : cells) {
            for (int c = 0; c < row.length; c++) {
                if (c > 0) out.append(' ');
                boolean last = c == row.length - 1;
                String pad = last ? "" : " ".repeat(width[c] - row[c].length());
                out.append(RIGHT[c] ? pad + row[c] : row[c] + pad);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
