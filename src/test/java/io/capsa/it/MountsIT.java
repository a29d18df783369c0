package io.capsa.it;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The mounts of config.json: types, options, file binds, recursive attributes. */
class MountsIT extends ContainerTestBase {

    @Test
    void tmpfsOptionsAndFlagsApply() {
        Bundle b = bundle("b", "sh", "-c", "stat -c %a /scratch; grep ' /scratch ' /proc/self/mountinfo")
                .addMount("/scratch", "tmpfs", "tmpfs", "size=1m", "mode=700", "noexec", "nosuid", "nodev");
        List<String> out = capsa.ok("run", "--bundle", b.dir().toString(), newId()).lines().toList();
        assertEquals("700", out.get(0));
        String info = out.get(1);
        assertTrue(info.contains("nosuid") && info.contains("nodev") && info.contains("noexec"), info);
        assertTrue(info.contains("size=1024k"), info);
    }

    @Test
    void aFileIsBoundOntoAFile() throws Exception {
        Path file = Files.writeString(work.resolve("motd"), "bound file\n");
        Bundle b = bundle("b", "cat", "/etc/motd").addMount("/etc/motd", "bind", file.toString(), "bind", "ro");
        assertEquals("bound file", capsa.ok("run", "--bundle", b.dir().toString(), newId()).strip());
    }

    @Test
    void rroMakesSubmountsReadOnlyWhereRoDoesNot() throws Exception {
        Path source = Files.createDirectories(work.resolve("src/sub"));
        mount("mount", "-t", "tmpfs", "capsa-it-sub", source.toString());
        try {
            String probe = "touch /data/sub/x 2>/dev/null && echo writable || echo read-only";
            Bundle ro = bundle("ro", "sh", "-c", probe).addMount("/data", "bind", source.getParent().toString(), "rbind", "ro");
            assertEquals("writable", capsa.ok("run", "--bundle", ro.dir().toString(), newId()).strip(),
                    "ro is not recursive: the submount stays writable");
            Bundle rro = bundle("rro", "sh", "-c", probe).addMount("/data", "bind", source.getParent().toString(), "rbind", "rro");
            assertEquals("read-only", capsa.ok("run", "--bundle", rro.dir().toString(), newId()).strip());
        } finally {
            mount("umount", source.toString());
        }
    }

    private static void mount(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }
}
