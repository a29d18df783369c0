package io.capsa.engine;

import io.capsa.linux.Proc;
import io.capsa.runtime.CapsaException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * What docker top shows: the columns of ps run on the host and a row for each of the container's processes
 * (Docker's ContainerTopOKBody), with an NSPID column after PID: the process's pid in the container's PID
 * namespace, beside its pid on the host.
 */
public record ProcessTable(List<String> titles, List<List<String>> processes) {
    static final String NSPID = "NSPID";

    /**
     * The rows of ps's output whose PID is one of pids, as Docker's parsePSOutput takes them: cells split at
     * spaces, the last column keeps the rest of the line (a command with its arguments), and a thread's row
     * (PID "-", from ps -L or m) goes with the process row above it.
     */
    static ProcessTable fromPs(String output, Collection<Integer> pids) {
        String[] lines = output.split("\n");
        List<String> psTitles = Arrays.asList(fields(lines[0], Integer.MAX_VALUE));
        int pidColumn = psTitles.indexOf("PID");
        if (pidColumn < 0) throw new CapsaException("Couldn't find PID field in ps output");
        List<String> titles = new ArrayList<>(psTitles);
        titles.add(pidColumn + 1, NSPID);
        List<List<String>> rows = new ArrayList<>();
        boolean afterContainerProcess = false;
        for (int i = 1; i < lines.length; i++) {
            if (lines[i].isBlank()) continue;
            String[] cells = fields(lines[i], psTitles.size());
            String pidText = cells[pidColumn];
            if (pidText.equals("-")) {
                if (afterContainerProcess) rows.add(row(cells, pidColumn, "-"));
                continue;
            }
            int pid;
            try {
                pid = Integer.parseInt(pidText);
            } catch (NumberFormatException e) {
                throw new CapsaException("Unexpected pid '" + pidText + "' in ps output");
            }
            afterContainerProcess = pids.contains(pid);
            if (afterContainerProcess) rows.add(row(cells, pidColumn, nsPid(pid)));
        }
        return new ProcessTable(List.copyOf(titles), List.copyOf(rows));
    }

    private static List<String> row(String[] cells, int pidColumn, String nsPid) {
        List<String> row = new ArrayList<>(Arrays.asList(cells));
        row.add(pidColumn + 1, nsPid);
        return List.copyOf(row);
    }

    /** The pid in the container, or "-" for a process that exited since ps saw it. */
    private static String nsPid(int pid) {
        try {
            return Integer.toString(Proc.pidInItsNamespace(pid));
        } catch (java.io.UncheckedIOException e) {
            return "-";
        }
    }

    /** Up to max cells split at runs of spaces; the last takes the rest of the line. Fewer cells are padded with "". */
    private static String[] fields(String line, int max) {
        List<String> cells = new ArrayList<>();
        int i = 0, n = line.length();
        while (true) {
            while (i < n && line.charAt(i) == ' ') i++;
            if (i == n) break;
            if (cells.size() == max - 1) {
                cells.add(line.substring(i).stripTrailing());
                break;
            }
            int end = i;
            while (end < n && line.charAt(end) != ' ') end++;
            cells.add(line.substring(i, end));
            i = end;
        }
        if (max != Integer.MAX_VALUE) while (cells.size() < max) cells.add("");
        return cells.toArray(String[]::new);
    }
}
