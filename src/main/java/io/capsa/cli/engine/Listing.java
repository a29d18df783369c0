package io.capsa.cli.engine;

import io.capsa.template.TableFormat;
import io.capsa.template.Template;
import io.capsa.template.TemplateException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
     * Docker's CreatedAt ("2026-11-26 03:04:05 +0000 UTC"), in the local time zone. On a host in UTC (no TZ, and
     * /etc/localtime UTC or none) it is written by hand: java.time's system zone and zone names cost ps and
     * images ~15 ms in the interpreter. The formatter is made on first use, not with its command at every start.
     */
    static String createdAt(Instant time) {
        return CreatedAt.HOST_IN_UTC ? createdAtUtc(time) : CreatedAt.FORMAT.format(time.atZone(ZoneId.systemDefault()));
    }

    static String createdAtUtc(Instant time) {
        LocalDateTime t = LocalDateTime.ofInstant(time, ZoneOffset.UTC);
        String iso = t.withNano(0).toString(); // 2026-11-26T03:04:05, or 2026-11-26T03:04 at a whole minute
        return iso.substring(0, 10) + " " + iso.substring(11) + (t.getSecond() == 0 ? ":00" : "") + " +0000 UTC";
    }

    private static final class CreatedAt {
        private static final List<String> UTC_NAMES = List.of("UTC", "Etc/UTC", "Etc/UCT", "UCT", "Zulu", "Etc/Zulu", "Universal",
                "Etc/Universal", "Etc/GMT", "GMT");
        static final boolean HOST_IN_UTC = hostInUtc();
        static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z z");

        private static boolean hostInUtc() {
            String tz = System.getenv("TZ");
            if (tz != null && !tz.isEmpty() && !UTC_NAMES.contains(tz.startsWith(":") ? tz.substring(1) : tz)) return false;
            Path localtime = Path.of("/etc/localtime");
            if (!Files.exists(localtime, LinkOption.NOFOLLOW_LINKS)) return true; // glibc's default
            try {
                String zone = Files.readSymbolicLink(localtime).toString();
                for (String name : UTC_NAMES) if (zone.endsWith("zoneinfo/" + name)) return true;
            } catch (IOException | UnsupportedOperationException notALink) {
                // a copy of some zone's file: java.time reads it
            }
            return false;
        }
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
