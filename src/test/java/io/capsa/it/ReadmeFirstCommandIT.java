package io.capsa.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's first command ends in a container run from the embedded image: it runs, isolated, as shown. */
class ReadmeFirstCommandIT {
    @TempDir
    Path dir;

    @Test
    void theFirstCommandRunsAContainerAloneInItsPidNamespace() throws Exception {
        String readme = Files.readString(Cli.HOME.resolve("README.md"));
        String first = readme.lines().filter(l -> l.startsWith("apt-get update")).findFirst().orElseThrow();
        String run = first.substring(first.lastIndexOf("&& ") + 3);
        assertTrue(run.startsWith("bin/capsa run --rm busybox "), run);
        // the same command on a data root of this test's own
        String command = run.replaceFirst("^bin/capsa ", EngineCli.CAPSA + " --data-root " + dir.resolve("data")
                + " --run-root " + dir.resolve("run") + " ");
        String out = Command.ok(dir, Map.of(), List.of("sh", "-c", command));
        List<String> lines = out.lines().toList();
        assertTrue(lines.get(0).startsWith("PID 1 on "), out);
        assertEquals(List.of("PID   COMMAND", "    1 ps"), lines.subList(1, lines.size()), out);
    }
}
