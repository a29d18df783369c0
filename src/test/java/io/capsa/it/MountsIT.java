package io.capsa.it;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

    @Test
    void tmpcopyupStartsTheTmpfsWithACopyOfTheRootfsDirectory() throws Exception {
        assertTrue(capsa.ok("features").contains("\"tmpcopyup\""), "features lists tmpcopyup");
        Bundle b = ownRootfs("own", "sleep", "1000").addMount("/scratch", "tmpfs", "tmpfs", "nosuid", "tmpcopyup");
        Path scratch = b.dir().resolve("rootfs/scratch");
        Files.createDirectories(scratch.resolve("sub"));
        Path file = Files.writeString(scratch.resolve("f"), "kept\n");
        Files.createSymbolicLink(scratch.resolve("link"), Path.of("f"));
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        Files.setPosixFilePermissions(scratch.resolve("sub"), PosixFilePermissions.fromString("rwxr-x--x"));
        Files.setAttribute(file, "unix:uid", 1000);
        Files.setAttribute(file, "unix:gid", 1001);
        UserDefinedFileAttributeView xattrs = Files.getFileAttributeView(file, UserDefinedFileAttributeView.class);
        xattrs.write("capsa", StandardCharsets.UTF_8.encode("copied"));
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", b.dir().toString(), id);
        assertTrue(capsa.ok("exec", id, "grep", " /scratch ", "/proc/self/mountinfo").contains(" - tmpfs "));
        assertEquals(List.of("f 1000 1001 640", "sub 0 0 751", "link -> f"), capsa.ok("exec", id, "sh", "-c",
                "cd /scratch; stat -c '%n %u %g %a' f sub; echo link '->' $(readlink link); echo new > new").lines().toList());
        Path copy = Path.of("/proc/" + pidOf(capsa, id) + "/root/scratch/f");
        assertEquals("kept\n", Files.readString(copy));
        ByteBuffer value = ByteBuffer.allocate(16);
        Files.getFileAttributeView(copy, UserDefinedFileAttributeView.class).read("capsa", value);
        assertEquals("copied", new String(value.array(), 0, value.position(), StandardCharsets.UTF_8));
        assertFalse(Files.exists(scratch.resolve("new")), "a write went to the root filesystem, not the tmpfs");
    }

    @Test
    void aReadOnlyTmpcopyupIsCopiedAndThenReadOnly() throws Exception {
        Bundle b = ownRootfs("own", "sh", "-c", "cat /scratch/f; touch /scratch/g 2>/dev/null && echo writable || echo read-only")
                .addMount("/scratch", "tmpfs", "tmpfs", "ro", "tmpcopyup");
        Files.writeString(Files.createDirectories(b.dir().resolve("rootfs/scratch")).resolve("f"), "kept\n");
        assertEquals(List.of("kept", "read-only"), capsa.ok("run", "--bundle", b.dir().toString(), newId()).lines().toList());
        String id = newId();
        b.addMount("/proc2", "proc", "proc", "tmpcopyup");
        refused(id, "mounts[" + (b.mounts().size() - 1) + "].options: tmpcopyup needs type tmpfs", "run", "--bundle", b.dir().toString(), id);
    }

    @Test
    void sharedAndUnbindableRootPropagationApplyToTheRoot() {
        // With a shared root, a mount on a bind of / shows at the same place under / itself.
        Bundle shared = bundle("shared", "sh", "-c", "awk '$5 == \"/\"' /proc/self/mountinfo; mount --bind / /root"
                + " && mount -t tmpfs capsa-peer /root/tmp && grep -q ' /tmp .* capsa-peer ' /proc/self/mountinfo && echo propagated");
        List<String> all = List.of("CAP_SYS_ADMIN");
        shared.process().put("capabilities", Map.of("bounding", all, "effective", all, "permitted", all));
        shared.linux().put("rootfsPropagation", "shared");
        List<String> out = capsa.ok("run", "--bundle", shared.write().dir().toString(), newId()).lines().toList();
        assertTrue(out.get(0).contains(" shared:"), out.get(0));
        assertEquals("propagated", out.get(1));
        Bundle unbindable = bundle("unbindable", "awk", "$5 == \"/\"", "/proc/self/mountinfo");
        unbindable.linux().put("rootfsPropagation", "unbindable");
        assertTrue(capsa.ok("run", "--bundle", unbindable.write().dir().toString(), newId()).contains(" unbindable "));
    }

    private static void mount(String... command) throws Exception {
        Process p = new ProcessBuilder(command).inheritIO().start();
        assertEquals(0, p.waitFor(), String.join(" ", command));
    }
}
