package io.capsa.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RFC 8259 JSON to Map, List, String, Long (BigInteger beyond a long), Double, Boolean and null.
 * Hand-written because every CLI call is a fresh JVM: jackson's first parse of a config.json took
 * 25-40 ms there, this one about 1. It reads a char[] rather than calling charAt(): until the JIT
 * compiles it, which a CLI call never waits for, each call costs the interpreter more than the work.
 */
final class JsonReader {
    /** Deeper documents are refused rather than overflowing the stack. */
    private static final int MAX_DEPTH = 512;

    private final char[] text;
    private int pos;

    private JsonReader(String text) {
        this.text = text.toCharArray();
    }

    /** The document's value; a malformed one throws with the line and column of the fault. */
    static Object read(String text) {
        JsonReader r = new JsonReader(text);
        r.skipSpace();
        Object value = r.value(0);
        r.skipSpace();
        if (r.pos < r.text.length) throw r.fault("unexpected '" + r.text[r.pos] + "' after the document");
        return value;
    }

    private Object value(int depth) {
        if (depth > MAX_DEPTH) throw fault("nested deeper than " + MAX_DEPTH);
        if (pos >= text.length) throw fault("unexpected end of input");
        char c = text[pos];
        return switch (c) {
            case '{' -> object(depth);
            case '[' -> array(depth);
            case '"' -> string();
            case 't' -> literal("true", Boolean.TRUE);
            case 'f' -> literal("false", Boolean.FALSE);
            case 'n' -> literal("null", null);
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) yield number();
                throw fault("unexpected '" + c + "'");
            }
        };
    }

    private Map<String, Object> object(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (peek() == '}') {
            pos++;
            return map;
        }
        while (true) {
            skipSpace();
            if (peek() != '"') throw fault("expected a field name in double quotes");
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            map.put(key, value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect('}');
                return map;
            }
        }
    }

    private List<Object> array(int depth) {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (peek() == ']') {
            pos++;
            return list;
        }
        while (true) {
            skipSpace();
            list.add(value(depth + 1));
            skipSpace();
            if (peek() == ',') {
                pos++;
            } else {
                expect(']');
                return list;
            }
        }
    }

    private String string() {
        int start = ++pos; // after the opening quote
        while (pos < text.length && text[pos] != '"' && text[pos] != '\\' && text[pos] >= 0x20) pos++;
        if (pos < text.length && text[pos] == '"') return new String(text, start, pos++ - start); // no escapes
        StringBuilder s = new StringBuilder().append(text, start, pos - start);
        while (true) {
            if (pos >= text.length) throw fault("unterminated string");
            char c = text[pos++];
            if (c == '"') return s.toString();
            if (c < 0x20) throw fault("control character in a string");
            if (c != '\\') {
                s.append(c);
                continue;
            }
            if (pos >= text.length) throw fault("unterminated string");
            char e = text[pos++];
            switch (e) {
                case '"', '\\', '/' -> s.append(e);
                case 'b' -> s.append('\b');
                case 'f' -> s.append('\f');
                case 'n' -> s.append('\n');
                case 'r' -> s.append('\r');
                case 't' -> s.append('\t');
                case 'u' -> {
                    if (pos + 4 > text.length) throw fault("short \\u escape");
                    try {
                        s.append((char) Integer.parseInt(new String(text, pos, 4), 16));
                    } catch (NumberFormatException x) {
                        throw fault("bad \\u escape");
                    }
                    pos += 4;
                }
                default -> throw fault("bad escape \\" + e);
            }
        }
    }

    private Object number() {
        int start = pos;
        if (peek() == '-') pos++;
        if (peek() == '0') {
            pos++;
        } else if (!digits()) {
            throw fault("bad number");
        }
        boolean integral = true;
        if (peek() == '.') {
            pos++;
            integral = false;
            if (!digits()) throw fault("bad number");
        }
        if (peek() == 'e' || peek() == 'E') {
            pos++;
            integral = false;
            if (peek() == '+' || peek() == '-') pos++;
            if (!digits()) throw fault("bad number");
        }
        String n = new String(text, start, pos - start);
        if (!integral) return Double.parseDouble(n);
        return n.length() < 19 ? (Object) Long.parseLong(n) : integer(n);
    }

    private static Object integer(String n) {
        BigInteger big = new BigInteger(n);
        return big.bitLength() < 64 ? (Object) big.longValue() : big;
    }

    private boolean digits() {
        int start = pos;
        while (pos < text.length && text[pos] >= '0' && text[pos] <= '9') pos++;
        return pos > start;
    }

    private Object literal(String word, Object value) {
        if (!new String(text, pos, Math.min(word.length(), text.length - pos)).equals(word))
            throw fault("unexpected '" + text[pos] + "'");
        pos += word.length();
        return value;
    }

    private void expect(char c) {
        if (peek() != c) throw fault(pos >= text.length ? "unexpected end of input" : "expected '" + c + "'");
        pos++;
    }

    private char peek() {
        return pos < text.length ? text[pos] : 0;
    }

    private void skipSpace() {
        while (pos < text.length && (text[pos] == ' ' || text[pos] == '\n' || text[pos] == '\t' || text[pos] == '\r')) pos++;
    }

    private IllegalArgumentException fault(String what) {
        int line = 1, column = 1;
        for (int i = 0; i < Math.min(pos, text.length); i++) {
            if (text[i] == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new IllegalArgumentException(what + " at line " + line + ", column " + column);
    }
}
