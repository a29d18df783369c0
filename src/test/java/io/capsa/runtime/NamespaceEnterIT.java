package io.capsa.runtime;

import io.capsa.linux.Proc;
import io.capsa.nstools.NamespaceEnter;
import io.capsa.spec.NamespaceType;
import io.capsa.spec.ProcessSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** NamespaceEnter's plan, carried out by the native helper as `capsa ns enter` will have it carried out. */
class NamespaceEnterIT {
    @TempDir
    Path dir;

    private static String link(String file) throws Exception {
        return Files.readSymbolicLink(Path.of(file)).toString();
    }

    @Test
    void theEnteredProcessIsInTheTargetsNetworkAndUtsNamespacesAndKeepsOurMountNamespace() throws Exception {
        Process target = new ProcessBuilder("unshare", "--net", "--uts", "sleep", "1000").start();
        try {
            int pid = (int) target.pid();
            String ns = "/proc/" + pid + "/ns/";
            for (int i = 0; i < 500 && Proc.namespaceInode(Path.of(ns + "net")) == Proc.namespaceInode(Path.of("/proc/self/ns/net")); i++)
                Thread.sleep(10); // until unshare has unshared
            Path out = dir.resolve("out");
            ProcessSpec process = new ProcessSpec(false, ProcessSpec.ConsoleSize.UNSET,
                    List.of("/bin/sh", "-c", "readlink /proc/self/ns/net /proc/self/ns/uts /proc/self/ns/mnt > " + out),
                    List.of("PATH=/usr/bin:/bin"), "/", new ProcessSpec.User(0, 0, null, List.of()), null, List.of(), false, null, null, null);
            int exit;
            try (Helper helper = Helper.start(NamespaceEnter.plan(pid, Set.of(NamespaceType.values()), process, null, null), 0)) {
                helper.awaitPid();
                helper.go();
                exit = helper.awaitExit();
            }
            assertEquals(0, exit);
            assertEquals(List.of(link(ns + "net"), link(ns + "uts"), link("/proc/self/ns/mnt")), Files.readAllLines(out));
        } finally {
            target.destroyForcibly();
            target.waitFor();
        }
    }
}
