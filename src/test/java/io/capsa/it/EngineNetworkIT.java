package io.capsa.it;

import com.fasterxml.jackson.jr.ob.JSON;
import io.capsa.network.AttachedContainers;
import io.capsa.network.Attachment;
import io.capsa.network.Networks;
import io.capsa.network.Subnet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * capsa network create, ls, inspect, rm and prune through bin/capsa on a data root of the test's own, and their
 * refusals: one error line, exit 125, no network file written or removed.
 */
class EngineNetworkIT {
    @TempDir
    Path dir;
    private Path dataRoot;
    private EngineCli capsa;

    @BeforeEach
    void setUp() {
        dataRoot = dir.resolve("data");
        capsa = new EngineCli(dataRoot);
    }

    @Test
    void createLsInspectAndRmAsDocker() throws IOException {
        String id = capsa.ok("network", "create", "--label", "team=web", "--internal", "front").strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        String[] lines = capsa.ok("network", "ls").split("\n");
        assertEquals(3, lines.length, String.join("\n", lines));
        assertEquals("NETWORK ID     NAME      DRIVER    SCOPE", lines[0]);
        assertTrue(lines[1].matches("[0-9a-f]{12}   capsa     bridge    local"), lines[1]);
        assertEquals(id.substring(0, 12) + "   front     bridge    local", lines[2]);
        assertEquals("front\n", capsa.ok("network", "ls", "--filter", "name=fro", "--format", "{{.Name}}"));
        assertEquals("front true team=web\n", capsa.ok("network", "ls", "-f", "label=team=web", "--format", "{{.Name}} {{.Internal}} {{.Labels}}"));
        assertEquals("", capsa.ok("network", "ls", "-f", "label=team=db", "-q"));
        assertEquals(id + "\n", capsa.ok("network", "ls", "-q", "--no-trunc", "--filter", "id=" + id.substring(0, 5)));
        String subnet = capsa.ok("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}} {{(index .IPAM.Config 0).Gateway}}", "front").strip();
        assertTrue(subnet.matches("10\\.(89|9\\d)\\.\\d+\\.0/24 10\\.(89|9\\d)\\.\\d+\\.1"), subnet);
        List<Object> all = JSON.std.listFrom(capsa.ok("network", "inspect", id.substring(0, 8)));
        Map<?, ?> network = (Map<?, ?>) all.getFirst();
        assertEquals(List.of("Name", "Id", "Created", "Scope", "Driver", "EnableIPv6", "IPAM", "Internal", "Attachable", "Ingress",
                "ConfigFrom", "ConfigOnly", "Containers", "Options", "Labels"), List.copyOf(network.keySet()));
        assertEquals(id, network.get("Id"));
        assertEquals(true, network.get("Internal"));
        assertEquals(Map.of("team", "web"), network.get("Labels"));
        assertEquals(Map.of("com.docker.network.bridge.name", "capsa-" + id.substring(0, 9)), network.get("Options"));
        assertEquals("front\n", capsa.ok("network", "rm", "front"));
        assertEquals("capsa\n", capsa.ok("network", "ls", "--format", "{{.Name}}"));
    }

    @Test
    void theDefaultNetworksSubnetOverlapsNoHostRoute() {
        String subnet = capsa.ok("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "capsa").strip();
        Subnet chosen = Subnet.parse(subnet);
        for (String line : NetworkNamespaces.run(List.of("ip", "-4", "route", "show")).out().split("\n")) {
            String destination = line.split(" ")[0];
            if (destination.equals("default") || line.contains(" dev capsa0 ")) continue;
            Subnet route = Subnet.parse(destination.contains("/") ? destination : destination + "/32");
            assertFalse(route.overlaps(chosen), subnet + " overlaps the host's route " + line);
        }
    }

    @Test
    void badInputIsRefusedInOneLineAndChangesNoNetwork() throws IOException {
        capsa.ok("network", "create", "--subnet", "10.97.0.0/24", "taken");
        capsa.ok("network", "ls"); // the default network is there from its first use on
        List<Path> before = files();
        assertRefused("Error: subnet 10.97.0.0/16 overlaps network taken's 10.97.0.0/24", "network", "create", "--subnet", "10.97.0.0/16", "other");
        assertRefused("Error: invalid subnet \"10.98.0.0/33\": bad prefix length", "network", "create", "--subnet", "10.98.0.0/33", "other");
        assertRefused("Error: invalid subnet \"nonsense\": not in CIDR notation (address/prefix)", "network", "create", "--subnet", "nonsense", "other");
        assertRefused("Error: invalid subnet \"10.98.0.300/24\": not an IPv4 address", "network", "create", "--subnet", "10.98.0.300/24", "other");
        assertRefused("Error: gateway 10.96.0.1 is not a host address of subnet 10.98.0.0/24", "network", "create", "--subnet", "10.98.0.0/24", "--gateway", "10.96.0.1", "other");
        assertRefused("Error: --gateway needs a --subnet to belong to", "network", "create", "--gateway", "10.96.0.1", "other");
        assertRefused("Error: network with name taken already exists", "network", "create", "taken");
        assertRefused("Error: network with name capsa already exists", "network", "create", "capsa");
        assertRefused("Error: invalid network name \"-x\": only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed", "network", "create", "--", "-x");
        assertRefused("Error: --driver: unknown driver \"overlay\" (only bridge)", "network", "create", "-d", "overlay", "other");
        assertRefused("Error: network nope not found", "network", "inspect", "nope");
        assertRefused("Error: network nope not found", "network", "rm", "taken", "nope");
        assertRefused("Error: capsa is a pre-defined network and cannot be removed", "network", "rm", "capsa");
        assertRefused("Error: invalid filter \"colour\"", "network", "ls", "--filter", "colour=red");
        assertEquals(before, files());
        assertEquals("taken\n", capsa.ok("network", "rm", "taken"));
    }

    @Test
    void aRefusedCreateOnAFreshDataRootWritesNothing() {
        assertRefused("Error: invalid subnet \"x\": not in CIDR notation (address/prefix)", "network", "create", "--subnet", "x", "n");
        assertFalse(Files.exists(dataRoot.resolve("networks/capsa.conflist")), "the default network is not made by a refused create");
    }

    @Test
    void aNetworkInUseIsShownAndKeptUntilItsContainerDetaches() throws Exception {
        capsa.ok("network", "create", "used");
        capsa.ok("network", "create", "unused");
        Networks networks = new Networks(dataRoot, dataRoot.resolveSibling("run"), AttachedContainers.NONE);
        String id = ContainerTestBase.newId();
        try (NetworkNamespaces namespaces = new NetworkNamespaces()) {
            String ns = namespaces.add();
            String address = networks.attach(id, "holder", NetworkNamespaces.path(ns), List.of(Attachment.of("used")), List.of(), List.of("127.0.0.1"))
                    .endpoints().getFirst().address();
            try {
                assertEquals("holder " + address + "/24\n", capsa.ok("network", "inspect", "-f", "{{range .Containers}}{{.Name}} {{.IPv4Address}}{{end}}", "used"));
                assertRefused("Error: network used has containers attached: holder", "network", "rm", "used");
                Cli.Result no = capsa.runWithInput("n\n", "network", "prune");
                assertEquals("WARNING! This will remove all custom networks not used by at least one container.\nAre you sure you want to continue? [y/N] ", no.out());
                assertEquals("Deleted Networks:\nunused\n", capsa.ok("network", "prune", "-f"));
                assertEquals("capsa\nused\n", capsa.ok("network", "ls", "--format", "{{.Name}}"));
            } finally {
                networks.detach(id);
            }
        }
        assertEquals("used\n", capsa.ok("network", "rm", "used"));
        assertEquals("", capsa.ok("network", "prune", "-f"));
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> files = Files.list(dataRoot.resolve("networks"))) {
            return new ArrayList<>(files.sorted().toList());
        }
    }

    private void assertRefused(String expected, String... args) {
        Cli.Result r = capsa.run(args);
        assertEquals(125, r.exit(), r.toString());
        assertEquals(List.of(expected), r.errLines(), r.toString());
        assertEquals("", r.out(), r.toString());
    }
}
