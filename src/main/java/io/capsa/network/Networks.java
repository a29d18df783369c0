package io.capsa.network;

import io.capsa.spec.Node;
import io.capsa.spec.Quoted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * capsa's networks: their configurations in the data root, and containers' attachments to them through CNI.
 * Runtime state lives under {@code <run-root>/_networks} (gone with a reboot, as the veths it describes): the
 * lock, host-local's leases, one attachment record per container and the resolvers' files.
 */
public final class Networks {
    private final NetworkStore store;
    private final Path state;
    private final Cni cni;
    private final Dns dns;
    private final AttachedContainers users;

    public Networks(Path dataRoot, Path runRoot, AttachedContainers users) {
        this.store = new NetworkStore(dataRoot);
        this.state = runRoot.resolve("_networks");
        this.cni = new Cni(state.resolve("ipam"));
        this.dns = new Dns(state.resolve("dns"));
        this.users = users;
    }

    private NetworkLock lock() {
        return NetworkLock.take(state.resolve("lock"));
    }

    /** Every network by name; the default one is made on first use. */
    public List<NetworkConfig> list() {
        try (NetworkLock ignored = lock()) {
            return store.list();
        }
    }

    /** By name, ID or unique ID prefix. */
    public NetworkConfig find(String nameOrId) {
        try (NetworkLock ignored = lock()) {
            return store.find(nameOrId);
        }
    }

    /** A user network; subnet and gateway may be null (a free /24 and its first address). */
    public NetworkConfig create(String name, String subnet, String gateway, boolean internal, Map<String, String> labels) {
        try (NetworkLock ignored = lock()) {
            return store.create(name, subnet, gateway, internal, labels);
        }
    }

    /** The containers attached to a network now, from the attachment records. */
    public List<Endpoint> endpoints(NetworkConfig network) {
        List<Endpoint> all = new ArrayList<>();
        try (NetworkLock ignored = lock()) {
            for (AttachmentRecord r : records()) {
                for (AttachmentRecord.Entry e : r.entries) {
                    if (e.networkId().equals(network.id()) && e.result() != null) all.add(endpoint(r, e, network));
                }
            }
        }
        return all;
    }

    /**
     * Removes the networks, all or none: one unknown or still used by a container is refused before any goes.
     * Their bridge, isolation rules and leases go with them. (The CLI refuses the default network, as docker.)
     */
    public void remove(List<String> namesOrIds) {
        try (NetworkLock ignored = lock()) {
            List<NetworkConfig> doomed = new ArrayList<>();
            for (String n : namesOrIds) doomed.add(store.find(n));
            for (NetworkConfig n : doomed) {
                List<String> using = using(n);
                if (!using.isEmpty()) throw new NetworkException("network " + n.name() + " has containers attached: " + String.join(", ", using));
            }
            for (NetworkConfig n : doomed) removeUnlocked(n);
        }
    }

    /** Removes every user network no container uses; returns their names. */
    public List<String> prune() {
        List<String> removed = new ArrayList<>();
        try (NetworkLock ignored = lock()) {
            for (NetworkConfig n : store.list()) {
                if (!n.isDefault() && using(n).isEmpty()) {
                    removeUnlocked(n);
                    removed.add(n.name());
                }
            }
        }
        return removed;
    }

    private List<String> using(NetworkConfig network) {
        List<String> names = new ArrayList<>(users.of(network));
        for (AttachmentRecord r : records()) {
            for (AttachmentRecord.Entry e : r.entries) {
                String name = r.containerName.isEmpty() ? r.containerId : r.containerName;
                if (e.networkId().equals(network.id()) && !names.contains(name)) names.add(name);
            }
        }
        return names;
    }

    private void removeUnlocked(NetworkConfig network) {
        NetworkRules.remove(network);
        if (Files.exists(Path.of("/sys/class/net", network.bridge()))) HostCommand.ok("ip", "link", "delete", network.bridge());
        deleteTree(state.resolve("ipam").resolve(network.name()));
        store.remove(network);
    }

    /**
     * Attaches a container's network namespace to the networks asked for (in order: eth0, eth1, ...) and brings its
     * loopback up; with no request it gets loopback only (--network none). Published ports go to the first network
     * that is not internal; a host port 0 becomes a free one. Call it after the namespace exists and before the
     * container's program starts; on failure everything attached is taken back and it throws. A container's names
     * (its name, short ID and aliases) resolve on user networks from the resolver at each endpoint's
     * {@link Endpoint#resolver()}, which asks dnsServers (docker run --dns) for other names, or the host's resolvers
     * when there are none.
     */
    public Attached attach(String containerId, String containerName, Path netns, List<Attachment> requests, List<PortMapping> ports,
                           List<String> dnsServers) {
        for (String server : dnsServers) Subnet.address(server, "DNS server " + Quoted.of(server));
        AttachmentRecord record;
        List<NetworkConfig> networks = new ArrayList<>();
        boolean onDefault = false;
        try (NetworkLock ignored = lock()) {
            if (Files.exists(recordFile(containerId))) throw new NetworkException("container " + containerId + " is attached already");
            for (Attachment a : requests) {
                NetworkConfig n = store.find(a.network());
                if (networks.contains(n)) throw new NetworkException("network " + n.name() + " is asked for twice");
                networks.add(n);
                onDefault |= n.isDefault();
            }
            List<PortMapping> published = ports.isEmpty() ? List.of() : publish(ports);
            List<AttachmentRecord.Entry> entries = new ArrayList<>();
            boolean portsPlaced = false;
            for (int i = 0; i < requests.size(); i++) {
                NetworkConfig n = networks.get(i);
                boolean portsHere = !portsPlaced && !n.internal() && !published.isEmpty();
                entries.add(entry(n, requests.get(i), "eth" + i, portsHere ? published : List.of()));
                portsPlaced |= portsHere;
            }
            if (!published.isEmpty() && !portsPlaced) throw new NetworkException("ports can only be published on a network that is not internal");
            record = new AttachmentRecord(containerId, containerName, netns.toString(), published, dnsServers, entries);
            record.write(recordFile(containerId)); // from here on this run root's detaches keep the bridges
        }
        try {
            cni.add(Cni.loopback(), new Cni.Call(containerId, netns.toString(), "lo", "", Map.of()));
            List<Endpoint> endpoints = new ArrayList<>();
            try (NetworkLock host = defaultNetworkLock(onDefault)) {
                for (NetworkConfig n : networks) NetworkRules.add(n);
                for (int i = 0; i < networks.size(); i++) endpoints.add(add(record, i, networks.get(i)));
            }
            return new Attached(endpoints, record.ports);
        } catch (RuntimeException e) { // the locks are released by now: detach takes them itself
            try {
                detach(containerId);
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /**
     * Attaches an attached container to one more network (docker network connect), as the next ethN; on failure
     * what this made is taken back and it throws.
     */
    public Endpoint connect(String containerId, Attachment request) {
        AttachmentRecord record;
        NetworkConfig network;
        int index;
        try (NetworkLock ignored = lock()) {
            record = existingRecord(containerId);
            network = store.find(request.network());
            int next = 0;
            for (AttachmentRecord.Entry e : record.entries) {
                if (e.networkId().equals(network.id())) throw new NetworkException("container " + containerId + " is already attached to network " + network.name());
                next = Math.max(next, Integer.parseInt(e.ifname().substring(3)) + 1);
            }
            record.entries.add(entry(network, request, "eth" + next, List.of()));
            index = record.entries.size() - 1;
            record.write(recordFile(containerId));
        }
        try (NetworkLock host = defaultNetworkLock(network.isDefault())) {
            NetworkRules.add(network);
            return add(record, index, network);
        } catch (RuntimeException e) { // the locks are released by now: disconnect takes them itself
            try {
                disconnect(containerId, network.id());
            } catch (RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /**
     * Takes an attached container off one of its networks (docker network disconnect), by name or ID; the network's
     * bridge goes when it was the last container on it, as on detach.
     */
    public void disconnect(String containerId, String network) {
        AttachmentRecord record;
        AttachmentRecord.Entry entry = null;
        try (NetworkLock ignored = lock()) {
            record = existingRecord(containerId);
            for (AttachmentRecord.Entry e : record.entries) if (e.network().equals(network) || e.networkId().equals(network)) entry = e;
        }
        if (entry == null) throw new NetworkException("container " + containerId + " is not attached to network " + network);
        cni.del(entry.conflist(), call(record, entry), resultOrLease(record, entry));
        if (masqueradedByPlugin(entry)) MasqueradeSweep.sweep(entry.network(), containerId);
        try (NetworkLock host = defaultNetworkLock(entry.network().equals(NetworkConfig.DEFAULT)); NetworkLock ignored = lock()) {
            dns.remove(entry.network(), containerId);
            record.entries.remove(entry);
            record.write(recordFile(containerId));
            removeIdleBridge(entry.network());
        }
    }

    /** A list recorded before NetworkRules masqueraded whole networks: its bridge plugin masqueraded the container. */
    private static boolean masqueradedByPlugin(AttachmentRecord.Entry e) {
        return e.conflist().get("plugins") instanceof List<?> plugins && !plugins.isEmpty()
                && plugins.getFirst() instanceof Map<?, ?> bridge && Boolean.TRUE.equals(bridge.get("ipMasq"));
    }

    /**
     * The ADD's result, or when the attaching process died before it recorded one, what host-local's lease says
     * of it: the firewall plugin (in lists recorded before NetworkRules) finds its rules by the address in prevResult
     * only. Null without a lease either.
     */
    private Map<String, Object> resultOrLease(AttachmentRecord record, AttachmentRecord.Entry e) {
        if (e.result() != null) return e.result();
        Path leases = state.resolve("ipam").resolve(e.network());
        if (!Files.isDirectory(leases)) return null;
        NetworkConfig network = NetworkConfig.fromConflist(Node.root(e.conflist(), "record"));
        try (Stream<Path> files = Files.list(leases)) {
            for (Path f : files.toList()) {
                List<String> owner = Files.readAllLines(f); // host-local writes "ID\r\nIFNAME" into the file named by the address
                if (owner.size() < 2 || !owner.get(0).strip().equals(record.containerId) || !owner.get(1).strip().equals(e.ifname())) continue;
                Map<String, Object> ip = new LinkedHashMap<>();
                ip.put("interface", 0L);
                ip.put("address", f.getFileName() + "/" + network.subnet().prefix());
                ip.put("gateway", Subnet.format(network.gateway()));
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("cniVersion", NetworkConfig.CNI_VERSION);
                result.put("interfaces", List.of(Map.of("name", e.ifname(), "sandbox", record.netns)));
                result.put("ips", List.of(ip));
                return result;
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read the leases in " + leases, ex);
        }
        return null;
    }

    private AttachmentRecord existingRecord(String containerId) {
        if (!Files.exists(recordFile(containerId))) throw new NetworkException("container " + containerId + " is not attached to any network");
        return AttachmentRecord.read(recordFile(containerId));
    }

    /** What one network of an attach is asked: a fixed IP, a MAC, the published ports. */
    private static AttachmentRecord.Entry entry(NetworkConfig n, Attachment a, String ifname, List<PortMapping> ports) {
        Map<String, Object> runtime = new LinkedHashMap<>();
        if (a.ip() != null) runtime.put("ips", List.of(fixedIp(n, a.ip())));
        if (a.mac() != null) runtime.put("mac", mac(a.mac()));
        if (!ports.isEmpty()) {
            List<Object> cniPorts = new ArrayList<>();
            for (PortMapping p : ports) cniPorts.add(p.toCni());
            runtime.put("portMappings", cniPorts);
        }
        return new AttachmentRecord.Entry(n.name(), n.id(), ifname, a.aliases(), n.toConflist(!ports.isEmpty(), a.mac() != null), runtime,
                null);
    }

    /** CNI ADD of the record's index-th network, its result recorded, its names given to the network's resolver. */
    private Endpoint add(AttachmentRecord record, int index, NetworkConfig network) {
        AttachmentRecord.Entry e = record.entries.get(index);
        Map<String, Object> result = cni.add(e.conflist(), call(record, e));
        try (NetworkLock ignored = lock()) {
            record.entries.set(index, e.withResult(result));
            record.write(recordFile(record.containerId));
            Endpoint endpoint = endpoint(record, record.entries.get(index), network);
            if (endpoint.resolver() != null) dns.add(network, record.containerId, endpoint.address(), names(record, record.entries.get(index)), record.dnsServers);
            return endpoint;
        }
    }

    /**
     * Takes a container off its networks (CNI DEL of each, its names from the resolvers, its record). Idempotent,
     * and works from the record alone: after a crash of the process that attached, and with the namespace gone. A
     * DEL that fails keeps the record, so that a later call tries again.
     */
    public void detach(String containerId) {
        AttachmentRecord record;
        try (NetworkLock ignored = lock()) {
            if (!Files.exists(recordFile(containerId))) return;
            record = AttachmentRecord.read(recordFile(containerId));
        }
        boolean onDefault = false;
        for (AttachmentRecord.Entry e : record.entries) onDefault |= e.network().equals(NetworkConfig.DEFAULT);
        NetworkException failed = null;
        for (AttachmentRecord.Entry e : record.entries.reversed()) {
            try {
                cni.del(e.conflist(), call(record, e), resultOrLease(record, e));
                if (masqueradedByPlugin(e)) MasqueradeSweep.sweep(e.network(), containerId);
            } catch (NetworkException ex) {
                if (failed == null) failed = ex;
            }
        }
        try (NetworkLock host = defaultNetworkLock(onDefault); NetworkLock ignored = lock()) {
            for (AttachmentRecord.Entry e : record.entries) dns.remove(e.network(), containerId);
            if (failed == null) Files.deleteIfExists(recordFile(containerId));
            if (failed == null) for (AttachmentRecord.Entry e : record.entries) removeIdleBridge(e.network());
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot remove the attachment record of " + containerId, ex);
        }
        if (failed != null) throw failed;
    }

    /**
     * The default network's bridge and rules are the host's, shared by every data root and run root (as docker0),
     * and so are its leases: an attach to it holds this host-wide lock from its rules to its port on the bridge (the
     * CNI ADD), a detach from it while it checks that no container is left and removes bridge and rules, so that no
     * run root removes them while another attaches a container. (A DEL needs no lock: it takes only its own
     * container's veth, lease and rules.) Taken before the run root's lock, never inside it. Null (nothing to
     * release) when the default network is not involved: a user network is its data root's, guarded by the run
     * root's lock and records.
     */
    private static NetworkLock defaultNetworkLock(boolean involved) {
        return involved ? NetworkLock.take(NetworkConfig.DEFAULT_IPAM_DIR.resolve("lock")) : null;
    }

    /**
     * A network's bridge with no container left on it goes, and its isolation rules with it, as netavark does for
     * Podman: nothing of a network stays on the host while no container uses it. The next attach makes both again
     * (the bridge plugin makes a missing bridge). Idle means no attachment of this run root on the network and no port
     * on the bridge, whichever run root attached one. For the default network the caller holds the host-wide lock,
     * so no other run root's attach is between its rule and its port on the bridge meanwhile.
     */
    private void removeIdleBridge(String name) {
        NetworkConfig network;
        try {
            network = store.find(name);
        } catch (NetworkException gone) {
            return;
        }
        for (AttachmentRecord r : records()) // an attach under way: recorded (under this lock) before its ADD makes a port
            for (AttachmentRecord.Entry e : r.entries) if (e.network().equals(name)) return;
        Path ports = Path.of("/sys/class/net", network.bridge(), "brif");
        try (Stream<Path> attached = Files.isDirectory(ports) ? Files.list(ports) : null) {
            if (attached == null || attached.findAny().isPresent()) return;
        } catch (IOException e) {
            throw new UncheckedIOException("list the ports of bridge " + network.bridge(), e);
        }
        NetworkRules.remove(network);
        HostCommand.succeeds("ip", "link", "delete", network.bridge()); // gone meanwhile is as good
    }

    /** The containers with an attachment record: the engine detaches those it no longer runs (a crash's leftovers). */
    public List<String> attachedContainers() {
        List<String> ids = new ArrayList<>();
        try (NetworkLock ignored = lock()) {
            for (AttachmentRecord r : records()) ids.add(r.containerId);
        }
        return ids;
    }

    private static Cni.Call call(AttachmentRecord record, AttachmentRecord.Entry e) {
        return new Cni.Call(record.containerId, record.netns, e.ifname(), "IgnoreUnknown=1", e.runtimeConfig());
    }

    /** Docker's names for a container on a user network: its name, its short ID, its aliases. */
    private static List<String> names(AttachmentRecord record, AttachmentRecord.Entry e) {
        List<String> names = new ArrayList<>();
        if (!record.containerName.isEmpty()) names.add(record.containerName);
        names.add(record.containerId.substring(0, Math.min(12, record.containerId.length())));
        for (String alias : e.aliases()) if (!names.contains(alias)) names.add(alias);
        return names;
    }

    private static Endpoint endpoint(AttachmentRecord record, AttachmentRecord.Entry e, NetworkConfig network) {
        Map<?, ?> result = e.result();
        String mac = "";
        for (Object i : (List<?>) result.get("interfaces")) {
            Map<?, ?> iface = (Map<?, ?>) i;
            if (iface.get("sandbox") != null && e.ifname().equals(iface.get("name"))) mac = (String) iface.get("mac");
        }
        String cidr = (String) ((Map<?, ?>) ((List<?>) result.get("ips")).getFirst()).get("address");
        int slash = cidr.indexOf('/');
        return new Endpoint(network.name(), network.id(), record.containerId, record.containerName, e.ifname(),
                cidr.substring(0, slash), Integer.parseInt(cidr.substring(slash + 1)), Subnet.format(network.gateway()), mac,
                network.dns() ? Subnet.format(network.gateway()) : null);
    }

    private static String fixedIp(NetworkConfig network, String ip) {
        int address = Subnet.address(ip, "IP address " + Quoted.of(ip));
        if (!network.subnet().contains(address) || address == network.subnet().base() || address == network.gateway()
                || address > network.subnet().lastHost())
            throw new NetworkException("IP address " + ip + " is not a free host address of network " + network.name() + "'s subnet " + network.subnet());
        return ip + "/" + network.subnet().prefix();
    }

    private static String mac(String mac) {
        if (!mac.matches("[0-9a-fA-F]{2}(:[0-9a-fA-F]{2}){5}")) throw new NetworkException("invalid MAC address " + Quoted.of(mac));
        return mac.toLowerCase();
    }

    /**
     * The ports to publish, free host ports picked for 0: refused when another container published the same host
     * port or a host process holds it (portmap's DNAT would silently take it from that process).
     */
    private List<PortMapping> publish(List<PortMapping> wanted) {
        List<PortMapping> taken = new ArrayList<>();
        for (AttachmentRecord r : records()) taken.addAll(r.ports);
        List<PortMapping> chosen = new ArrayList<>();
        for (PortMapping p : wanted) {
            PortMapping resolved = p.hostPort() == 0 ? freePort(p, taken) : p;
            for (PortMapping t : taken) {
                if (t.clashes(resolved)) throw new NetworkException("Bind for " + hostAddress(resolved) + ":" + resolved.hostPort() + " failed: port is already allocated");
            }
            if (!bindable(resolved)) throw new NetworkException("Bind for " + hostAddress(resolved) + ":" + resolved.hostPort() + " failed: port is already in use on the host");
            taken.add(resolved);
            chosen.add(resolved);
        }
        return chosen;
    }

    private static PortMapping freePort(PortMapping p, List<PortMapping> taken) {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (NetworkChannel channel = open(p)) {
                channel.bind(new InetSocketAddress(hostAddress(p), 0));
                PortMapping candidate = p.withHostPort(((InetSocketAddress) channel.getLocalAddress()).getPort());
                boolean free = true;
                for (PortMapping t : taken) free &= !t.clashes(candidate);
                if (free) return candidate;
            } catch (IOException e) {
                throw new NetworkException("cannot find a free host port for " + p.containerPort() + "/" + p.protocol() + ": " + e.getMessage(), e);
            }
        }
        throw new NetworkException("no free host port for " + p.containerPort() + "/" + p.protocol());
    }

    private static boolean bindable(PortMapping p) {
        if (p.protocol().equals("sctp")) return true; // no SCTP sockets in the JDK; portmap's rules alone decide
        try (NetworkChannel channel = open(p)) {
            channel.bind(new InetSocketAddress(hostAddress(p), p.hostPort()));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static NetworkChannel open(PortMapping p) throws IOException {
        return p.protocol().equals("udp") ? DatagramChannel.open() : ServerSocketChannel.open();
    }

    private static String hostAddress(PortMapping p) {
        return p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
    }

    private Path recordFile(String containerId) {
        if (!containerId.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) throw new NetworkException("invalid container ID " + Quoted.of(containerId));
        return state.resolve("attached").resolve(containerId + ".json");
    }

    private List<AttachmentRecord> records() {
        Path dir = state.resolve("attached");
        if (!Files.isDirectory(dir)) return List.of();
        List<AttachmentRecord> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) if (!f.getFileName().toString().startsWith(".")) all.add(AttachmentRecord.read(f));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
        return all;
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    /** Where {@link #bindNetns} puts a container's namespace: what ip netns lists and CNI_NETNS can name. */
    public static Path netnsPath(String containerName) {
        return Path.of("/run/netns", "capsa-" + containerName);
    }

    /** Bind-mounts the network namespace of process pid at {@link #netnsPath}, as ip netns attach does. */
    public static Path bindNetns(String containerName, int pid) {
        HostCommand.ok("ip", "netns", "attach", "capsa-" + containerName, Integer.toString(pid));
        return netnsPath(containerName);
    }

    /** Unmounts and removes it; nothing when it is not there. */
    public static void unbindNetns(String containerName) {
        if (Files.exists(netnsPath(containerName))) HostCommand.ok("ip", "netns", "delete", "capsa-" + containerName);
    }
}
