package io.capsa.network;

import io.capsa.spec.Json;
import io.capsa.spec.Node;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a CNI 1.0 configuration list's plugins as the spec asks of a runtime: each plugin gets the list's name and
 * cniVersion, only the runtimeConfig keys it declares in its capabilities, and on ADD the previous plugin's result
 * as prevResult; DEL goes in reverse order with the cached ADD result, and an ADD that fails is undone by a DEL of
 * the whole list. Plugins are executables in /usr/lib/cni (Debian's containernetworking-plugins).
 */
final class Cni {
    static final Path PLUGINS = Path.of("/usr/lib/cni");

    /** Where host-local keeps its leases: under the run root, so that a reboot forgets them with the veths. */
    private final Path ipamDir;

    Cni(Path ipamDir) {
        this.ipamDir = ipamDir;
    }

    /** What one container's ADD or DEL is about. */
    record Call(String containerId, String netns, String ifname, String args, Map<String, Object> runtimeConfig) {}

    /** ADD of every plugin of the list; returns the last one's result. */
    Map<String, Object> add(Map<String, Object> list, Call call) {
        Map<String, Object> result = null;
        for (Map<String, Object> plugin : plugins(list)) {
            try {
                result = run("ADD", pluginConfig(list, plugin, call, result), call, plugin);
            } catch (NetworkException e) {
                try {
                    del(list, call, result);
                } catch (NetworkException undo) {
                    e.addSuppressed(undo);
                }
                throw e;
            }
        }
        return result;
    }

    /** DEL of every plugin in reverse order; each is tried even when one before it failed. */
    void del(Map<String, Object> list, Call call, Map<String, Object> cachedResult) {
        List<Map<String, Object>> plugins = plugins(list);
        NetworkException first = null;
        for (int i = plugins.size() - 1; i >= 0; i--) {
            try {
                run("DEL", pluginConfig(list, plugins.get(i), call, cachedResult), call, plugins.get(i));
            } catch (NetworkException e) {
                if (first == null) first = e;
            }
        }
        if (first != null) throw first;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> plugins(Map<String, Object> list) {
        return (List<Map<String, Object>>) list.get("plugins");
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> pluginConfig(Map<String, Object> list, Map<String, Object> plugin, Call call, Map<String, Object> prevResult) {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("cniVersion", list.get("cniVersion"));
        config.put("name", list.get("name"));
        config.putAll(plugin);
        if (plugin.get("ipam") instanceof Map<?, ?> ipam && "host-local".equals(ipam.get("type"))) {
            Map<String, Object> withDir = new LinkedHashMap<>((Map<String, Object>) ipam);
            // The default network's bridge is the host's, whatever the data root: so are its leases.
            withDir.put("dataDir", (NetworkConfig.DEFAULT.equals(list.get("name")) ? NetworkConfig.DEFAULT_IPAM_DIR : ipamDir).toString());
            config.put("ipam", withDir);
        }
        Map<String, Object> runtime = new LinkedHashMap<>();
        if (plugin.get("capabilities") instanceof Map<?, ?> capabilities) {
            for (Map.Entry<?, ?> c : capabilities.entrySet()) {
                Object value = call.runtimeConfig().get((String) c.getKey());
                if (Boolean.TRUE.equals(c.getValue()) && value != null) runtime.put((String) c.getKey(), value);
            }
        }
        if (!runtime.isEmpty()) config.put("runtimeConfig", runtime);
        if (prevResult != null) config.put("prevResult", prevResult);
        return config;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> run(String command, Map<String, Object> config, Call call, Map<String, Object> plugin) {
        String type = (String) plugin.get("type");
        ProcessBuilder pb = new ProcessBuilder(PLUGINS.resolve(type).toString());
        Map<String, String> env = pb.environment();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", call.containerId());
        env.put("CNI_NETNS", call.netns());
        env.put("CNI_IFNAME", call.ifname());
        env.put("CNI_ARGS", call.args());
        env.put("CNI_PATH", PLUGINS.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD); // errors come as JSON on stdout
        String out;
        int exit;
        try {
            Process p = pb.start();
            try (OutputStream in = p.getOutputStream()) {
                in.write(Json.write(config).getBytes(StandardCharsets.UTF_8));
            }
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            exit = p.waitFor();
        } catch (IOException e) {
            throw new NetworkException("CNI plugin " + type + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkException("interrupted while CNI plugin " + type + " ran");
        }
        if (exit != 0) throw new NetworkException("CNI plugin " + type + " " + command + " failed: " + errorText(out, exit));
        if (command.equals("DEL") || out.isBlank()) return null;
        return (Map<String, Object>) Json.parse(out, type + "'s result").raw();
    }

    /** The spec's error object ({"code", "msg", "details"}) in one line, or what the plugin printed. */
    private static String errorText(String out, int exit) {
        try {
            Node error = Json.parse(out, "error");
            String details = error.get("details").string("");
            return error.get("msg").string("exit status " + exit) + (details.isEmpty() ? "" : ": " + details);
        } catch (RuntimeException e) {
            return out.isBlank() ? "exit status " + exit : out.strip().replace('\n', ' ');
        }
    }

    /** The loopback plugin's list, which brings lo up in a namespace. */
    static Map<String, Object> loopback() {
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("cniVersion", NetworkConfig.CNI_VERSION);
        list.put("name", "capsa-loopback");
        list.put("plugins", new ArrayList<>(List.of(Map.of("type", "loopback"))));
        return list;
    }
}
