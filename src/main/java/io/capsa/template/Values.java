package io.capsa.template;

import java.util.List;
import java.util.Map;

/** Go's view of the values a template handles. */
final class Values {
    private Values() {}

    /**
     * No value at all, as Go's invalid reflect.Value: what a missing map key gives. It prints as
     * "&lt;no value&gt;" and is false; a JSON null (Java null) is a nil interface, which Go tells apart.
     */
    static final Object MISSING = new Object();

    /** Go's truth: false, 0, nil, a missing value, and an empty string, list or map are false. */
    static boolean isTrue(Object v) {
        if (v == null || v == MISSING) return false;
        if (v instanceof Boolean b) return b;
        if (v instanceof String s) return !s.isEmpty();
        if (v instanceof Number n) return n.doubleValue() != 0;
        if (v instanceof List<?> l) return !l.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        return true;
    }
}
