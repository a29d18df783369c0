package io.capsa.image.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** A WWW-Authenticate header: {@code Bearer realm="https://auth.example/token",service="x",scope="repository:a:pull"}. */
record Challenge(String scheme, Map<String, String> params) {
    static Challenge parse(String header) {
        String h = header.trim();
        int space = h.indexOf(' ');
        String scheme = (space < 0 ? h : h.substring(0, space)).toLowerCase(Locale.ROOT);
        Map<String, String> params = new LinkedHashMap<>();
        int i = space < 0 ? h.length() : space + 1;
        while (i < h.length()) {
            while (i < h.length() && (h.charAt(i) == ' ' || h.charAt(i) == ',')) i++;
            int eq = h.indexOf('=', i);
            if (eq < 0) break;
            String key = h.substring(i, eq).trim().toLowerCase(Locale.ROOT);
            StringBuilder value = new StringBuilder();
            i = eq + 1;
            if (i < h.length() && h.charAt(i) == '"') {
                for (i++; i < h.length() && h.charAt(i) != '"'; i++) {
                    if (h.charAt(i) == '\\' && i + 1 < h.length()) i++;
                    value.append(h.charAt(i));
                }
                i++;
            } else {
                for (; i < h.length() && h.charAt(i) != ','; i++) value.append(h.charAt(i));
            }
            params.put(key, value.toString().trim());
        }
        return new Challenge(scheme, params);
    }
}
