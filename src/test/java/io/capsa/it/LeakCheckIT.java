package io.capsa.it;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Runs after every other integration test: the suite as a whole must leave the host as it found it. */
@Order(Integer.MAX_VALUE)
class LeakCheckIT {

    @Test
    void noCgroupsProcessesMountsOrStateAreLeft() throws IOException {
        assertEquals(List.of(), Leaks.cgroupDirs(ContainerTestBase.ID_PREFIX), "cgroup directories");
        assertEquals(List.of(), Leaks.processesInCgroups(ContainerTestBase.ID_PREFIX), "processes");
        assertEquals(List.of(), Leaks.mountsUnder(Cli.HOME.toString()), "mounts under the checkout");
        assertEquals(List.of(), Leaks.netnsFiles("capsa-"), "network namespaces (the runtime's tests' and the engine's containers')");
        assertEquals(List.of(), Leaks.engineCgroupDirs(), "cgroups of the engine's containers");
        assertEquals(List.of(), Leaks.firewallRules(ContainerTestBase.ID_PREFIX), "iptables rules");
        assertEquals(List.of(), Leaks.processesNaming("aardvark-dns", System.getProperty("java.io.tmpdir")), "resolvers of test networks");
        try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertEquals(List.of(), tmp.filter(p -> p.getFileName().toString().startsWith(ContainerTestBase.WORK_PREFIX)).toList(),
                    "test directories");
        }
    }
}
