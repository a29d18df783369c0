package io.capsa.it;

import io.capsa.network.Subnet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Containers on networks through bin/capsa, as the tutorials and issue 13 use them: a page served on a published
 * port of 127.0.0.1, containers reaching each other by address and by name on a user network and not across
 * networks, an internal network, --network container:X, none and two networks at once, and nothing left after
 * rm -f, a killed container or a killed monitor. Traffic goes only to 127.0.0.1 and to this test's containers.
 */
class EngineNetworkingIT {
    /** The page the containers' httpd serves: its own hostname, so that a reply says who answered. */
    private static final String SERVE = "hostname > /tmp/index.html; exec httpd -f -p 80 -h /tmp";

    @TempDir
    Path dir;
    private EngineCli capsa;
    private List<String> netnsBefore;

    @BeforeEach
    void setUp() throws Exception {
        capsa = new EngineCli(dir.resolve("data"));
        netnsBefore = netnsFiles();
    }

    @AfterEach
    void removeAll() throws Exception {
        for (String id : capsa.ok("ps", "-a", "-q", "--no-trunc").lines().toList()) capsa.run("rm", "-f", id);
        capsa.ok("network", "prune", "-f");
        assertEquals("", capsa.ok("ps", "-a", "-q"));
        assertEquals(netnsBefore, netnsFiles(), "no netns file left, whatever the container's name");
        assertEquals(List.of(), attachments(), "every container detached");
        assertEquals(List.of(), leases(), "no address leased");
    }

    /** The network library's attachment records (the CNI cache) of this test's run root. */
    private List<String> attachments() throws IOException {
        Path records = dir.resolve("run/_networks/attached");
        if (!Files.isDirectory(records)) return List.of();
        try (var s = Files.list(records)) {
            return s.map(Path::toString).toList();
        }
    }

    private List<String> netnsFiles() throws IOException {
        List<String> files = new ArrayList<>();
        if (!Files.isDirectory(Path.of("/run/netns"))) return files;
        try (var s = Files.list(Path.of("/run/netns"))) {
            for (Path p : s.toList()) if (p.getFileName().toString().startsWith("capsa-")) files.add(p.toString());
        }
        files.sort(null);
        return files;
    }

    /** The addresses host-local holds for containers of this test's roots and of the host's default network. */
    private List<String> leases() throws IOException {
        List<String> leases = new ArrayList<>();
        for (Path d : List.of(dir.resolve("run/_networks/ipam"), Path.of("/run/capsa-default-network"))) {
            if (!Files.isDirectory(d)) continue;
            try (var s = Files.walk(d)) {
                for (Path p : s.toList()) {
                    String name = p.getFileName().toString();
                    if (Files.isRegularFile(p) && name.matches("[0-9.]+") && Files.readString(p).contains(dir.getFileName().toString()))
                        leases.add(p.toString());
                }
            }
        }
        return leases;
    }

    /** Names unique to this test (netns files are host-wide): capsa-it-<temp dir>-NAME. */
    private String name(String n) {
        return "it-" + dir.getFileName().toString().replaceAll("[^0-9]", "").substring(0, 8) + "-" + n;
    }

    private String inspect(String container, String template) {
        return capsa.ok("inspect", "-f", template, container).strip();
    }

    private static String fetch(String url) throws IOException {
        try (InputStream in = URI.create(url).toURL().openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static String awaitFetch(String url) throws Exception {
        IOException last = null;
        for (int i = 0; i < 100; i++) {
            try {
                return fetch(url);
            } catch (IOException e) {
                last = e;
                Thread.sleep(50);
            }
        }
        throw last;
    }

    @Test
    void aPublishedPortServesThePageOnTheHostsLoopback() throws Exception {
        String web = name("web");
        capsa.ok("run", "-d", "--name", web, "--hostname", "webhost", "-p", "127.0.0.1::80", "busybox", "sh", "-c", SERVE);
        String hostSide = capsa.ok("port", web, "80").strip();
        assertTrue(hostSide.matches("127\\.0\\.0\\.1:\\d+"), hostSide);
        assertEquals("webhost\n", awaitFetch("http://" + hostSide + "/index.html"));
        assertTrue(capsa.ok("ps").contains(hostSide + "->80/tcp"), capsa.ok("ps"));
        String ip = inspect(web, "{{.NetworkSettings.IPAddress}}");
        assertEquals("webhost\n", fetch("http://" + ip + "/index.html"), "the container's own address, from the host");
        assertEquals("/run/netns/capsa-" + web, inspect(web, "{{.NetworkSettings.SandboxKey}}"));
        assertEquals(Files.readSymbolicLink(Path.of("/proc/" + inspect(web, "{{.State.Pid}}") + "/ns/net")).toString(),
                Command.ok(dir, Map.of(), List.of("ip", "netns", "exec", "capsa-" + web, "readlink", "/proc/self/ns/net")).strip(),
                "ip netns exec enters the container's network namespace");
    }

    @Test
    void containersOnAUserNetworkReachEachOtherByNameAndNotAcrossNetworks() {
        capsa.ok("network", "create", "front");
        capsa.ok("network", "create", "back");
        String srv = name("srv");
        capsa.ok("run", "-d", "--name", srv, "--network", "front", "--network-alias", "api", "--hostname", "srvhost", "busybox", "sh", "-c", SERVE);
        String ip = inspect(srv, "{{.NetworkSettings.Networks.front.IPAddress}}");
        String fetch = "for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://$0/index.html 2>/dev/null && exit; sleep 0.2; done; exit 1";
        assertEquals("srvhost\n", capsa.ok("run", "--rm", "--network", "front", "busybox", "sh", "-c", fetch, srv));
        assertEquals("srvhost\n", capsa.ok("run", "--rm", "--network", "front", "busybox", "sh", "-c", fetch, "api"));
        assertEquals("srvhost\n", capsa.ok("run", "--rm", "--network", "front", "busybox", "sh", "-c", fetch, ip));
        assertNotEquals(0, capsa.run("run", "--rm", "--network", "back", "busybox", "nslookup", srv).exit(), "no name across networks");
        // --init: busybox's timeout runs the program in its own process, which as PID 1 would ignore the SIGTERM
        assertNotEquals(0, capsa.run("run", "--rm", "--init", "--network", "back", "busybox", "timeout", "3", "wget", "-q", "-O", "-",
                "http://" + ip + "/index.html").exit(), "no traffic across networks");
    }

    @Test
    void aContainerReachesAnAddressOutsideThroughTheHostsMasquerade() throws Exception {
        // "Outside": a namespace of the test's own behind a veth to the host, with no route back to the containers'
        // subnet, so a reply reaches a container only if the host masqueraded its request.
        String prefix = freeSlash30();
        String hostEnd = "cz" + name("").replaceAll("[^0-9]", ""); // an interface name: at most 15 bytes
        Path page = Files.writeString(Files.createDirectory(dir.resolve("outside")).resolve("index.html"), "outside\n");
        try (NetworkNamespaces namespaces = new NetworkNamespaces()) {
            String outside = namespaces.add();
            for (List<String> step : List.of(
                    List.of("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", outside),
                    List.of("ip", "addr", "add", prefix + "1/30", "dev", hostEnd), List.of("ip", "link", "set", hostEnd, "up"),
                    List.of("ip", "-n", outside, "addr", "add", prefix + "2/30", "dev", "eth0"),
                    List.of("ip", "-n", outside, "link", "set", "eth0", "up"), List.of("ip", "-n", outside, "link", "set", "lo", "up")))
                assertEquals(0, NetworkNamespaces.run(step).exit(), step.toString());
            namespaces.start(outside, "busybox", "httpd", "-f", "-p", prefix + "2:8080", "-h", page.getParent().toString());
            String fetched = capsa.ok("run", "--rm", "busybox", "sh", "-c",
                    "for i in $(seq 50); do timeout 2 wget -qO- http://" + prefix + "2:8080/ && exit; sleep 0.1; done; exit 1");
            // (timeout, not wget -T: Debian's busybox 1.35 wget crashes with it)
            assertEquals("outside\n", fetched);
        }
    }

    /** The first 10.253.N.0/30 that no route of the host overlaps, as "10.253.N.". */
    private static String freeSlash30() {
        List<Subnet> routes = new ArrayList<>();
        for (String line : NetworkNamespaces.run(List.of("ip", "-4", "route", "show")).out().split("\n")) {
            String destination = line.split(" ")[0];
            if (!destination.isEmpty() && !destination.equals("default"))
                routes.add(Subnet.parse(destination.contains("/") ? destination : destination + "/32"));
        }
        for (int n = 0; n < 256; n++) {
            Subnet candidate = Subnet.parse("10.253." + n + ".0/30");
            if (routes.stream().noneMatch(candidate::overlaps)) return "10.253." + n + ".";
        }
        throw new AssertionError("no free 10.253.N.0/30 on this host");
    }

    @Test
    void anInternalNetworkHasNoRouteOut() {
        capsa.ok("network", "create", "--internal", "inside");
        String routes = capsa.ok("run", "--rm", "--network", "inside", "busybox", "ip", "route");
        assertFalse(routes.contains("default"), routes);
        assertTrue(capsa.ok("run", "--rm", "busybox", "ip", "route").contains("default via"), "the default network has one");
    }

    @Test
    void theModesNoneContainerAndTwoNetworksGiveExactlyTheirInterfaces() {
        assertEquals(List.of("lo"), interfaces("--network", "none"));
        capsa.ok("network", "create", "one");
        capsa.ok("network", "create", "two");
        assertEquals(List.of("lo", "eth0", "eth1"), interfaces("--network", "one", "--network", "two"));
        String a = name("a");
        capsa.ok("run", "-d", "--name", a, "busybox", "sh", "-c", SERVE);
        String ip = inspect(a, "{{.NetworkSettings.IPAddress}}");
        String shared = capsa.ok("run", "--rm", "--network", "container:" + a, "busybox", "sh", "-c",
                "ip -4 -o addr show eth0; wget -q -O - http://127.0.0.1/index.html");
        assertTrue(shared.contains("inet " + ip + "/"), shared);
        assertEquals(capsa.ok("exec", a, "hostname"), shared.substring(shared.indexOf('\n') + 1), "same ports too");
    }

    @Test
    void connectAndDisconnectChangeARunningContainersInterfaces() {
        capsa.ok("network", "create", "first");
        capsa.ok("network", "create", "second");
        String c = name("c");
        capsa.ok("run", "-d", "--name", c, "--network", "first", "busybox", "sleep", "1000");
        capsa.ok("network", "connect", "--alias", "other", "second", c);
        assertEquals("eth0\neth1\nlo\n", capsa.ok("exec", c, "ls", "/sys/class/net"));
        String ip = inspect(c, "{{.NetworkSettings.Networks.second.IPAddress}}");
        assertTrue(capsa.ok("exec", c, "ip", "-4", "-o", "addr", "show", "eth1").contains("inet " + ip + "/"), ip);
        assertEquals("0\n", capsa.ok("run", "--rm", "--network", "second", "busybox", "sh", "-c", "ping -c1 -W2 other >/dev/null; echo $?"));
        capsa.ok("network", "disconnect", "second", c);
        assertEquals("eth0\nlo\n", capsa.ok("exec", c, "ls", "/sys/class/net"));
        String bridge = capsa.ok("network", "inspect", "-f", "{{index .Options \"com.docker.network.bridge.name\"}}", "second").strip();
        assertFalse(Files.exists(Path.of("/sys/class/net", bridge)), "the bridge went with the last container on it");
        assertEquals("<no value>", inspect(c, "{{.NetworkSettings.Networks.second}}"));
        Cli.Result r = capsa.run("network", "disconnect", "second", c);
        assertEquals(125, r.exit(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
    }

    @Test
    void aContainerOnAnothersNetworkHasItsEtcFilesAndHostnameAndSeesThemChange() {
        capsa.ok("network", "create", "shared");
        capsa.ok("network", "create", "later");
        String x = name("x"), y = name("y");
        capsa.ok("run", "-d", "--name", x, "--network", "shared", "busybox", "sleep", "1000");
        capsa.ok("run", "-d", "--name", y, "--network", "container:" + x, "busybox", "sleep", "1000");
        String look = "hostname; echo $HOSTNAME; cat /etc/hostname /etc/hosts /etc/resolv.conf";
        String seenByX = capsa.ok("exec", x, "sh", "-c", look);
        assertEquals(seenByX, capsa.ok("exec", y, "sh", "-c", look), "as Docker: X's hostname and X's files");
        String hostname = seenByX.lines().findFirst().orElseThrow();
        assertTrue(seenByX.contains(inspect(x, "{{.NetworkSettings.Networks.shared.IPAddress}}") + "\t" + hostname + "\n"), seenByX);
        for (String path : List.of("{{.HostsPath}}", "{{.HostnamePath}}", "{{.ResolvConfPath}}"))
            assertEquals(inspect(x, path), inspect(y, path), path);
        // X's /etc/hosts changes in place: Y, which mounts the same file, sees the line of X's new address go and come.
        capsa.ok("network", "connect", "later", x);
        String added = inspect(x, "{{.NetworkSettings.Networks.later.IPAddress}}") + "\t" + hostname + "\n";
        assertTrue(capsa.ok("exec", y, "cat", "/etc/hosts").endsWith(added), capsa.ok("exec", y, "cat", "/etc/hosts"));
        capsa.ok("network", "disconnect", "later", x);
        assertFalse(capsa.ok("exec", y, "cat", "/etc/hosts").contains(added));
        assertEquals(capsa.ok("exec", x, "cat", "/etc/hosts"), capsa.ok("exec", y, "cat", "/etc/hosts"));
    }

    @Test
    void whatAnothersNetworkDecidesIsRefusedInDockersWordsAndNothingIsCreated() {
        String x = name("x"), y = name("y");
        capsa.ok("run", "-d", "--name", x, "busybox", "sleep", "1000");
        String[][] refused = {
                {"conflicting options: hostname and the network mode", "--hostname", "other"},
                {"conflicting options: dns and the network mode", "--dns", "192.0.2.53"},
                {"conflicting options: dns and the network mode", "--dns-search", "example.org"},
                {"conflicting options: dns and the network mode", "--dns-option", "ndots:2"},
                {"conflicting options: custom host-to-IP mapping and the network mode", "--add-host", "db:192.0.2.1"},
                {"conflicting options: port publishing and the container type network mode", "-p", "127.0.0.1::80"},
                {"conflicting options: port publishing and the container type network mode", "-P"},
                {"conflicting options: mac-address and the network mode", "--mac-address", "02:42:ac:11:00:02"}};
        for (String[] r : refused) {
            List<String> args = new ArrayList<>(List.of("run", "-d", "--name", y, "--network", "container:" + x));
            args.addAll(List.of(r).subList(1, r.length));
            args.addAll(List.of("busybox", "sleep", "1000"));
            Cli.Result result = capsa.run(args.toArray(String[]::new));
            assertEquals(125, result.exit(), result.toString());
            assertEquals(List.of("Error: " + r[0]), result.errLines(), result.toString());
            assertEquals("", result.out(), result.toString());
        }
        assertEquals(List.of(x), capsa.ok("ps", "-a", "--format", "{{.Names}}").lines().toList(), "nothing created");
    }

    private List<String> interfaces(String... network) {
        List<String> args = new ArrayList<>(List.of("run", "--rm"));
        args.addAll(List.of(network));
        args.addAll(List.of("busybox", "sh", "-c", "ls /sys/class/net"));
        List<String> names = new ArrayList<>(List.of(capsa.ok(args.toArray(String[]::new)).split("\\s+")));
        names.sort((x, y) -> x.equals("lo") ? -1 : y.equals("lo") ? 1 : x.compareTo(y));
        return names;
    }

    @Test
    void nothingIsLeftAfterAKilledContainerOrAKilledMonitor() throws Exception {
        String killed = name("killed"), orphan = name("orphan");
        capsa.ok("run", "-d", "--name", killed, "-p", "127.0.0.1::80", "busybox", "sh", "-c", SERVE);
        capsa.ok("run", "-d", "--name", orphan, "busybox", "sleep", "1000");
        int pid = Integer.parseInt(inspect(killed, "{{.State.Pid}}"));
        new ProcessBuilder("kill", "-9", Integer.toString(pid)).start().waitFor();
        int orphanPid = Integer.parseInt(inspect(orphan, "{{.State.Pid}}"));
        String stat = Files.readString(Path.of("/proc/" + orphanPid + "/stat"));
        int monitor = Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        new ProcessBuilder("kill", "-9", Integer.toString(monitor)).start().waitFor();
        for (int i = 0; i < 200 && !capsa.ok("ps", "-q").isEmpty(); i++) Thread.sleep(50);
        assertEquals("", capsa.ok("ps", "-q"), "both reported exited");
        assertEquals(netnsBefore, netnsFiles(), "their namespaces' files are gone");
        assertEquals(List.of(), attachments(), "both detached");
    }

    @Test
    void aCliKilledBetweenAttachAndStartLeavesAnAttachmentTheNextCommandTakesBack() throws Exception {
        Path attached = dir.resolve("run/_networks/attached");
        boolean caught = false;
        for (int attempt = 0; attempt < 10 && !caught; attempt++) {
            String n = name("crash" + attempt);
            Process cli = capsa.start("run", "-d", "--name", n, "busybox", "sleep", "1000");
            while (cli.isAlive() && (!Files.isDirectory(attached) || attachments().isEmpty())) Thread.sleep(1);
            cli.descendants().forEach(ProcessHandle::destroyForcibly); // kill -9 of the CLI and its helpers
            cli.destroyForcibly();
            cli.waitFor();
            caught = !capsa.ok("inspect", "-f", "{{.State.Status}}", n).strip().equals("running");
            capsa.ok("ps", "-a"); // any command finds what the dead CLI left attached
            if (caught) assertEquals(List.of(), attachments(), "the next command detached the container that never started");
            capsa.ok("rm", "-f", n);
        }
        assertTrue(caught, "no attempt killed the CLI between attach and start");
    }

    @Test
    void twentyContainersStartedAtOnceOnOneNetworkGetDistinctAddresses() throws Exception {
        capsa.ok("network", "create", "crowd");
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<String>> runs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String n = name("c" + i);
            runs.add(pool.submit(() -> capsa.ok("run", "-d", "--name", n, "--network", "crowd", "busybox", "sleep", "1000").strip()));
        }
        Set<String> addresses = new HashSet<>();
        for (Future<String> run : runs) addresses.add(inspect(run.get(), "{{.NetworkSettings.Networks.crowd.IPAddress}}"));
        pool.shutdown();
        assertEquals(20, addresses.size(), addresses.toString());
    }

    /**
     * The default network's bridge and isolation rule are the host's, shared by every run root: the last container of
     * another run root leaving it (which takes both away) while this root attaches a container must leave that one
     * on the bridge, reachable from a third container, with its rule. Its attach to a user network first widens the
     * time between its rule and its port on the bridge, and the other root's rm -f starts from 150 ms before to 150 ms
     * after it, so that in some rounds the other root's "is anyone left" check falls between the two: without a
     * host-wide lock, the rule or the bridge goes under the new container (on this machine: 5 rounds of 16). A
     * container attached all along would keep the bridge busy, and nothing would be removed to race with.
     */
    @Test
    void anotherRunRootsLastContainerLeavingTheDefaultNetworkLeavesThisRootsNewOneOnIt() throws Exception {
        EngineCli other = new EngineCli(dir.resolve("other/data"));
        capsa.ok("network", "create", "side");
        String sideBridge = capsa.ok("network", "inspect", "-f", "{{index .Options \"com.docker.network.bridge.name\"}}", "side").strip();
        List<String> ids = new ArrayList<>(), failures = new ArrayList<>();
        try {
            for (int round = 0; round < 16; round++) {
                String leaving = other.ok("run", "-d", "--name", name("leaving" + round), "busybox", "sleep", "1000").strip();
                ids.add(leaving);
                String[] run = {"run", "-d", "--name", name("staying" + round), "--network", "side", "--network", "bridge", "busybox", "sleep", "1000"};
                long apart = 20L * round - 150; // ms from the run's start to the rm's: both take about 200 ms, their critical parts meet near 0
                boolean leaveFirst = apart < 0;
                Process first = leaveFirst ? other.start("rm", "-f", leaving) : capsa.start(run);
                Thread.sleep(Math.abs(apart));
                Process second = leaveFirst ? capsa.start(run) : other.start("rm", "-f", leaving);
                Cli.Result attached = Cli.await(leaveFirst ? second : first), left = Cli.await(leaveFirst ? first : second);
                if (left.exit() != 0) failures.add("round " + round + ": rm -f of the other root's container: " + left);
                if (attached.exit() != 0) {
                    failures.add("round " + round + ": run: " + attached);
                    continue;
                }
                String staying = attached.text();
                ids.add(staying);
                String rules = NetworkNamespaces.run(List.of("iptables", "-w", "-S", "CAPSA-ISOLATION-STAGE-1")).out(); // before the ping's attach adds it again
                for (String bridge : List.of("capsa0", sideBridge)) {
                    if (!rules.contains("-A CAPSA-ISOLATION-STAGE-1 -i " + bridge + " ! -o " + bridge + " -j CAPSA-ISOLATION-STAGE-2"))
                        failures.add("round " + round + ": the isolation rule of " + bridge + " is gone: " + rules);
                }
                String ip = inspect(staying, "{{.NetworkSettings.Networks.bridge.IPAddress}}");
                Cli.Result ping = other.run("run", "--rm", "busybox", "ping", "-c1", "-W2", ip);
                if (ping.exit() != 0) failures.add("round " + round + ": " + ip + " is not reachable from the other root's container: " + ping);
                capsa.ok("rm", "-f", staying);
            }
        } finally {
            other.removeAll(dir.resolve("other"));
        }
        assertEquals(List.of(), failures);
        assertEquals(List.of(), Leaks.firewallRules(ids.toArray(String[]::new)), "iptables rules of the containers, or of a removed bridge");
        try (var records = Files.list(dir.resolve("other/run/_networks/attached"))) {
            assertEquals(List.of(), records.toList(), "the other root's containers are detached");
        }
    }

    @Test
    void badNetworkInputIsOneClearErrorAndCreatesNothing() throws Exception {
        Cli.Result unknown = capsa.run("run", "--rm", "--network", "nosuch", "busybox", "true");
        assertEquals(125, unknown.exit(), unknown.toString());
        assertEquals(List.of("Error: network nosuch not found"), unknown.errLines());
        Cli.Result malformed = capsa.run("run", "--rm", "-p", "80:http", "busybox", "true");
        assertEquals(125, malformed.exit(), malformed.toString());
        assertEquals(1, malformed.errLines().size(), malformed.toString());
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Cli.Result busy = capsa.run("run", "--rm", "-p", "127.0.0.1:" + taken.getLocalPort() + ":80", "busybox", "true");
            assertEquals(125, busy.exit(), busy.toString());
            assertEquals(1, busy.errLines().size(), busy.toString());
            assertTrue(busy.err().contains("Bind for 127.0.0.1:" + taken.getLocalPort() + " failed"), busy.err());
            try (Socket s = new Socket("127.0.0.1", taken.getLocalPort())) {
                assertTrue(s.isConnected(), "the host's listener keeps its port");
            }
        }
        assertEquals("", capsa.ok("ps", "-a", "-q"));
    }
}
