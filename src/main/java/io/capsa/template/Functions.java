package io.capsa.template;

import io.capsa.spec.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Go's built-in template functions and Docker's (docker/cli templates.Parse): their parameter types, which
 * decide how arguments are checked, and what they do. A switch on the name rather than a map of lambdas:
 * each lambda would be a class spun at run time, in a CLI that starts a JVM per call.
 */
final class Functions {
    private Functions() {}

    /**
     * What a parameter accepts, as Go's reflection would check it: VALUE takes anything, even a missing
     * value (Go's reflect.Value parameters); ANY takes anything, a missing value as nil (interface{});
     * STRING and INT a string or integer; STRINGS a list of strings ([]string).
     */
    enum Param { VALUE, ANY, STRING, INT, STRINGS }

    /** The fixed parameters, and the type of the variadic rest or null. */
    record Signature(Param[] fixed, Param variadic) {}

    private static final Param[] VALUE = {Param.VALUE}, VALUE2 = {Param.VALUE, Param.VALUE}, NONE = {};
    private static final Param[] STRING = {Param.STRING}, STRING2 = {Param.STRING, Param.STRING};

    /** A function's failure, reported as Go reports it: "error calling NAME: MESSAGE". */
    static final class Failure extends RuntimeException {
        Failure(String message) {
            super(message, null, false, false);
        }
    }

    static boolean exists(String name) {
        return signature(name, false) != null;
    }

    /** The signature; header is docker's table header set, where string functions pass their argument through. */
    static Signature signature(String name, boolean header) {
        return switch (name) {
            case "and", "or", "eq", "index" -> new Signature(VALUE, Param.VALUE);
            case "not", "len" -> new Signature(VALUE, null);
            case "ne", "lt", "le", "gt", "ge" -> new Signature(VALUE2, null);
            case "print", "println" -> new Signature(NONE, Param.ANY);
            case "printf" -> new Signature(STRING, Param.ANY);
            case "json" -> new Signature(header ? STRING : new Param[] {Param.ANY}, null);
            case "split" -> new Signature(STRING2, null);
            case "join" -> new Signature(header ? STRING2 : new Param[] {Param.STRINGS, Param.STRING}, null);
            case "title", "lower", "upper" -> new Signature(STRING, null);
            case "pad" -> new Signature(new Param[] {Param.STRING, Param.INT, Param.INT}, null);
            case "truncate" -> new Signature(new Param[] {Param.STRING, Param.INT}, null);
            default -> null;
        };
    }

    /** Calls a function other than and/or (which the executor short-circuits) with checked arguments. */
    static Object call(String name, List<Object> args, boolean header) {
        Object a = args.isEmpty() ? null : args.get(0);
        if (header && passesHeaderThrough(name)) return a;
        return switch (name) {
            case "not" -> !Values.isTrue(a);
            case "len" -> length(a);
            case "index" -> index(a, args.subList(1, args.size()));
            case "eq" -> eq(a, args.subList(1, args.size()));
            case "ne" -> !eq(a, args.subList(1, 2));
            case "lt" -> less(a, args.get(1), false);
            case "le" -> less(a, args.get(1), true);
            case "gt" -> !less(a, args.get(1), true);
            case "ge" -> !less(a, args.get(1), false);
            case "print" -> GoFormat.sprint(args);
            case "println" -> GoFormat.sprintln(args);
            case "printf" -> GoFormat.sprintf((String) a, args.subList(1, args.size()));
            case "json" -> Json.writeAsGo(a);
            case "split" -> split((String) a, (String) args.get(1));
            case "join" -> a == null ? "" : String.join((String) args.get(1), strings((List<?>) a));
            case "title" -> title((String) a);
            case "lower" -> mapCase((String) a, false);
            case "upper" -> mapCase((String) a, true);
            case "pad" -> pad((String) a, (Long) args.get(1), (Long) args.get(2));
            case "truncate" -> truncate((String) a, (Long) args.get(1));
            default -> throw new IllegalStateException(name);
        };
    }

    /** In docker's header set, these give back the column's name untouched; pad still aligns it. */
    private static boolean passesHeaderThrough(String name) {
        return switch (name) {
            case "json", "split", "join", "title", "lower", "upper", "truncate" -> true;
            default -> false;
        };
    }

    private static long length(Object item) {
        if (item == Values.MISSING) throw new Failure("reflect: call of reflect.Value.Type on zero Value");
        if (item == null) throw new Failure("len of nil pointer");
        if (item instanceof String s) return s.getBytes(StandardCharsets.UTF_8).length;
        if (item instanceof List<?> l) return l.size();
        if (item instanceof Map<?, ?> m) return m.size();
        throw new Failure("len of type " + GoFormat.typeName(item));
    }

    private static Object index(Object item, List<Object> indexes) {
        if (item == null || item == Values.MISSING) throw new Failure("index of untyped nil");
        for (Object index : indexes) {
            if (item == null) throw new Failure("index of nil pointer");
            if (item instanceof List<?> || item instanceof String) {
                int size = item instanceof List<?> l ? l.size() : ((String) item).getBytes(StandardCharsets.UTF_8).length;
                if (index == null || index == Values.MISSING) throw new Failure("cannot index slice/array with nil");
                if (!(index instanceof Long || index instanceof Integer))
                    throw new Failure("cannot index slice/array with type " + GoFormat.typeName(index));
                long x = ((Number) index).longValue();
                if (x < 0 || x > size) throw new Failure("index out of range: " + x);
                if (x == size) throw new Failure("reflect: slice index out of range");
                item = item instanceof List<?> l ? l.get((int) x) : (Object) (long) (((String) item).getBytes(StandardCharsets.UTF_8)[(int) x] & 0xff);
            } else if (item instanceof Map<?, ?> m) {
                if (index == null || index == Values.MISSING) throw new Failure("value is nil; should be of type string");
                if (!(index instanceof String)) throw new Failure("value has type " + GoFormat.typeName(index) + "; should be string");
                item = m.get(index); // a missing key gives the element type's zero value, nil
            } else {
                throw new Failure("can't index item of type " + GoFormat.typeName(item));
            }
        }
        return item;
    }

    /** Go's basic kinds, which decide what compares with what. */
    private enum Kind { INVALID, BOOL, INT, FLOAT, STRING, OTHER }

    private static Kind kind(Object v) {
        if (v == null || v == Values.MISSING) return Kind.INVALID;
        if (v instanceof Boolean) return Kind.BOOL;
        if (v instanceof Long || v instanceof Integer) return Kind.INT;
        if (v instanceof Double) return Kind.FLOAT;
        if (v instanceof String) return Kind.STRING;
        return Kind.OTHER;
    }

    /**
     * Go's eq, with one liberty: an integer and a float compare by value where Go refuses ("incompatible
     * types for comparison"), since docker's inspect falls back to untyped JSON numbers, where
     * {{eq .State.ExitCode 0.0}} works.
     */
    private static boolean eq(Object a, List<Object> others) {
        Kind ka = kind(a);
        if (ka == Kind.OTHER) throw new Failure("non-comparable type " + GoFormat.print(a) + ": " + GoFormat.typeName(a));
        if (others.isEmpty()) throw new Failure("missing argument for comparison");
        for (Object b : others) {
            Kind kb = kind(b);
            if (ka != kb) {
                if (numeric(ka) && numeric(kb)) {
                    if (((Number) a).doubleValue() == ((Number) b).doubleValue()) return true;
                    continue;
                }
                if (ka != Kind.INVALID && kb != Kind.INVALID) throw new Failure("incompatible types for comparison");
                continue;
            }
            if (ka == Kind.INVALID) return true; // nil equals nil
            if (ka == Kind.INT ? ((Number) a).longValue() == ((Number) b).longValue() : a.equals(b)) return true;
        }
        return false;
    }

    private static boolean numeric(Kind k) {
        return k == Kind.INT || k == Kind.FLOAT;
    }

    /** a < b, or a <= b when orEqual. */
    private static boolean less(Object a, Object b, boolean orEqual) {
        Kind ka = kind(a), kb = kind(b);
        if (ka == Kind.OTHER || ka == Kind.BOOL || ka == Kind.INVALID) throw new Failure("invalid type for comparison");
        if (ka != kb && !(numeric(ka) && numeric(kb))) throw new Failure("incompatible types for comparison");
        int c;
        if (ka == Kind.STRING) c = ((String) a).compareTo((String) b);
        else if (ka == Kind.INT && kb == Kind.INT) c = Long.compare(((Number) a).longValue(), ((Number) b).longValue());
        else c = Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue());
        return orEqual ? c <= 0 : c < 0;
    }

    private static List<String> strings(List<?> list) {
        List<String> out = new ArrayList<>(list.size());
        for (Object o : list) out.add((String) o);
        return out;
    }

    /** Go's strings.Split: an empty separator splits after each character. */
    private static List<Object> split(String s, String sep) {
        List<Object> parts = new ArrayList<>();
        if (sep.isEmpty()) {
            for (int i = 0; i < s.length(); i += Character.charCount(s.codePointAt(i)))
                parts.add(s.substring(i, i + Character.charCount(s.codePointAt(i))));
            return parts;
        }
        int from = 0;
        for (int at = s.indexOf(sep); at >= 0; at = s.indexOf(sep, from)) {
            parts.add(s.substring(from, at));
            from = at + sep.length();
        }
        parts.add(s.substring(from));
        return parts;
    }

    /** Go's strings.Title: the first letter of each word upper case. */
    private static String title(String s) {
        StringBuilder out = new StringBuilder(s.length());
        boolean start = true;
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            out.appendCodePoint(start ? Character.toTitleCase(c) : c);
            start = c < 0x80 ? !(c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
                    : !Character.isLetterOrDigit(c) && Character.isWhitespace(c);
        }
        return out.toString();
    }

    /** Go's strings.ToUpper/ToLower: character by character, whatever the locale ("ß" stays "ß"). */
    private static String mapCase(String s, boolean upper) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            out.appendCodePoint(upper ? Character.toUpperCase(c) : Character.toLowerCase(c));
        }
        return out.toString();
    }

    private static String pad(String s, long prefix, long suffix) {
        if (s.isEmpty()) return s;
        if (prefix < 0 || suffix < 0) throw new Failure("strings: negative Repeat count");
        return " ".repeat((int) prefix) + s + " ".repeat((int) suffix);
    }

    /** The first length bytes, as docker's truncate cuts a Go string (IDs and names are ASCII). */
    private static String truncate(String s, long length) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < length) return s;
        if (length < 0) throw new Failure("runtime error: slice bounds out of range [:" + length + "]");
        return new String(bytes, 0, (int) length, StandardCharsets.UTF_8);
    }
}
