package io.capsa.engine.config;

import io.capsa.image.ImageConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.capsa.engine.config.JsonFields.bool;
import static io.capsa.engine.config.JsonFields.keys;
import static io.capsa.engine.config.JsonFields.numberOrNull;
import static io.capsa.engine.config.JsonFields.string;
import static io.capsa.engine.config.JsonFields.stringMap;
import static io.capsa.engine.config.JsonFields.strings;
import static io.capsa.engine.config.JsonFields.stringsOrNull;

/**
 * Docker's container "Config": what runs and as whom. Strings are "" when not given; cmd and entrypoint are
 * null when not given, and an empty entrypoint is one reset by `--entrypoint ""`; stopSignal and
 * stopTimeout may be null.
 */
public record ContainerConfig(String hostname, String domainname, String user, boolean attachStdin, boolean attachStdout,
                              boolean attachStderr, boolean tty, boolean openStdin, boolean stdinOnce, List<String> env,
                              List<String> cmd, String image, List<String> volumes, String workingDir,
                              List<String> entrypoint, Map<String, String> labels, String stopSignal, Integer stopTimeout,
                              List<String> exposedPorts) {

    public ContainerConfig {
        hostname = orEmpty(hostname);
        domainname = orEmpty(domainname);
        user = orEmpty(user);
        env = List.copyOf(env == null ? List.of() : env);
        cmd = cmd == null ? null : List.copyOf(cmd);
        image = orEmpty(image);
        volumes = List.copyOf(volumes == null ? List.of() : volumes);
        workingDir = orEmpty(workingDir);
        entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
        labels = labels == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(labels));
        if (stopSignal != null && stopSignal.isEmpty()) stopSignal = null;
        exposedPorts = List.copyOf(exposedPorts == null ? List.of() : exposedPorts);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    /**
     * Docker's merge: what the user did not give comes from the image. Env is merged by name (the user's
     * first, then the image's it does not override); without an entrypoint of the user's the image's Cmd
     * fills an empty Cmd, and a null entrypoint takes the image's (so `--entrypoint X` drops the image's
     * Cmd and `--entrypoint ""` keeps it without the image's entrypoint); Labels, Volumes and ExposedPorts
     * are the union, the user's labels winning.
     */
    public static ContainerConfig merged(ContainerConfig user, ImageConfig image) {
        if (image == null) return user;
        List<String> env = new ArrayList<>(user.env);
        for (String e : list(image.env())) if (!hasVariable(user.env, name(e))) env.add(e);
        List<String> cmd = user.cmd, entrypoint = user.entrypoint;
        if (entrypoint == null || entrypoint.isEmpty()) {
            if (cmd == null || cmd.isEmpty()) cmd = image.cmd();
            if (entrypoint == null) entrypoint = image.entrypoint();
        }
        Map<String, String> labels = new LinkedHashMap<>(image.labels() == null ? Map.of() : image.labels());
        labels.putAll(user.labels);
        return new ContainerConfig(user.hostname, user.domainname, or(user.user, image.user()), user.attachStdin,
                user.attachStdout, user.attachStderr, user.tty, user.openStdin, user.stdinOnce, env, cmd, user.image,
                union(list(image.volumes()), user.volumes), or(user.workingDir, image.workingDir()), entrypoint, labels,
                user.stopSignal != null ? user.stopSignal : image.stopSignal(), user.stopTimeout,
                union(list(image.exposedPorts()), user.exposedPorts));
    }

    /** The name of a NAME=value entry. */
    public static String name(String variable) {
        int eq = variable.indexOf('=');
        return eq < 0 ? variable : variable.substring(0, eq);
    }

    static boolean hasVariable(List<String> env, String name) {
        for (String e : env) if (name(e).equals(name)) return true;
        return false;
    }

    private static String or(String given, String fromImage) {
        return !given.isEmpty() || fromImage == null ? given : fromImage;
    }

    private static List<String> list(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static List<String> union(List<String> first, List<String> second) {
        List<String> out = new ArrayList<>(first);
        for (String s : second) if (!out.contains(s)) out.add(s);
        return out;
    }

    /** As `docker inspect` prints .Config. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Hostname", hostname);
        m.put("Domainname", domainname);
        m.put("User", user);
        m.put("AttachStdin", attachStdin);
        m.put("AttachStdout", attachStdout);
        m.put("AttachStderr", attachStderr);
        if (!exposedPorts.isEmpty()) m.put("ExposedPorts", JsonFields.set(exposedPorts));
        m.put("Tty", tty);
        m.put("OpenStdin", openStdin);
        m.put("StdinOnce", stdinOnce);
        m.put("Env", env);
        m.put("Cmd", cmd);
        m.put("Image", image);
        m.put("Volumes", JsonFields.set(volumes));
        m.put("WorkingDir", workingDir);
        m.put("Entrypoint", entrypoint);
        m.put("OnBuild", null);
        m.put("Labels", labels);
        if (stopSignal != null) m.put("StopSignal", stopSignal);
        if (stopTimeout != null) m.put("StopTimeout", stopTimeout);
        return m;
    }

    public static ContainerConfig fromJson(Map<?, ?> m) {
        Long timeout = numberOrNull(m, "StopTimeout");
        return new ContainerConfig(string(m, "Hostname"), string(m, "Domainname"), string(m, "User"),
                bool(m, "AttachStdin"), bool(m, "AttachStdout"), bool(m, "AttachStderr"), bool(m, "Tty"),
                bool(m, "OpenStdin"), bool(m, "StdinOnce"), strings(m, "Env"), stringsOrNull(m, "Cmd"), string(m, "Image"),
                keys(m, "Volumes"), string(m, "WorkingDir"), stringsOrNull(m, "Entrypoint"), stringMap(m, "Labels"),
                JsonFields.stringOrNull(m, "StopSignal"), timeout == null ? null : timeout.intValue(), keys(m, "ExposedPorts"));
    }
}
