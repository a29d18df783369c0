package io.capsa.engine.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** --restart: name "no", "on-failure", "always" or "unless-stopped"; a retry count only with on-failure (0 = no limit). */
public record RestartPolicy(String name, int maximumRetryCount) {
    public static final RestartPolicy NO = new RestartPolicy("no", 0);

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Name", name);
        m.put("MaximumRetryCount", maximumRetryCount);
        return m;
    }

    public static RestartPolicy fromJson(Map<?, ?> m) {
        String name = JsonFields.string(m, "Name");
        return name.isEmpty() ? NO : new RestartPolicy(name, (int) JsonFields.number(m, "MaximumRetryCount"));
    }
}
