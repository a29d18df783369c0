package io.capsa.spec;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * Map, Collection, String, Number, Boolean and null to JSON: compact, or indented as Go's MarshalIndent
 * prints (runc's state and features by two spaces, docker's inspect by four).
 */
final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    private final String indent; // null: compact
    private final boolean goFloats;

    private JsonWriter(String indent, boolean goFloats) {
        this.indent = indent;
        this.goFloats = goFloats;
    }

    /** A string in double quotes, with quotes, backslashes and control characters escaped. */
    static String quote(String s) {
        JsonWriter w = new JsonWriter(null, false);
        w.string(s);
        return w.out.toString();
    }

    static String write(Object value, String indent) {
        JsonWriter w = new JsonWriter(indent, false);
        w.value(value, 0);
        return w.out.toString();
    }

    /**
     * Compact, with floats as Go's encoding/json spells them (1e6 as 1000000), as docker's {{json}} prints.
     * Not for files capsa reads back: 1000000 would come back as an integer.
     */
    static String writeGo(Object value) {
        JsonWriter w = new JsonWriter(null, true);
        w.value(value, 0);
        return w.out.toString();
    }

    // if-else rather than a pattern switch, whose bootstrap spins a class at run time, in every CLI call.
    private void value(Object value, int depth) {
        if (value == null) out.append("null");
        else if (value instanceof String s) string(s);
        else if (value instanceof Boolean b) out.append(b);
        else if (value instanceof Double d && (d.isNaN() || d.isInfinite())) throw new IllegalArgumentException("JSON has no " + d);
        else if (value instanceof Double d && goFloats) out.append(goFloat(d));
        else if (value instanceof Number n) out.append(n);
        else if (value instanceof Map<?, ?> m) object(m, depth);
        else if (value instanceof Collection<?> c) array(c, depth);
        else throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
    }

    private void object(Map<?, ?> map, int depth) {
        out.append('{');
        int i = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            item(i++, depth);
            string(String.valueOf(e.getKey()));
            out.append(indent != null ? ": " : ":");
            value(e.getValue(), depth + 1);
        }
        end(i, depth, '}');
    }

    private void array(Collection<?> items, int depth) {
        out.append('[');
        int i = 0;
        for (Object item : items) {
            item(i++, depth);
            value(item, depth + 1);
        }
        end(i, depth, ']');
    }

    private void item(int index, int depth) {
        if (index > 0) out.append(',');
        newline(depth + 1);
    }

    private void end(int count, int depth, char close) {
        if (count > 0) newline(depth);
        out.append(close);
    }

    private void newline(int depth) {
        if (indent == null) return;
        out.append('\n');
        out.append(indent.repeat(depth));
    }

    private void string(String s) {
        out.append('"');
        if (plain(s)) { // the usual case, appended whole: an append per char costs the interpreter far more
            out.append(s).append('"');
            return;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // Go escapes the line and paragraph separators too, which JavaScript reads as newlines
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    /**
     * As Go's encoding/json writes a float64: the shortest digits that read back, in exponent form only below
     * 1e-6 and from 1e21 ("1e-7", "1e+21"); 1e6 is "1000000", where Java would write "1000000.0".
     */
    private static String goFloat(double d) {
        BigDecimal b = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        double abs = Math.abs(d);
        if (abs == 0) return 1 / d < 0 ? "-0" : "0";
        if (abs >= 1e-6 && abs < 1e21) return b.toPlainString();
        String digits = b.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - b.scale();
        return (d < 0 ? "-" : "") + digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "")
                + (exponent < 0 ? "e-" : "e+") + Math.abs(exponent);
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029') return false;
        }
        return true;
    }
}
