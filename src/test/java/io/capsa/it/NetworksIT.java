package io.capsa.it;

import com.fasterxml.jackson.jr.ob.JSON;
import io.capsa.network.AttachedContainers;
import io.capsa.network.Attachment;
import io.capsa.network.Endpoint;
import io.capsa.network.NetworkConfig;
import io.capsa.network.NetworkException;
import io.capsa.network.Networks;
import io.capsa.network.PortMapping;
import io.capsa.network.Subnet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The network library as the engine calls it, on network namespaces the test makes itself (ip netns add) with
 * busybox servers in them: addresses, reachability, published ports on 127.0.0.1, isolation, internal networks,
 * names through aardvark-dns, concurrent attaches, and that detach leaves no veth, rule, lease or record.
 * Traffic goes only to 127.0.0.1 and to the test's namespaces; the resolvers forward other names to 127.0.0.1.
 */
class NetworksIT {
    private static final List<String> LOOPBACK_DNS = List.of("127.0.0.1");

    @TempDir
    Path dir;
    private Networks networks;
    private NetworkNamespaces namespaces;
    private final List<String> attached = new ArrayList<>();
    private final List<NetworkConfig> made = new ArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        networks = new Networks(dir.resolve("data"), dir.resolve("run"), AttachedContainers.NONE);
        namespaces = new NetworkNamespaces();
        Path www = dir.resolve("www");
        Files.createDirectories(www);
        Files.writeString(www.resolve("index.html"), "hello from the namespace\n");
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        for (String id : attached) networks.detach(id); // as the engine does: before the namespace goes
        namespaces.close();
        List<String> names = new ArrayList<>();
        for (NetworkConfig n : made) names.add(n.name());
        networks.remove(names);
        assertEquals(List.of(), networks.attachedContainers(), "attachment records");
        for (NetworkConfig n : made) assertFalse(Files.exists(Path.of("/sys/class/net", n.bridge())), n.bridge() + " is left");
        for (String id : attached) assertEquals(List.of(), Leaks.firewallRules(id), "iptables rules of " + id);
        assertEquals(List.of(), rulesForAddressesOf(made), "iptables rules for the networks' addresses");
        assertEquals(List.of(), leases(), "host-local leases");
        assertEquals(List.of(), aardvarks(), "aardvark-dns processes");
    }

    private NetworkConfig network(String name, String subnet, boolean internal) {
        NetworkConfig n = networks.create(name, subnet, null, internal, Map.of());
        made.add(n);
        return n;
    }

    private Endpoint attach(String namespace, String network, String name, List<String> aliases, List<PortMapping> ports) {
        String id = ContainerTestBase.newId();
        attached.add(id);
        return networks.attach(id, name, NetworkNamespaces.path(namespace), List.of(new Attachment(network, aliases, null, null)), ports, LOOPBACK_DNS)
                .endpoints().getFirst();
    }

    private Endpoint attach(String namespace, String network) {
        return attach(namespace, network, "", List.of(), List.of());
    }

    /** A busybox httpd on port 80 of the namespace, serving index.html; returns when it answers. */
    private void httpd(String namespace, String address) {
        namespaces.start(namespace, "busybox", "httpd", "-f", "-p", "80", "-h", dir.resolve("www").toString());
        for (int i = 0; i < 50 && !fetch(namespace, address).contains("hello"); i++) sleep(100);
    }

    /** busybox wget from inside the namespace, two seconds at most (its own -T crashes Debian's busybox 1.35). */
    private static String fetch(String namespace, String address) {
        return NetworkNamespaces.in(namespace, "timeout", "2", "busybox", "wget", "-q", "-O", "-", "http://" + address + "/").out();
    }

    @Test
    void namespacesOnANetworkGetAddressesInItsSubnetAndReachEachOther() {
        NetworkConfig net = network("n1", null, false);
        String a = namespaces.add(), b = namespaces.add();
        Endpoint ea = attach(a, "n1"), eb = attach(b, "n1");
        for (Endpoint e : List.of(ea, eb)) {
            assertTrue(net.subnet().contains(Subnet.address(e.address(), "address")), e.toString());
            assertEquals(Subnet.format(net.gateway()), e.gateway());
            assertEquals("eth0", e.ifname());
        }
        assertTrue(NetworkNamespaces.in(a, "ip", "-4", "-o", "addr", "show", "eth0").out().contains(" " + ea.address() + "/" + net.subnet().prefix() + " "));
        assertTrue(NetworkNamespaces.in(b, "ip", "-4", "-o", "addr", "show", "eth0").out().contains(" " + eb.address() + "/" + net.subnet().prefix() + " "));
        assertFalse(ea.address().equals(eb.address()));
        httpd(b, eb.address());
        assertEquals("hello from the namespace\n", fetch(a, eb.address()));
        assertTrue(NetworkNamespaces.in(a, "ip", "route").out().contains("default via " + Subnet.format(net.gateway())));
        assertEquals(Subnet.format(net.gateway()), ea.resolver(), "a user network has a resolver at its gateway");
        List<String> links = links(a);
        assertEquals(List.of("lo", "eth0"), links);
        assertTrue(NetworkNamespaces.in(a, "ip", "link", "show", "lo").out().contains(",UP,"), "lo is up");
    }

    private static List<String> links(String namespace) {
        List<String> names = new ArrayList<>();
        for (String line : NetworkNamespaces.in(namespace, "ip", "-o", "link").out().split("\n")) {
            String name = line.split(": ")[1];
            names.add(name.contains("@") ? name.substring(0, name.indexOf('@')) : name);
        }
        return names;
    }

    @Test
    void publishedPortsAnswerOnLoopbackForTcpAndUdp() throws Exception {
        network("pub", null, false);
        String ns = namespaces.add();
        int tcp = freePort();
        List<PortMapping> ports = new ArrayList<>(PortMapping.parse("127.0.0.1:" + tcp + ":80"));
        ports.addAll(PortMapping.parse("127.0.0.1::80"));
        ports.addAll(PortMapping.parse("127.0.0.1::9000/udp"));
        var result = networks.attach(rememberedId(), "web", NetworkNamespaces.path(ns), List.of(Attachment.of("pub")), ports, LOOPBACK_DNS);
        Endpoint e = result.endpoints().getFirst();
        assertEquals(3, result.ports().size(), result.ports().toString());
        assertEquals(tcp, result.ports().getFirst().hostPort());
        int random = result.ports().get(1).hostPort(), udp = result.ports().get(2).hostPort();
        assertTrue(random > 0 && udp > 0, result.ports().toString());
        httpd(ns, e.address());
        assertTrue(httpGet(tcp).contains("hello from the namespace"));
        assertTrue(httpGet(random).contains("hello from the namespace"));
        // Debian's busybox nc has no UDP: a python3 echo server answers each datagram with itself
        namespaces.start(ns, "python3", "-c", "import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\ns.bind(('0.0.0.0', 9000))\n"
                + "while True:\n    data, peer = s.recvfrom(512)\n    s.sendto(data, peer)\n");
        String got = "";
        try (DatagramChannel channel = DatagramChannel.open()) {
            channel.configureBlocking(false);
            channel.connect(new InetSocketAddress("127.0.0.1", udp));
            ByteBuffer reply = ByteBuffer.allocate(64);
            for (int i = 0; i < 50 && !got.equals("ping"); i++) {
                channel.write(ByteBuffer.wrap("ping".getBytes(StandardCharsets.UTF_8)));
                sleep(100);
                try {
                    if (channel.read(reply.clear()) > 0) got = new String(reply.array(), 0, reply.position(), StandardCharsets.UTF_8);
                } catch (java.net.PortUnreachableException notYet) {
                    // not listening yet
                }
            }
        }
        assertTrue(got.contains("ping"), "no UDP echo through the published port: " + got);
    }

    private String rememberedId() {
        String id = ContainerTestBase.newId();
        attached.add(id);
        return id;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String httpGet(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(3000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aPublishedPortAlreadyTakenIsRefusedAndLeavesNothing() throws Exception {
        network("taken", null, false);
        String first = namespaces.add(), second = namespaces.add(), third = namespaces.add();
        try (ServerSocket holder = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = holder.getLocalPort();
            NetworkException e = assertThrows(NetworkException.class, () -> networks.attach(ContainerTestBase.newId(), "x",
                    NetworkNamespaces.path(first), List.of(Attachment.of("taken")), PortMapping.parse("127.0.0.1:" + port + ":80"), LOOPBACK_DNS));
            assertEquals("Bind for 127.0.0.1:" + port + " failed: port is already in use on the host", e.getMessage());
        }
        int port = freePort();
        attach(second, "taken", "", List.of(), PortMapping.parse("127.0.0.1:" + port + ":80"));
        NetworkException e = assertThrows(NetworkException.class, () -> networks.attach(ContainerTestBase.newId(), "y",
                NetworkNamespaces.path(third), List.of(Attachment.of("taken")), PortMapping.parse(port + ":80"), LOOPBACK_DNS));
        assertEquals("Bind for 0.0.0.0:" + port + " failed: port is already allocated", e.getMessage());
        assertEquals(1, networks.attachedContainers().size(), "only the second one's record");
        assertEquals(List.of("lo"), links(first));
        assertEquals(List.of("lo"), links(third));
    }

    @Test
    void aFixedAddressAndMacAreGivenAndAFailedAttachIsTakenBack() {
        NetworkConfig net = network("fixed", null, false);
        network("second", null, false);
        String a = namespaces.add(), b = namespaces.add();
        String ip = Subnet.format(net.subnet().host(10)), mac = "02:42:0a:59:00:0a";
        String id = rememberedId();
        List<Endpoint> endpoints = networks.attach(id, "a", NetworkNamespaces.path(a),
                List.of(new Attachment("fixed", List.of(), ip, mac), Attachment.of("second")), List.of(), LOOPBACK_DNS).endpoints();
        assertEquals(ip, endpoints.getFirst().address());
        assertEquals(mac, endpoints.getFirst().mac());
        assertEquals("eth1", endpoints.get(1).ifname());
        assertEquals(List.of("lo", "eth0", "eth1"), links(a));
        assertTrue(NetworkNamespaces.in(a, "ip", "link", "show", "eth0").out().contains("link/ether " + mac + " "));
        // the same address again: host-local refuses it after the loopback was up, and all of the attach is taken back
        NetworkException e = assertThrows(NetworkException.class, () -> networks.attach(ContainerTestBase.newId(), "b", NetworkNamespaces.path(b),
                List.of(Attachment.of("second"), new Attachment("fixed", List.of(), ip, null)), List.of(), LOOPBACK_DNS));
        assertTrue(e.getMessage().startsWith("CNI plugin bridge ADD failed: "), e.getMessage());
        assertEquals(List.of("lo"), links(b));
        assertEquals(List.of(id), networks.attachedContainers());
        assertEquals(2, leases().size(), "a's two leases only");
        // refused before anything is made
        assertEquals("network nope not found", assertThrows(NetworkException.class, () -> networks.attach(ContainerTestBase.newId(), "b",
                NetworkNamespaces.path(b), List.of(Attachment.of("nope")), List.of(), LOOPBACK_DNS)).getMessage());
        assertEquals("IP address 192.0.2.9 is not a free host address of network fixed's subnet " + net.subnet(),
                assertThrows(NetworkException.class, () -> networks.attach(ContainerTestBase.newId(), "b", NetworkNamespaces.path(b),
                        List.of(new Attachment("fixed", List.of(), "192.0.2.9", null)), List.of(), LOOPBACK_DNS)).getMessage());
        assertEquals(List.of(id), networks.attachedContainers());
    }

    @Test
    void twoNetworksAreIsolatedFromEachOther() {
        network("left", null, false);
        network("right", null, false);
        String a = namespaces.add(), b = namespaces.add();
        Endpoint ea = attach(a, "left"), eb = attach(b, "right");
        httpd(b, eb.address());
        assertEquals("hello from the namespace\n", NetworkNamespaces.run(List.of("timeout", "2", "busybox", "wget", "-q", "-O", "-", "http://" + eb.address() + "/")).out(),
                "the host reaches it");
        Cli.Result r = NetworkNamespaces.in(a, "timeout", "2", "busybox", "wget", "-q", "-O", "-", "http://" + eb.address() + "/");
        assertTrue(r.exit() != 0 && r.out().isEmpty(), "left reached right: " + r);
        assertFalse(ea.address().equals(eb.address()));
    }

    @Test
    void connectAddsANetworkAndDisconnectTakesItAway() {
        network("home", null, false);
        NetworkConfig away = network("away", null, false);
        String a = namespaces.add(), b = namespaces.add();
        String id = rememberedId();
        networks.attach(id, "roamer", NetworkNamespaces.path(a), List.of(Attachment.of("home")), List.of(), LOOPBACK_DNS);
        Endpoint server = attach(b, "away", "server", List.of(), List.of());
        httpd(b, server.address());
        assertEquals("", fetch(a, server.address()), "not connected yet");
        Endpoint joined = networks.connect(id, new Attachment("away", List.of("wanderer"), null, null));
        assertEquals("eth1", joined.ifname());
        assertEquals(List.of("lo", "eth0", "eth1"), links(a));
        assertEquals("hello from the namespace\n", fetch(a, server.address()));
        String gateway = Subnet.format(away.gateway());
        assertTrue(lookup(b, "wanderer", gateway).contains(joined.address()), "its alias on the new network");
        assertEquals("container " + id + " is already attached to network away",
                assertThrows(NetworkException.class, () -> networks.connect(id, Attachment.of("away"))).getMessage());
        networks.disconnect(id, "away");
        assertEquals(List.of("lo", "eth0"), links(a));
        assertEquals("", fetch(a, server.address()), "disconnected");
        assertEquals(2, leases().size(), "roamer's on home, server's on away");
        assertEquals("container " + id + " is not attached to network away",
                assertThrows(NetworkException.class, () -> networks.disconnect(id, "away")).getMessage());
    }

    @Test
    void anInternalNetworkHasNoRouteOut() {
        NetworkConfig net = network("inside", null, true);
        String a = namespaces.add(), b = namespaces.add();
        attach(a, "inside");
        Endpoint eb = attach(b, "inside");
        String routes = NetworkNamespaces.in(a, "ip", "route").out();
        assertFalse(routes.contains("default"), routes);
        assertTrue(routes.contains(net.subnet().toString()), routes);
        Cli.Result r = NetworkNamespaces.in(a, "ip", "route", "get", "192.0.2.200");
        assertTrue(r.exit() != 0 && r.err().contains("unreachable"), r.toString());
        httpd(b, eb.address());
        assertEquals("hello from the namespace\n", fetch(a, eb.address()), "inside the network it works");
        assertFalse(NetworkNamespaces.run(List.of("iptables", "-t", "nat", "-S")).out().contains(net.subnet().toString()), "no masquerade");
    }

    @Test
    void namesResolveOnAUserNetworkAndNotAcrossNetworks() {
        NetworkConfig one = network("names1", null, false);
        NetworkConfig two = network("names2", null, false);
        String a = namespaces.add(), b = namespaces.add(), c = namespaces.add();
        Endpoint web = attach(a, "names1", "web", List.of("www"), List.of());
        Endpoint client = attach(b, "names1", "client", List.of(), List.of());
        Endpoint other = attach(c, "names2", "other", List.of(), List.of());
        String gw1 = Subnet.format(one.gateway()), gw2 = Subnet.format(two.gateway());
        assertEquals(gw1, web.resolver());
        assertEquals(gw2, other.resolver());
        assertTrue(lookup(b, "web", gw1).contains(web.address()), "web from client");
        assertTrue(lookup(b, "www", gw1).contains(web.address()), "the alias");
        assertTrue(lookup(a, "client", gw1).contains(client.address()), "a later container from an earlier one");
        assertTrue(lookup(c, "other", gw2).contains(other.address()), "its own name on the second network");
        String across = NetworkNamespaces.in(c, "busybox", "nslookup", "web", gw2).out();
        assertFalse(across.contains(web.address()), across);
    }

    /** busybox nslookup, asked again for up to two seconds while aardvark-dns reloads; its output. */
    private static String lookup(String namespace, String name, String server) {
        String out = "";
        for (int i = 0; i < 20; i++) {
            out = NetworkNamespaces.in(namespace, "busybox", "nslookup", name, server).out();
            if (out.contains("Name:")) return out;
            sleep(100);
        }
        return out;
    }

    @Test
    void twentyParallelAttachesGetDistinctAddresses() throws Exception {
        NetworkConfig net = network("many", null, false);
        List<String> spaces = new ArrayList<>();
        for (int i = 0; i < 20; i++) spaces.add(namespaces.add());
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<Endpoint>> futures = new ArrayList<>();
            for (String ns : spaces) futures.add(pool.submit(() -> attach(ns, "many")));
            Set<String> addresses = new HashSet<>();
            for (Future<Endpoint> f : futures) addresses.add(f.get().address());
            assertEquals(20, addresses.size(), addresses.toString());
            for (String address : addresses) assertTrue(net.subnet().contains(Subnet.address(address, "address")), address);
            List<Future<?>> detaches = new ArrayList<>();
            for (String id : List.copyOf(attached)) detaches.add(pool.submit(() -> networks.detach(id)));
            for (Future<?> f : detaches) f.get();
        } finally {
            pool.shutdown();
        }
        assertEquals(List.of(), networks.attachedContainers());
        assertFalse(Files.exists(Path.of("/sys/class/net", net.bridge())), "the bridge went with its last veth");
    }

    @Test
    void detachWorksFromTheRecordAfterACrashAndWithTheNamespaceGone() throws Exception {
        NetworkConfig net = network("crash", null, false);
        String ns = namespaces.add();
        String id = ContainerTestBase.newId();
        attached.add(id);
        networks.attach(id, "c", NetworkNamespaces.path(ns), List.of(Attachment.of("crash")), PortMapping.parse("127.0.0.1:" + freePort() + ":80"), LOOPBACK_DNS);
        assertFalse(Leaks.firewallRules(id).isEmpty(), "the attach made rules");
        assertEquals(1, leases().size());
        NetworkNamespaces.run(List.of("ip", "netns", "delete", ns)); // the container died with it
        Networks afterCrash = new Networks(dir.resolve("data"), dir.resolve("run"), AttachedContainers.NONE);
        afterCrash.detach(id);
        afterCrash.detach(id); // again: nothing left to do
        assertEquals(List.of(), Leaks.firewallRules(id));
        assertEquals(List.of(), leases());
        assertFalse(Files.exists(Path.of("/sys/class/net", net.bridge())), "the bridge went with its last veth");
    }

    @Test
    @SuppressWarnings("unchecked")
    void detachWorksWhenTheCrashCameBeforeTheResultWasRecorded() throws Exception {
        NetworkConfig net = network("midway", null, false);
        String ns = namespaces.add();
        String id = rememberedId();
        networks.attach(id, "m", NetworkNamespaces.path(ns), List.of(Attachment.of("midway")), PortMapping.parse("127.0.0.1:" + freePort() + ":80"), LOOPBACK_DNS);
        // as the record stands when the attaching process dies during the ADD: the network, no result yet
        Path record = dir.resolve("run/_networks/attached/" + id + ".json");
        Map<String, Object> content = JSON.std.mapFrom(Files.readString(record));
        for (Object n : (List<?>) content.get("networks")) ((Map<String, Object>) n).put("result", null);
        Files.writeString(record, JSON.std.asString(content));
        new Networks(dir.resolve("data"), dir.resolve("run"), AttachedContainers.NONE).detach(id);
        assertEquals(List.of(), Leaks.firewallRules(id));
        assertEquals(List.of(), leases());
        assertEquals(List.of("lo"), links(ns));
        assertFalse(Files.exists(Path.of("/sys/class/net", net.bridge())), "the bridge went with its last veth");
    }

    @Test
    void aNetworkInUseIsNotRemoved() {
        network("busy", null, false);
        String ns = namespaces.add();
        attach(ns, "busy", "holder", List.of(), List.of());
        NetworkException e = assertThrows(NetworkException.class, () -> networks.remove(List.of("busy")));
        assertEquals("network busy has containers attached: holder", e.getMessage());
        assertEquals(List.of(), networks.prune(), "prune keeps it too");
    }

    @Test
    void aContainersNamespaceIsBoundUnderRunNetnsAndRemoved() throws Exception {
        String name = ContainerTestBase.newId();
        Process holder = new ProcessBuilder("unshare", "-n", "sleep", "60").start();
        try {
            sleep(200);
            Path bound = Networks.bindNetns(name, (int) holder.pid());
            assertEquals(Path.of("/run/netns/capsa-" + name), bound);
            assertTrue(NetworkNamespaces.run(List.of("ip", "netns", "list")).out().contains("capsa-" + name));
            assertEquals(Files.getAttribute(Path.of("/proc/" + holder.pid() + "/ns/net"), "unix:ino"), Files.getAttribute(bound, "unix:ino"));
            Networks.unbindNetns(name);
            Networks.unbindNetns(name);
            assertFalse(Files.exists(bound));
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    /** iptables rules (filter and nat) for one address (x.x.x.x/32) in the networks' subnets, as the firewall plugin's. */
    private static List<String> rulesForAddressesOf(List<NetworkConfig> networks) {
        List<String> found = new ArrayList<>();
        for (String table : List.of("filter", "nat")) {
            for (String line : NetworkNamespaces.run(List.of("iptables", "-w", "-t", table, "-S")).out().split("\n")) {
                for (String word : line.split(" ")) {
                    if (!word.endsWith("/32")) continue;
                    int address = Subnet.address(word.substring(0, word.length() - 3), "rule address");
                    for (NetworkConfig n : networks) if (n.subnet().contains(address)) found.add(line);
                }
            }
        }
        return found;
    }

    /** host-local's lease files (named by address) under the run root. */
    private List<Path> leases() {
        Path ipam = dir.resolve("run/_networks/ipam");
        if (!Files.exists(ipam)) return List.of();
        try (Stream<Path> files = Files.walk(ipam)) {
            return files.filter(p -> p.getFileName().toString().matches("\\d+\\.\\d+\\.\\d+\\.\\d+")).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** aardvark-dns processes serving a directory of this test. */
    private List<String> aardvarks() {
        return Leaks.processesNaming("aardvark-dns", dir.toString());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
