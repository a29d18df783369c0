package io.capsa.spec;

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

    public String string(String fallback) {
        if (value == null) return fallback;
        if (value instanceof String s) return s;
        throw error("expected a string");
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

    public long integer(long fallback) {
        if (value == null) return fallback;
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) return n.longValue();
        throw error("expected an integer");
    }

    /** A non-negative integer that fits in 32 bits, as uids, gids and mapping sizes are. */
    public long uint32(long fallback) {
        long v = integer(fallback);
        if (v < 0 || v > 0xffffffffL) throw error("must be between 0 and 4294967295");
        return v;
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
        if (map != null) map.forEach((k, v) -> entries.put((String) k, new Node(v, this, (String) k, 0)));
        return entries;
    }

    private Map<?, ?> map() {
        if (value == null) return null;
        if (value instanceof Map<?, ?> m) return m;
        throw error("expected an object");
    }
}
