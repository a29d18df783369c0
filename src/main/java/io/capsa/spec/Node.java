package io.capsa.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A value inside parsed JSON that knows its path ("linux.namespaces[2].type"), for precise errors. The path
 * is spelled out only when asked for: most nodes never name themselves, and a parse makes hundreds.
 */
public final class Node {
    private final Object value;
    private final Node parent; // null at the root
    private final String name; // the root's name or a member's key; null for an array element
    private final int index;

    private Node(Object value, Node parent, String name, int index) {
        this.value = value;
        this.parent = parent;
        this.name = name;
        this.index = index;
    }

    public static Node root(Object value, String name) {
        return new Node(value, null, name, 0);
    }

    public String path() {
        if (parent == null) return name;
        String up = parent.path();
        if (name == null) return up + "[" + index + "]";
        return up.isEmpty() ? name : up + "." + name;
    }

    public boolean missing() {
        return value == null;
    }

    public Object raw() {
        return value;
    }

    public Node get(String key) {
        Map<?, ?> map = map();
        return new Node(map == null ? null : map.get(key), this, key, 0);
    }

    public SpecException error(String reason) {
        return new SpecException(path() + ": " + reason);
    }

    /** A string without NUL: the kernel and the helper read a string up to its first NUL, which would cut it short. */
    public String string(String fallback) {
        if (value == null) return fallback;
        if (!(value instanceof String s)) throw error("expected a string");
        if (s.indexOf('\0') >= 0) throw error("must not contain a NUL character (\\u0000)");
        return s;
    }

    public String requiredString() {
        if (value == null) throw error("is required");
        return string(null);
    }

    public boolean bool(boolean fallback) {
        if (value == null) return fallback;
        if (value instanceof Boolean b) return b;
        throw error("expected true or false");
    }

    /** Any integer a long holds. */
    public long integer(long fallback) {
        return integer(fallback, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /**
     * An integer in min..max. A fraction, or a number beyond the range, is refused rather than rounded or
     * narrowed: 2^64 as a uid would otherwise become 0, root.
     */
    public long integer(long fallback, long min, long max) {
        if (value == null) return fallback;
        if (value instanceof Long l && l >= min && l <= max) return l;
        if (value instanceof Long || value instanceof BigInteger) throw error(value + " is out of range " + min + ".." + max);
        if (value instanceof Double) throw error(value + " is not an integer");
        throw error("expected an integer");
    }

    /** A non-negative integer that fits in 32 bits, as id mappings and file modes are. */
    public long uint32(long fallback) {
        return integer(fallback, 0, 0xffffffffL);
    }

    /** 0..2^64-1, as the kernel's unsigned 64-bit values (rlim_t); above 2^63-1 the long holds its bits. */
    public long uint64(long fallback) {
        if (value instanceof BigInteger b && b.signum() > 0 && b.bitLength() <= 64) return b.longValue();
        if (value instanceof BigInteger || value instanceof Long l && l < 0)
            throw error(value + " is out of range 0..18446744073709551615");
        return integer(fallback);
    }

    public List<Node> list() {
        if (value == null) return List.of();
        if (!(value instanceof List<?> items)) throw error("expected an array");
        List<Node> nodes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) nodes.add(new Node(items.get(i), this, null, i));
        return nodes;
    }

    public List<String> strings() {
        List<String> strings = new ArrayList<>();
        for (Node n : list()) strings.add(n.string(null));
        return Collections.unmodifiableList(strings);
    }

    /** The members of an object, in document order. */
    public Map<String, Node> entries() {
        Map<?, ?> map = map();
        Map<String, Node> entries = new LinkedHashMap<>();
        if (map == null) return entries;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = (String) e.getKey();
            if (key.indexOf('\0') >= 0) throw error("a member's name must not contain a NUL character (\\u0000)");
            entries.put(key, new Node(e.getValue(), this, key, 0));
        }
        return entries;
    }

    private Map<?, ?> map() {
        if (value == null) return null;
        if (value instanceof Map<?, ?> m) return m;
        throw error("expected an object");
    }
}
