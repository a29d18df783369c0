package io.capsa.engine.config;

import java.util.LinkedHashMap;
import java.util.Map;

/** STUB until runspec lands. */
public record HostConfig(boolean autoRemove, RestartPolicy restartPolicy, String networkMode, String pidMode, String ipcMode, String utsMode) {
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("AutoRemove", autoRemove);
        m.put("RestartPolicy", Map.of("Name", restartPolicy.name(), "MaximumRetryCount", restartPolicy.maximumRetryCount()));
        m.put("NetworkMode", networkMode);
        return m;
    }

    public static HostConfig fromJson(Map<?, ?> m) {
        Map<?, ?> r = (Map<?, ?>) m.get("RestartPolicy");
        return new HostConfig(Boolean.TRUE.equals(m.get("AutoRemove")), new RestartPolicy((String) r.get("Name"), ((Number) r.get("MaximumRetryCount")).intValue()),
                (String) m.get("NetworkMode"), "", "", "");
    }
}
