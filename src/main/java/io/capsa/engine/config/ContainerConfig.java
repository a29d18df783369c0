package io.capsa.engine.config;

import io.capsa.image.ImageConfig;
import io.capsa.spec.Node;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** STUB until runspec lands. */
public record ContainerConfig(String image, List<String> cmd, List<String> entrypoint, List<String> env, String workingDir,
                              boolean tty, boolean openStdin, String stopSignal, Integer stopTimeout, Map<String, String> labels) {
    public static ContainerConfig merged(ContainerConfig user, ImageConfig image) {
        return new ContainerConfig(user.image, user.cmd.isEmpty() ? image.cmd() : user.cmd, image.entrypoint(),
                image.env(), image.workingDir(), user.tty, user.openStdin, image.stopSignal(), null, image.labels());
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Image", image);
        m.put("Cmd", cmd);
        m.put("Entrypoint", entrypoint);
        m.put("Env", env);
        m.put("WorkingDir", workingDir);
        m.put("Tty", tty);
        m.put("OpenStdin", openStdin);
        m.put("StopSignal", stopSignal);
        m.put("StopTimeout", stopTimeout);
        m.put("Labels", labels);
        return m;
    }

    @SuppressWarnings("unchecked")
    public static ContainerConfig fromJson(Map<?, ?> m) {
        Node n = Node.root(m, "Config");
        return new ContainerConfig(n.get("Image").string(null), (List<String>) m.get("Cmd"), (List<String>) m.get("Entrypoint"),
                (List<String>) m.get("Env"), n.get("WorkingDir").string(""), n.get("Tty").bool(false), n.get("OpenStdin").bool(false),
                n.get("StopSignal").string(null), null, (Map<String, String>) m.get("Labels"));
    }
}
