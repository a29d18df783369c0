package io.capsa.template;

import java.util.Map;

/**
 * Docker's --format conventions around the template (docker/cli's formatter): a "table" prefix asks for a
 * header row and aligned columns, and "\t" and "\n" typed as two characters mean a tab and a newline.
 * Aligning the columns (docker uses a tabwriter: minimum width 10, padding 3) is the caller's.
 */
public final class TableFormat {
    private static final String TABLE = "table";

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
}
