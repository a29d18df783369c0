package io.capsa.network;

import io.capsa.spec.Node;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One network as capsa keeps it: a CNI 1.0 configuration list (bridge with host-local IPAM, portmap, tuning;
 * its masquerade and forwarding are NetworkRules', one set for the network) with capsa's own facts beside the plugins, under keys no plugin reads, as nerdctl keeps its
 * labels in its lists. An internal network has no masquerade and gives its containers no default route.
 */
public record NetworkConfig(String name, String id, String bridge, Subnet subnet, int gateway, boolean internal,
                            Map<String, String> labels, String created) {
    static final String CNI_VERSION = "1.0.0";
    /** The network every container joins unless told otherwise, as docker's "bridge". */
    public static final String DEFAULT = "capsa";
    /** The default network's bridge, and the host-local leases of its addresses: one per host, as Docker's docker0. */
    static final String DEFAULT_BRIDGE = "capsa0";
    public static final java.nio.file.Path DEFAULT_IPAM_DIR = java.nio.file.Path.of("/run/capsa-default-network");

    public boolean isDefault() {
        return name.equals(DEFAULT);
    }

    /** Containers on user networks find each other by name; on the default network they do not, as in docker. */
    public boolean dns() {
        return !isDefault();
    }

    /** The network's list as stored: every plugin a container on it may need. */
    Map<String, Object> toConflist() {
        return toConflist(true, true);
    }

    /**
     * The list one container is attached with (and detached: a DEL takes the ADD's list): portmap only with ports
     * to publish, tuning only with a MAC to set, as each plugin costs an exec at every ADD and DEL, portmap also
     * its iptables calls (~40 ms of a run on the default network).
     */
    Map<String, Object> toConflist(boolean portmap, boolean tuning) {
        Map<String, Object> range = new LinkedHashMap<>();
        range.put("subnet", subnet.toString());
        range.put("gateway", Subnet.format(gateway));
        Map<String, Object> ipam = new LinkedHashMap<>();
        ipam.put("type", "host-local");
        ipam.put("ranges", List.of(List.of(range)));
        ipam.put("routes", internal ? List.of() : List.of(Map.of("dst", "0.0.0.0/0")));
        Map<String, Object> bridgePlugin = new LinkedHashMap<>();
        bridgePlugin.put("type", "bridge");
        bridgePlugin.put("bridge", bridge);
        bridgePlugin.put("isGateway", true); // the gateway address is also where the network's resolver listens
        bridgePlugin.put("ipMasq", false); // NetworkRules masquerades a whole network
        bridgePlugin.put("hairpinMode", true);
        bridgePlugin.put("capabilities", Map.of("ips", true));
        bridgePlugin.put("ipam", ipam);
        List<Object> plugins = new ArrayList<>();
        plugins.add(bridgePlugin);
        if (portmap) plugins.add(new LinkedHashMap<>(Map.of("type", "portmap", "capabilities", Map.of("portMappings", true))));
        if (tuning) plugins.add(new LinkedHashMap<>(Map.of("type", "tuning", "capabilities", Map.of("mac", true))));
        Map<String, Object> list = new LinkedHashMap<>();
        list.put("cniVersion", CNI_VERSION);
        list.put("name", name);
        list.put("capsaId", id);
        list.put("capsaCreated", created);
        list.put("capsaInternal", internal);
        list.put("capsaLabels", new TreeMap<>(labels));
        list.put("plugins", plugins);
        return list;
    }

    static NetworkConfig fromConflist(Node list) {
        Node bridgePlugin = list.get("plugins").list().getFirst();
        Node range = bridgePlugin.get("ipam").get("ranges").list().getFirst().list().getFirst();
        Map<String, String> labels = new TreeMap<>();
        for (Map.Entry<String, Node> e : list.get("capsaLabels").entries().entrySet()) labels.put(e.getKey(), e.getValue().requiredString());
        String name = list.get("name").requiredString();
        return new NetworkConfig(name, list.get("capsaId").requiredString(), bridgePlugin.get("bridge").requiredString(),
                Subnet.parse(range.get("subnet").requiredString()), Subnet.address(range.get("gateway").requiredString(), "gateway"),
                list.get("capsaInternal").bool(false), labels, list.get("capsaCreated").requiredString());
    }
}
