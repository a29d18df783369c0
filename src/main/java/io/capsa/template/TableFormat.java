package io.capsa.template;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Docker's --format conventions around the template (docker/cli's formatter): a "table" prefix asks for a
 * header row and aligned columns, and "\t" and "\n" typed as two characters mean a tab and a newline.
 * A table is the header, a newline, each item's output and a newline, all passed through align().
 */
public final class TableFormat {
    private static final String TABLE = "table";
    /** docker's tabwriter.NewWriter(out, 10, 1, 3, ' ', 0): columns at least 10 wide, 3 spaces between. */
    private static final int MIN_WIDTH = 10, PADDING = 3;

    private TableFormat() {}

    public static boolean isTable(String format) {
        return format.startsWith(TABLE);
    }

    /**
     * The template text of a format: without the "table" prefix, trimmed of spaces, escapes replaced.
     * Empty for a bare "table", where the command's default columns apply.
     */
    public static String templateText(String format) {
        String text = isTable(format) ? format.substring(TABLE.length()) : format;
        int start = 0, end = text.length();
        while (start < end && text.charAt(start) == ' ') start++;
        while (end > start && text.charAt(end - 1) == ' ') end--;
        return text.substring(start, end).replace("\\t", "\t").replace("\\n", "\n");
    }

    /**
     * The header row: the template run over the columns' titles by field name ("ID" -> "CONTAINER ID"),
     * with docker's header functions, which leave a title as it is (json, split, join, title, lower,
     * upper, truncate) except pad, which keeps columns aligned.
     */
    public static String header(Template template, Map<String, String> titles) {
        StringBuilder out = new StringBuilder();
        template.execute(titles, out, true);
        return out.toString();
    }

    /**
     * Tab-separated cells aligned in columns as Go's text/tabwriter aligns them for docker: a column is as
     * wide as its widest cell plus 3, at least 10, over each run of lines that have a cell in it; the text
     * after a line's last tab is no cell and is not padded.
     */
    public static String align(String text) {
        return align(text, MIN_WIDTH);
    }

    /** As align, with columns at least minWidth wide (docker top's tabwriter takes 20). */
    public static String align(String text, int minWidth) {
        String[] rows = text.split("\n", -1);
        List<String[]> lines = new ArrayList<>(rows.length);
        for (String row : rows) lines.add(row.split("\t", -1));
        StringBuilder out = new StringBuilder(text.length() * 2);
        format(lines, 0, lines.size(), new ArrayList<>(), minWidth, out);
        return out.toString();
    }

    /** Lines line0..line1 with the widths of the columns left of the one at hand known. */
    private static void format(List<String[]> lines, int line0, int line1, List<Integer> widths, int minWidth, StringBuilder out) {
        int column = widths.size();
        for (int i = line0; i < line1; i++) {
            if (column >= lines.get(i).length - 1) continue;
            writeLines(lines, line0, i, widths, out);
            line0 = i;
            int width = minWidth;
            for (; i < line1 && column < lines.get(i).length - 1; i++)
                width = Math.max(width, runes(lines.get(i)[column]) + PADDING);
            widths.add(width);
            format(lines, line0, i, widths, minWidth, out);
            widths.remove(widths.size() - 1);
            line0 = i;
        }
        writeLines(lines, line0, line1, widths, out);
    }

    private static void writeLines(List<String[]> lines, int line0, int line1, List<Integer> widths, StringBuilder out) {
        for (int i = line0; i < line1; i++) {
            String[] cells = lines.get(i);
            for (int j = 0; j < cells.length; j++) {
                out.append(cells[j]);
                if (j < widths.size()) out.repeat(' ', widths.get(j) - runes(cells[j]));
            }
            if (i + 1 < lines.size()) out.append('\n');
        }
    }

    private static int runes(String s) {
        return s.codePointCount(0, s.length());
    }
}
