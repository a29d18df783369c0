package io.capsa.cli.engine;

import io.capsa.template.TableFormat;
import io.capsa.template.Template;
import io.capsa.template.TemplateException;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * A list command's --format, as docker's formatter reads it: "json" (an object per line), "table" with a
 * template or alone (the command's columns, a header, aligned), or a template alone (no header, as typed).
 * Made before the command reads anything, so that a bad template changes nothing.
 */
final class Listing {
    private final Template template;
    private final boolean table;

    /** format is what the user gave (null for none); table is the command's own "table {{...}}". */
    Listing(String format, String table) {
        if (format == null) format = table;
        if (format.equals("json")) format = "{{json .}}";
        this.table = TableFormat.isTable(format);
        String text = TableFormat.templateText(format);
        template = parse(this.table && text.isEmpty() ? TableFormat.templateText(table) : text);
    }

    /**
     * Docker's CreatedAt ("2026-11-26 03:04:05 +0000 UTC"), in the local time zone. The formatter is made on
     * first use: made when its command's class is, it cost every CLI call milliseconds (the commands are all
     * made at start).
     */
    static String createdAt(Instant time) {
        return CreatedAt.FORMAT.format(time.atZone(ZoneId.systemDefault()));
    }

    private static final class CreatedAt {
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");
    }

    /** Docker's words for a template that does not parse: "template parsing error: template: :1: ...". */
    static Template parse(String text) {
        try {
            return Template.parse(text);
        } catch (TemplateException e) {
            throw new IllegalArgumentException("template parsing error: " + e.getMessage());
        }
    }

    /** The output for the rows; titles are the header of each field. */
    String render(Map<String, String> titles, List<Map<String, Object>> rows) {
        StringBuilder out = new StringBuilder();
        if (table) out.append(TableFormat.header(template, titles)).append('\n');
        for (Map<String, Object> row : rows) {
            template.execute(row, out);
            out.append('\n');
        }
        return table ? TableFormat.align(out.toString()) : out.toString();
    }
}
