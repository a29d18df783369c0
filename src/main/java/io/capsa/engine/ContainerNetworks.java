package io.capsa.engine;

import io.capsa.linux.Proc;
import io.capsa.network.Attached;
import io.capsa.network.Attachment;
import io.capsa.network.Endpoint;
import io.capsa.network.NetworkConfig;
import io.capsa.network.Networks;
import io.capsa.network.PortMapping;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.spec.Node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's networks: attached (CNI ADD through the network library) once its network namespace exists and
 * before its program starts, detached when it ends. What was attached is kept in network.json beside the record,
 * for inspect, ps and port; its namespace is visible as /run/netns/capsa-NAME while it runs.
 */
public final class ContainerNetworks {
    /** Docker's name for the default network, which capsa's library calls "capsa". */
    static final String BRIDGE = "bridge";

    private final Networks networks;
    private final ContainerStore store;

    ContainerNetworks(Networks networks, ContainerStore store) {
        this.networks = networks;
        this.store = store;
    }

    /** What a running container was given: its netns file, one endpoint per network, the published ports. */
    public record Settings(String netns, List<Endpoint> endpoints, List<String> requested, List<PortMapping> ports) {
        static final Settings NONE = new Settings("", List.of(), List.of(), List.of());
    }

    /** Attaches the container whose init is pid; its /etc/hosts and resolv.conf then name its address and resolver. */
    void attach(ContainerRecord record, int pid) {
        List<Attachment> requested = record.hostConfig().networks();
        if (requested.isEmpty()) return; // none, host or another container's
        List<Attachment> requests = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (Attachment a : requested) {
            names.add(a.network());
            requests.add(a.network().equals(BRIDGE) ? new Attachment(NetworkConfig.DEFAULT, a.aliases(), a.ip(), a.mac()) : a);
        }
        Path netns = Networks.bindNetns(netnsName(record), pid);
        write(record.id(), new Settings(netns.toString(), List.of(), names, List.of())); // what a detach after a crash needs
        Attached attached = networks.attach(record.id(), record.name(), netns, requests, ports(record), record.hostConfig().dns());
        Settings settings = new Settings(netns.toString(), attached.endpoints(), names, attached.ports());
        write(record.id(), settings);
        Endpoint first = attached.endpoints().getFirst();
        Path dir = store.dir(record.id());
        rewrite(dir.resolve("hosts"), hosts -> withAddress(hosts, hostname(dir), first.address()));
        if (first.resolver() != null && record.hostConfig().dns().isEmpty())
            rewrite(dir.resolve("resolv.conf"), conf -> withResolver(conf, first.resolver()));
    }

    /**
     * The name its namespace gets under /run/netns: capsa-NAME, unless that file is another data root's container's,
     * in use (then capsa-NAME-SHORTID). One no process is in any more (left by a crash) is removed first.
     */
    private static String netnsName(ContainerRecord record) {
        Path file = Networks.netnsPath(record.name());
        if (!Files.exists(file)) return record.name();
        long inode = Proc.namespaceInode(file);
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : processes) {
                if (Proc.namespaceInode(p.resolve("ns/net")) == inode) return record.name() + "-" + record.shortId();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("list processes", e);
        }
        Networks.unbindNetns(record.name());
        return record.name();
    }

    /** docker network connect of a running container: one more endpoint, the next ethN. */
    void connect(String id, Attachment request) {
        Settings s = settings(id);
        if (s.requested().contains(request.network())) throw new CapsaException("container " + id + " is already on network " + request.network());
        Attachment a = request.network().equals(BRIDGE) ? new Attachment(NetworkConfig.DEFAULT, request.aliases(), request.ip(), request.mac()) : request;
        Endpoint endpoint = networks.connect(id, a);
        List<Endpoint> endpoints = new ArrayList<>(s.endpoints());
        endpoints.add(endpoint);
        List<String> requested = new ArrayList<>(s.requested());
        requested.add(request.network());
        write(id, new Settings(s.netns(), endpoints, requested, s.ports()));
        Path dir = store.dir(id);
        rewrite(dir.resolve("hosts"), hosts -> hosts + hostsLine(endpoint.address(), hostname(dir)));
    }

    /** docker network disconnect of a running container. */
    void disconnect(String id, String network) {
        Settings s = settings(id);
        int at = s.requested().indexOf(network);
        if (at < 0) throw new CapsaException("container " + id + " is not connected to network " + network);
        networks.disconnect(id, network.equals(BRIDGE) ? NetworkConfig.DEFAULT : network);
        List<Endpoint> endpoints = new ArrayList<>(s.endpoints());
        Path dir = store.dir(id);
        String line = hostsLine(endpoints.remove(at).address(), hostname(dir));
        rewrite(dir.resolve("hosts"), hosts -> hosts.replace(line, ""));
        List<String> requested = new ArrayList<>(s.requested());
        requested.remove(at);
        write(id, new Settings(s.netns(), endpoints, requested, s.ports()));
    }

    /** -p's ports, and with -P each exposed port not published already, to a free host port. */
    private static List<PortMapping> ports(ContainerRecord record) {
        List<PortMapping> ports = new ArrayList<>(record.hostConfig().portBindings());
        if (!record.hostConfig().publishAllPorts()) return ports;
        for (String exposed : record.config().exposedPorts()) {
            String[] p = exposed.split("/", 2);
            int port = Integer.parseInt(p[0]);
            String protocol = p.length > 1 ? p[1] : "tcp";
            boolean given = false;
            for (PortMapping m : ports) given |= m.containerPort() == port && m.protocol().equals(protocol);
            if (!given) ports.add(new PortMapping("", 0, port, protocol));
        }
        return ports;
    }

    /** Takes the container off its networks (also after a crash that left an attachment), and its netns file away. */
    void detach(String id) {
        Path file = store.dir(id).resolve("network.json");
        networks.detach(id);
        if (!Files.exists(file)) return;
        Settings s = settings(id);
        Networks.unbindNetns(Path.of(s.netns()).getFileName().toString().substring("capsa-".length()));
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException("remove " + file, e);
        }
    }

    /** The containers the network library has attachments of. */
    List<String> attached() {
        return networks.attachedContainers();
    }

    Settings settings(String id) {
        Path file = store.dir(id).resolve("network.json");
        if (!Files.exists(file)) return Settings.NONE;
        Node n = Json.read(file);
        List<Endpoint> endpoints = new ArrayList<>();
        for (Node e : n.get("Endpoints").list()) {
            endpoints.add(new Endpoint(e.get("Network").requiredString(), e.get("NetworkID").requiredString(), id,
                    e.get("ContainerName").string(""), e.get("Interface").requiredString(), e.get("IPAddress").requiredString(),
                    (int) e.get("IPPrefixLen").integer(0), e.get("Gateway").string(""), e.get("MacAddress").string(""),
                    e.get("Resolver").string(null)));
        }
        List<PortMapping> ports = new ArrayList<>();
        for (Node p : n.get("Ports").list()) {
            ports.add(new PortMapping(p.get("HostIp").string(""), (int) p.get("HostPort").integer(0),
                    (int) p.get("ContainerPort").integer(0), p.get("Protocol").requiredString()));
        }
        return new Settings(n.get("Netns").requiredString(), endpoints, n.get("Requested").strings(), ports);
    }

    private void write(String id, Settings s) {
        List<Object> endpoints = new ArrayList<>();
        for (Endpoint e : s.endpoints()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Network", e.network());
            m.put("NetworkID", e.networkId());
            m.put("ContainerName", e.containerName());
            m.put("Interface", e.ifname());
            m.put("IPAddress", e.address());
            m.put("IPPrefixLen", e.prefixLength());
            m.put("Gateway", e.gateway());
            m.put("MacAddress", e.mac());
            if (e.resolver() != null) m.put("Resolver", e.resolver());
            endpoints.add(m);
        }
        List<Object> ports = new ArrayList<>();
        for (PortMapping p : s.ports()) {
            ports.add(Map.of("HostIp", p.hostIp(), "HostPort", p.hostPort(), "ContainerPort", p.containerPort(), "Protocol", p.protocol()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Netns", s.netns());
        m.put("Requested", s.requested());
        m.put("Endpoints", endpoints);
        m.put("Ports", ports);
        try {
            Files.writeString(store.dir(id).resolve("network.json"), Json.write(m));
        } catch (IOException e) {
            throw new UncheckedIOException("write network.json of " + id, e);
        }
    }

    private static String hostname(Path dir) {
        try {
            return Files.readString(dir.resolve("hostname")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("read the container's hostname file", e);
        }
    }

    /**
     * Docker's /etc/hosts on a network: the container's own name on its address instead of 127.0.0.1; a network
     * connected later adds a line of its address, which its disconnect takes away.
     */
    static String withAddress(String hosts, String hostname, String address) {
        String loopback = hostsLine("127.0.0.1", hostname);
        String own = hostsLine(address, hostname);
        return hosts.contains(loopback) ? hosts.replace(loopback, own) : hosts + own;
    }

    private static String hostsLine(String address, String hostname) {
        return address + "\t" + hostname + "\n";
    }

    /** On a network with a resolver (a user network), that resolver is the only name server, as Docker's 127.0.0.11. */
    static String withResolver(String resolvConf, String resolver) {
        StringBuilder b = new StringBuilder();
        for (String line : resolvConf.split("\n")) if (!line.isEmpty() && !line.startsWith("nameserver")) b.append(line).append('\n');
        return "nameserver " + resolver + "\n" + b;
    }

    /** Rewrites a file in place: it is bind-mounted into the container, so its inode must stay. */
    private static void rewrite(Path file, java.util.function.UnaryOperator<String> change) {
        try {
            Files.writeString(file, change.apply(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("rewrite " + file, e);
        }
    }
}
