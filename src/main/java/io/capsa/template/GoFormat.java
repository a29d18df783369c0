package io.capsa.template;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Go's fmt and strconv for the values a template sees: Print's spelling of values ("map[a:1 b:2]",
 * "[x y]", "<nil>", "1e+06"), Sprintf's verbs, and string quoting and unquoting.
 */
final class GoFormat {
    private GoFormat() {}

    /** fmt.Sprint(value): %v. */
    static String print(Object value) {
        StringBuilder out = new StringBuilder();
        new Verb('v').format(out, value);
        return out.toString();
    }

    /** fmt.Sprint(args...): a space between two operands when neither is a string. */
    static String sprint(List<Object> args) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            Object arg = args.get(i);
            if (i > 0 && !(arg instanceof String) && !(args.get(i - 1) instanceof String)) out.append(' ');
            new Verb('v').format(out, arg);
        }
        return out.toString();
    }

    /** fmt.Sprintln(args...): spaces between all operands and a newline. */
    static String sprintln(List<Object> args) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) out.append(' ');
            new Verb('v').format(out, args.get(i));
        }
        return out.append('\n').toString();
    }

    /** fmt.Sprintf: flags "+- #0", width, precision ("*" too), and the verbs of bools, integers, floats and strings. */
    static String sprintf(String format, List<Object> args) {
        StringBuilder out = new StringBuilder();
        int arg = 0;
        int n = format.length();
        for (int i = 0; i < n; ) {
            char c = format.charAt(i++);
            if (c != '%') {
                out.append(c);
                continue;
            }
            Verb v = new Verb(' ');
            for (; i < n; i++) {
                char f = format.charAt(i);
                if (f == '-') v.minus = true;
                else if (f == '+') v.plus = true;
                else if (f == '#') v.sharp = true;
                else if (f == ' ') v.space = true;
                else if (f == '0') v.zero = true;
                else break;
            }
            if (i < n && format.charAt(i) == '*') {
                i++;
                if (arg < args.size() && args.get(arg) instanceof Long w) {
                    v.width = (int) Math.abs(w);
                    if (w < 0) v.minus = true;
                } else {
                    out.append("%!(BADWIDTH)");
                }
                arg++;
            } else {
                while (i < n && Character.isDigit(format.charAt(i))) v.width = Math.max(v.width, 0) * 10 + format.charAt(i++) - '0';
            }
            if (i < n && format.charAt(i) == '.') {
                i++;
                v.precision = 0;
                if (i < n && format.charAt(i) == '*') {
                    i++;
                    if (arg < args.size() && args.get(arg) instanceof Long p && p >= 0) v.precision = (int) (long) p;
                    else out.append("%!(BADPREC)");
                    arg++;
                } else {
                    while (i < n && Character.isDigit(format.charAt(i))) v.precision = v.precision * 10 + format.charAt(i++) - '0';
                }
            }
            if (v.minus) v.zero = false; // zero padding only on the left
            if (i >= n) {
                out.append("%!(NOVERB)");
                break;
            }
            v.verb = format.charAt(i++);
            if (v.verb == '%') {
                out.append('%');
            } else if (arg >= args.size()) {
                out.append("%!").append(v.verb).append("(MISSING)");
            } else {
                v.format(out, args.get(arg++));
            }
        }
        if (arg < args.size()) {
            out.append("%!(EXTRA ");
            for (int a = arg; a < args.size(); a++) {
                if (a > arg) out.append(", ");
                Object x = args.get(a);
                if (x == null) out.append("<nil>");
                else out.append(typeName(x)).append('=').append(print(x));
            }
            out.append(')');
        }
        return out.toString();
    }

    /** One conversion: verb, flags, width and precision (-1 when absent). */
    private static final class Verb {
        char verb;
        boolean minus, plus, sharp, space, zero;
        int width = -1, precision = -1;

        Verb(char verb) {
            this.verb = verb;
        }

        void format(StringBuilder out, Object value) {
            if (verb == 'T') {
                pad(out, typeName(value));
            } else if (value == null) {
                if (verb == 'v') pad(out, "<nil>");
                else out.append("%!").append(verb).append("(<nil>)");
            } else if (value instanceof String s) {
                string(out, s);
            } else if (value instanceof Boolean b) {
                if (verb == 'v' || verb == 't') pad(out, b.toString());
                else bad(out, value);
            } else if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) {
                integer(out, value);
            } else if (value instanceof Double d) {
                floating(out, d);
            } else if (value instanceof Map<?, ?> m) {
                out.append("map[");
                List<String> keys = sortedKeys(m);
                for (int i = 0; i < keys.size(); i++) {
                    if (i > 0) out.append(' ');
                    format(out, keys.get(i));
                    out.append(':');
                    element(out, m.get(keys.get(i)));
                }
                out.append(']');
            } else if (value instanceof List<?> l) {
                out.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) out.append(' ');
                    element(out, l.get(i));
                }
                out.append(']');
            } else {
                pad(out, value.toString());
            }
        }

        /** An element of a list or map: a nil one prints as <nil> whatever the verb. */
        private void element(StringBuilder out, Object value) {
            if (value == null) pad(out, "<nil>");
            else format(out, value);
        }

        private void string(StringBuilder out, String s) {
            switch (verb) {
                case 'v', 's' -> pad(out, precision >= 0 ? truncate(s, precision) : s);
                case 'q' -> pad(out, quote(s));
                case 'x', 'X' -> {
                    StringBuilder hex = new StringBuilder();
                    for (byte b : s.getBytes(StandardCharsets.UTF_8)) hex.append(String.format(verb == 'x' ? "%02x" : "%02X", b & 0xff));
                    pad(out, hex.toString());
                }
                default -> bad(out, s);
            }
        }

        private void integer(StringBuilder out, Object value) {
            boolean negative;
            long magnitude = 0; // unsigned: Long.MIN_VALUE's magnitude does not fit a long
            BigInteger big = null;
            if (value instanceof BigInteger b) {
                big = b.abs();
                negative = b.signum() < 0;
            } else {
                long n = ((Number) value).longValue();
                negative = n < 0;
                magnitude = negative ? -n : n;
            }
            int radix;
            String prefix = "";
            switch (verb) {
                case 'v', 'd' -> radix = 10;
                case 'x', 'X' -> {
                    radix = 16;
                    if (sharp) prefix = verb == 'x' ? "0x" : "0X";
                }
                case 'o' -> {
                    radix = 8;
                    if (sharp) prefix = "0";
                }
                case 'b' -> radix = 2;
                case 'c', 'q', 'U' -> {
                    int c = (int) magnitude;
                    pad(out, verb == 'c' ? new String(Character.toChars(c)) : verb == 'q' ? "'" + new String(Character.toChars(c)) + "'"
                            : unicode(c).substring(0, unicode(c).indexOf(' ')));
                    return;
                }
                default -> {
                    bad(out, value);
                    return;
                }
            }
            String digits = big != null ? big.toString(radix) : Long.toUnsignedString(magnitude, radix);
            if (verb == 'X') digits = digits.toUpperCase();
            if (precision >= 0) {
                if (precision == 0 && digits.equals("0")) digits = "";
                while (digits.length() < precision) digits = "0" + digits;
            }
            number(out, negative, prefix + digits, precision < 0);
        }

        private void floating(StringBuilder out, double d) {
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                if (verb == 'v' || "eEfFgG".indexOf(verb) >= 0) pad(out, Double.isNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf");
                else bad(out, d);
                return;
            }
            String s;
            switch (verb) {
                case 'v', 'g' -> s = formatG(Math.abs(d), precision);
                case 'G' -> s = formatG(Math.abs(d), precision).toUpperCase();
                case 'e' -> s = formatE(Math.abs(d), precision < 0 ? 6 : precision);
                case 'E' -> s = formatE(Math.abs(d), precision < 0 ? 6 : precision).toUpperCase();
                case 'f', 'F' -> s = formatF(Math.abs(d), precision < 0 ? 6 : precision);
                default -> {
                    bad(out, d);
                    return;
                }
            }
            number(out, d < 0 || (d == 0 && 1 / d < 0), s, true);
        }

        /** A number's sign and digits, padded: zeros go between the sign and the digits. */
        private void number(StringBuilder out, boolean negative, String digits, boolean zeroPadAllowed) {
            String sign = negative ? "-" : plus ? "+" : space ? " " : "";
            if (zero && zeroPadAllowed && width > 0) {
                StringBuilder s = new StringBuilder(sign);
                for (int i = sign.length() + digits.length(); i < width; i++) s.append('0');
                out.append(s).append(digits);
                return;
            }
            boolean z = zero;
            zero = false;
            pad(out, sign + digits);
            zero = z;
        }

        private void pad(StringBuilder out, String s) {
            int fill = width - s.codePointCount(0, s.length());
            if (fill <= 0) {
                out.append(s);
                return;
            }
            if (minus) out.append(s);
            for (int i = 0; i < fill; i++) out.append(zero ? '0' : ' ');
            if (!minus) out.append(s);
        }

        private void bad(StringBuilder out, Object value) {
            out.append("%!").append(verb).append('(').append(typeName(value)).append('=');
            new Verb('v').format(out, value);
            out.append(')');
        }
    }

    private static String truncate(String s, int runes) {
        if (s.codePointCount(0, s.length()) <= runes) return s;
        return s.substring(0, s.offsetByCodePoints(0, runes));
    }

    /** Map keys in Go's printing order: sorted. */
    static List<String> sortedKeys(Map<?, ?> map) {
        List<String> keys = new ArrayList<>(map.size());
        for (Object k : map.keySet()) keys.add((String) k);
        Collections.sort(keys);
        return keys;
    }

    /** The Go type our value stands for, as error messages name it. */
    static String typeName(Object value) {
        if (value == null) return "<nil>";
        if (value instanceof String) return "string";
        if (value instanceof Boolean) return "bool";
        if (value instanceof Long || value instanceof Integer || value instanceof BigInteger) return "int";
        if (value instanceof Double) return "float64";
        if (value instanceof Map) return "map[string]interface {}";
        if (value instanceof List) return "[]interface {}";
        return value.getClass().getSimpleName();
    }

    // --- floats, as strconv.FormatFloat: digits d1..dn with the decimal point after dp of them ---

    private record Digits(String digits, int dp) {}

    private static Digits digits(BigDecimal d) {
        if (d.signum() == 0) return new Digits("", 0);
        BigDecimal s = d.stripTrailingZeros();
        String unscaled = s.unscaledValue().abs().toString();
        return new Digits(unscaled, unscaled.length() - s.scale());
    }

    /**
     * Shortest digits that read back as d. Java's Double.toString finds them, as Go does, except that it
     * writes two digits where one would do if two are closer (4.9E-324 for Go's 5e-324).
     */
    private static Digits shortest(double d) {
        Digits g = digits(new BigDecimal(Double.toString(d)));
        if (g.digits.length() == 2) {
            BigDecimal one = new BigDecimal(d).round(new MathContext(1, RoundingMode.HALF_EVEN));
            if (one.doubleValue() == d) return digits(one);
        }
        return g;
    }

    /** %g: %e for large and small exponents, else %f; precision -1 is the shortest that reads back. */
    private static String formatG(double d, int precision) {
        boolean shortest = precision < 0;
        Digits g;
        int prec;
        if (shortest) {
            g = shortest(d);
            prec = g.digits.length();
        } else {
            prec = precision == 0 ? 1 : precision;
            g = d == 0 ? new Digits("", 0) : digits(new BigDecimal(d).round(new MathContext(prec, RoundingMode.HALF_EVEN)));
        }
        int nd = g.digits.length();
        int eprec = prec;
        if (eprec > nd && nd >= g.dp) eprec = nd;
        if (shortest) eprec = 6;
        int exp = g.dp - 1;
        if (d != 0 && (exp < -4 || exp >= eprec)) {
            if (prec > nd) prec = nd;
            return fmtE(g, prec - 1);
        }
        if (d == 0) return "0";
        if (prec > g.dp) prec = nd;
        return fmtF(g, Math.max(prec - g.dp, 0));
    }

    private static String formatE(double d, int precision) {
        if (d == 0) return fmtE(new Digits("", 1), precision);
        return fmtE(digits(new BigDecimal(d).round(new MathContext(precision + 1, RoundingMode.HALF_EVEN))), precision);
    }

    private static String formatF(double d, int precision) {
        return new BigDecimal(d).setScale(precision, RoundingMode.HALF_EVEN).abs().toPlainString();
    }

    private static String fmtE(Digits g, int prec) {
        StringBuilder s = new StringBuilder();
        s.append(g.digits.isEmpty() ? '0' : g.digits.charAt(0));
        if (prec > 0) {
            s.append('.');
            for (int i = 1; i <= prec; i++) s.append(i < g.digits.length() ? g.digits.charAt(i) : '0');
        }
        int exp = g.digits.isEmpty() ? 0 : g.dp - 1;
        s.append('e').append(exp < 0 ? '-' : '+');
        if (Math.abs(exp) < 10) s.append('0');
        return s.append(Math.abs(exp)).toString();
    }

    private static String fmtF(Digits g, int prec) {
        StringBuilder s = new StringBuilder();
        if (g.dp > 0) {
            for (int i = 0; i < g.dp; i++) s.append(i < g.digits.length() ? g.digits.charAt(i) : '0');
        } else {
            s.append('0');
        }
        if (prec > 0) {
            s.append('.');
            for (int i = 0; i < prec; i++) {
                int j = g.dp + i;
                s.append(j >= 0 && j < g.digits.length() ? g.digits.charAt(j) : '0');
            }
        }
        return s.toString();
    }

    // --- strings ---

    /** strconv.Quote: Go's escapes for quotes, backslashes and unprintable characters. */
    static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case 7 -> out.append("\\a");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case 11 -> out.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) out.append(String.format("\\x%02x", c));
                    else if (printable(c)) out.appendCodePoint(c);
                    else if (c < 0x10000) out.append(String.format("\\u%04x", c));
                    else out.append(String.format("\\U%08x", c));
                }
            }
        }
        return out.append('"').toString();
    }

    private static boolean printable(int c) {
        int type = Character.getType(c);
        return c < 0x80 || !(type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED
                || type == Character.SURROGATE || type == Character.PRIVATE_USE || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR || Character.isSpaceChar(c) && c != ' ');
    }

    /** Go's %#U: U+0023 '#'. */
    static String unicode(int c) {
        return String.format("U+%04X '%s'", c, new String(Character.toChars(c)));
    }

    /** The value of a Go string or character literal's body, or null when an escape is malformed. */
    static String unquote(String body, char quote) {
        if (body.indexOf('\\') < 0) return body.indexOf(quote) < 0 ? body : null;
        StringBuilder out = new StringBuilder();
        List<Byte> bytes = new ArrayList<>(); // \x and octal escapes are bytes, decoded as UTF-8 together
        for (int i = 0; i < body.length(); ) {
            char c = body.charAt(i++);
            if (c != '\\') {
                if (c == quote) return null;
                flush(bytes, out);
                out.append(c);
                continue;
            }
            if (i >= body.length()) return null;
            char e = body.charAt(i++);
            int code;
            switch (e) {
                case 'a' -> code = 7;
                case 'b' -> code = '\b';
                case 'f' -> code = '\f';
                case 'n' -> code = '\n';
                case 'r' -> code = '\r';
                case 't' -> code = '\t';
                case 'v' -> code = 11;
                case '\\' -> code = '\\';
                case '"', '\'' -> {
                    if (e != quote) return null;
                    code = e;
                }
                case 'x', 'u', 'U' -> {
                    int len = e == 'x' ? 2 : e == 'u' ? 4 : 8;
                    if (i + len > body.length()) return null;
                    try {
                        code = Integer.parseInt(body.substring(i, i + len), 16);
                    } catch (NumberFormatException x) {
                        return null;
                    }
                    i += len;
                    if (e == 'x') {
                        bytes.add((byte) code);
                        continue;
                    }
                    if (code > 0x10ffff || code >= 0xd800 && code < 0xe000) return null;
                }
                default -> {
                    if (e < '0' || e > '7' || i + 2 > body.length()) return null;
                    try {
                        code = Integer.parseInt(body.substring(i - 1, i + 2), 8);
                    } catch (NumberFormatException x) {
                        return null;
                    }
                    if (code > 255) return null;
                    i += 2;
                    bytes.add((byte) code);
                    continue;
                }
            }
            flush(bytes, out);
            out.appendCodePoint(code);
        }
        flush(bytes, out);
        return out.toString();
    }

    private static void flush(List<Byte> bytes, StringBuilder out) {
        if (bytes.isEmpty()) return;
        byte[] b = new byte[bytes.size()];
        for (int i = 0; i < b.length; i++) b[i] = bytes.get(i);
        out.append(new String(b, StandardCharsets.UTF_8));
        bytes.clear();
    }
}
