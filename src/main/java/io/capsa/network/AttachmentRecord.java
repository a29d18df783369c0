package io.capsa.network;

import io.capsa.spec.Json;
import io.capsa.spec.Node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What was attached for one container, written before each CNI ADD and completed after it: the CNI cache the
 * spec asks a runtime to keep. A later detach (after a crash of the process that attached, too) DELs from it
 * with the same configuration and result, whatever happened to the network's file meanwhile.
 */
final class AttachmentRecord {
    /**
     * One network: the list and runtimeConfig (fixed IP, MAC, published ports) as they were used, and the ADD's
     * result once there is one.
     */
    record Entry(String network, String networkId, String ifname, List<String> aliases, Map<String, Object> conflist,
                 Map<String, Object> runtimeConfig, Map<String, Object> result) {
        Entry withResult(Map<String, Object> r) {
            return new Entry(network, networkId, ifname, aliases, conflist, runtimeConfig, r);
        }
    }

    final String containerId;
    final String containerName;
    final String netns;
    final List<PortMapping> ports;
    /** The container's --dns servers, which its networks' resolvers ask for other names. */
    final List<String> dnsServers;
    final List<Entry> entries;

    AttachmentRecord(String containerId, String containerName, String netns, List<PortMapping> ports, List<String> dnsServers, List<Entry> entries) {
        this.containerId = containerId;
        this.containerName = containerName;
        this.netns = netns;
        this.ports = ports;
        this.dnsServers = dnsServers;
        this.entries = new ArrayList<>(entries);
    }

    @SuppressWarnings("unchecked")
    static AttachmentRecord read(Path file) {
        Node root = Json.read(file);
        List<PortMapping> ports = new ArrayList<>();
        for (Node p : root.get("ports").list()) ports.add(PortMapping.fromCni((Map<?, ?>) p.raw()));
        List<Entry> entries = new ArrayList<>();
        for (Node e : root.get("networks").list()) {
            entries.add(new Entry(e.get("network").requiredString(), e.get("networkId").requiredString(), e.get("ifname").requiredString(),
                    e.get("aliases").strings(), (Map<String, Object>) e.get("conflist").raw(), (Map<String, Object>) e.get("runtimeConfig").raw(),
                    (Map<String, Object>) e.get("result").raw()));
        }
        return new AttachmentRecord(root.get("containerId").requiredString(), root.get("containerName").string(""),
                root.get("netns").requiredString(), ports, root.get("dnsServers").strings(), entries);
    }

    void write(Path file) {
        List<Object> ports = new ArrayList<>();
        for (PortMapping p : this.ports) ports.add(p.toCni());
        List<Object> networks = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("network", e.network());
            n.put("networkId", e.networkId());
            n.put("ifname", e.ifname());
            n.put("aliases", e.aliases());
            n.put("conflist", e.conflist());
            n.put("runtimeConfig", e.runtimeConfig());
            n.put("result", e.result());
            networks.add(n);
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("containerId", containerId);
        root.put("containerName", containerName);
        root.put("netns", netns);
        root.put("ports", ports);
        root.put("dnsServers", dnsServers);
        root.put("networks", networks);
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
            Files.writeString(tmp, Json.write(root));
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
