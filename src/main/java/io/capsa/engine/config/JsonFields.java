package io.capsa.engine.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reading the records' JSON back (as Json.parse gives it: Map, List, String, Long, Boolean): missing or mistyped fields read as unset. */
final class JsonFields {
    private JsonFields() {}

    static String string(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s ? s : "";
    }

    static String stringOrNull(Map<?, ?> m, String key) {
        return m.get(key) instanceof String s && !s.isEmpty() ? s : null;
    }

    static boolean bool(Map<?, ?> m, String key) {
        return Boolean.TRUE.equals(m.get(key));
    }

    static Boolean boolOrNull(Map<?, ?> m, String key) {
        return m.get(key) instanceof Boolean b ? b : null;
    }

    static long number(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    static Long numberOrNull(Map<?, ?> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : null;
    }

    static Map<?, ?> map(Map<?, ?> m, String key) {
        return m.get(key) instanceof Map<?, ?> map ? map : Map.of();
    }

    /** A list of strings, or null when the field is missing or null (Cmd and Entrypoint tell null from empty). */
    static List<String> stringsOrNull(Map<?, ?> m, String key) {
        if (!(m.get(key) instanceof List<?> list)) return null;
        List<String> out = new ArrayList<>();
        for (Object o : list) if (o instanceof String s) out.add(s);
        return out;
    }

    static List<String> strings(Map<?, ?> m, String key) {
        List<String> list = stringsOrNull(m, key);
        return list == null ? List.of() : list;
    }

    static List<Map<?, ?>> maps(Map<?, ?> m, String key) {
        List<Map<?, ?>> out = new ArrayList<>();
        if (m.get(key) instanceof List<?> list) for (Object o : list) if (o instanceof Map<?, ?> map) out.add(map);
        return out;
    }

    static Map<String, String> stringMap(Map<?, ?> m, String key) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map(m, key).entrySet())
            out.put(String.valueOf(e.getKey()), e.getValue() instanceof String s ? s : String.valueOf(e.getValue()));
        return out;
    }

    /** Docker's sets ({"/data": {}}) as their keys, in order. */
    static List<String> keys(Map<?, ?> m, String key) {
        List<String> out = new ArrayList<>();
        for (Object k : map(m, key).keySet()) out.add(String.valueOf(k));
        return out;
    }

    /** A list of keys as Docker's set: each key to an empty object; null when empty, as Docker prints it. */
    static Map<String, Object> set(List<String> keys) {
        if (keys.isEmpty()) return null;
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : keys) out.put(k, Map.of());
        return out;
    }
}
