package io.capsa.it;

import io.capsa.seccomp.EngineProfiles;
import io.capsa.seccomp.SyscallTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** linux.seccomp in real containers: busybox's system calls meet the filter. */
class SeccompIT extends ContainerTestBase {
    private static final Map<String, Object> MKDIR_DENIED = Map.of("defaultAction", "SCMP_ACT_ALLOW",
            "syscalls", List.of(Map.of("names", List.of("mkdir", "mkdirat"), "action", "SCMP_ACT_ERRNO", "errnoRet", 1)));

    /** A bundle with a writable /tmp, so that only the filter can stop mkdir there. */
    private Bundle withTmp(String... args) {
        return bundle("b", args).addMount("/tmp", "tmpfs", "tmpfs");
    }

    private static Bundle withSeccomp(Bundle b, Map<String, Object> profile) {
        b.linux().put("seccomp", profile);
        return b.write();
    }

    private Cli.Result runUnder(Map<String, Object> profile, String... args) {
        return capsa.run("run", "--bundle", withSeccomp(withTmp(args), profile).dir().toString(), newId());
    }

    @Test
    void aDeniedCallFailsWithTheConfiguredErrno() {
        capsa.ok("run", "--bundle", withTmp("mkdir", "/tmp/x").dir().toString(), newId());
        Cli.Result r = runUnder(MKDIR_DENIED, "mkdir", "/tmp/x");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("mkdir: can't create directory '/tmp/x': Operation not permitted", r.err().strip());
    }

    @Test
    void withoutNoNewPrivilegesTheFilterIsLoadedBeforeCapabilitiesAreDropped() {
        Bundle b = withSeccomp(withTmp("mkdir", "/tmp/x"), MKDIR_DENIED);
        b.process().put("noNewPrivileges", false); // loading then needs CAP_SYS_ADMIN, which the config drops
        Cli.Result r = capsa.run("run", "--bundle", b.write().dir().toString(), newId());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("mkdir: can't create directory '/tmp/x': Operation not permitted", r.err().strip());
    }

    @Test
    void anArgumentComparisonDecides() {
        // Deny making a file writable by others: chmod(path, mode) with mode & 0002 == 0002.
        Map<String, Object> profile = Map.of("defaultAction", "SCMP_ACT_ALLOW", "syscalls", List.of(
                Map.of("names", List.of("chmod"), "action", "SCMP_ACT_ERRNO", "errnoRet", 13,
                        "args", List.of(Map.of("index", 1, "value", 2, "valueTwo", 2, "op", "SCMP_CMP_MASKED_EQ"))),
                Map.of("names", List.of("fchmodat"), "action", "SCMP_ACT_ERRNO", "errnoRet", 13,
                        "args", List.of(Map.of("index", 2, "value", 2, "valueTwo", 2, "op", "SCMP_CMP_MASKED_EQ")))));
        Cli.Result r = runUnder(profile, "sh", "-c", "touch /tmp/f && chmod 664 /tmp/f && echo 664 ok; chmod 666 /tmp/f");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("664 ok", r.text());
        assertEquals("chmod: /tmp/f: Permission denied", r.err().strip());
    }

    @Test
    void theDefaultActionAnswersWhatTheAllowListLeavesOut() {
        List<String> allowed = SyscallTable.names().stream().filter(n -> !n.equals("mkdir") && !n.equals("mkdirat")).toList();
        Map<String, Object> profile = Map.of("defaultAction", "SCMP_ACT_ERRNO", "defaultErrnoRet", 38,
                "architectures", List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"),
                "syscalls", List.of(Map.of("names", allowed, "action", "SCMP_ACT_ALLOW")));
        Cli.Result r = runUnder(profile, "sh", "-c", "echo allowed; mkdir /tmp/x");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("allowed", r.text());
        assertEquals("mkdir: can't create directory '/tmp/x': Function not implemented", r.err().strip());
    }

    @Test
    void aKillActionEndsTheProgramWithSigsys() {
        Map<String, Object> profile = Map.of("defaultAction", "SCMP_ACT_ALLOW",
                "syscalls", List.of(Map.of("names", List.of("mkdir", "mkdirat"), "action", "SCMP_ACT_KILL_PROCESS")));
        Cli.Result r = runUnder(profile, "mkdir", "/tmp/x");
        assertEquals(128 + 31, r.exit(), "killed by SIGSYS: " + r);
    }

    @Test
    void execRunsUnderTheContainersFilter() {
        String id = newId();
        capsa.ok("run", "--detach", "--bundle", withSeccomp(withTmp("sleep", "1000"), MKDIR_DENIED).dir().toString(), id);
        Cli.Result r = capsa.run("exec", id, "mkdir", "/tmp/x");
        assertEquals(1, r.exit(), r.toString());
        assertEquals("mkdir: can't create directory '/tmp/x': Operation not permitted", r.err().strip());
        assertEquals("up", capsa.ok("exec", id, "echo", "up").strip());
    }

    /** As runc does: a profile written for a newer kernel still loads, and --debug tells what it left out. */
    @Test
    void anUnknownSyscallIsSkippedWithANoteUnderDebug() throws IOException {
        Map<String, Object> profile = Map.of("defaultAction", "SCMP_ACT_ALLOW",
                "syscalls", List.of(Map.of("names", List.of("mkdir", "mkdri", "mkdirat"), "action", "SCMP_ACT_ERRNO")));
        Path log = capsa.root().resolveSibling("debug.log");
        Bundle b = withSeccomp(withTmp("mkdir", "/tmp/x"), profile);
        Cli.Result r = capsa.run("--debug", "--log", log.toString(), "run", "--bundle", b.dir().toString(), newId());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("mkdir: can't create directory '/tmp/x': Operation not permitted", r.err().strip());
        String note = "msg=\"linux.seccomp: skipped syscall \\\"mkdri\\\": unknown\"";
        assertTrue(Files.readString(log).contains(note), Files.readString(log));
        Files.delete(log);
        capsa.run("--log", log.toString(), "run", "--bundle", b.dir().toString(), newId());
        assertFalse(Files.exists(log) && Files.readString(log).contains("mkdri"), "a note without --debug");
    }

    /** Docker's and Podman's default profiles, as each engine hands them over on this host. */
    @Test
    void dockersDefaultProfileLoadsAndDeniesWhatItDenies() {
        assertDeniesSwapon(EngineProfiles.docker(goArch()));
    }

    @Test
    void podmansDefaultProfileLoadsAndDeniesWhatItDenies() {
        assertDeniesSwapon(EngineProfiles.podman(goArch()));
    }

    private static String goArch() {
        return System.getProperty("os.arch").equals("aarch64") ? "arm64" : "amd64";
    }

    /**
     * swapon(2) of a file with no swap signature: the kernel answers EINVAL, the filter (both profiles deny
     * swapon) EPERM. With CAP_SYS_ADMIN, which swapon needs, so that only the filter can say EPERM.
     */
    private void assertDeniesSwapon(Map<String, Object> profile) {
        String script = "grep Seccomp: /proc/self/status; head -c 40960 /dev/zero >/tmp/swap; swapon /tmp/swap";
        Bundle b = withTmp("sh", "-c", script);
        List<String> caps = List.of("CAP_SYS_ADMIN", "CAP_DAC_OVERRIDE");
        b.process().put("capabilities", Map.of("bounding", caps, "effective", caps, "permitted", caps));
        Cli.Result unfiltered = capsa.run("run", "--bundle", b.write().dir().toString(), newId());
        assertEquals("Seccomp:\t0", unfiltered.text(), unfiltered.toString());
        assertEquals("swapon: /tmp/swap: Invalid argument", unfiltered.err().strip());
        Cli.Result r = capsa.run("run", "--bundle", withSeccomp(b, profile).dir().toString(), newId());
        assertEquals(1, r.exit(), r.toString());
        assertEquals("Seccomp:\t2", r.text());
        assertEquals("swapon: /tmp/swap: Operation not permitted", r.err().strip());
    }

    @Test
    void anUnknownArchitectureIsRefused() {
        String id = newId();
        Map<String, Object> profile = Map.of("defaultAction", "SCMP_ACT_ALLOW", "architectures", List.of("SCMP_ARCH_X86_65"));
        refused(id, "linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_X86_65\"",
                "run", "--bundle", withSeccomp(bundle("b", "true"), profile).dir().toString(), id);
    }

    @Test
    void anUnknownOpIsRefused() {
        String id = newId();
        Map<String, Object> profile = Map.of("defaultAction", "SCMP_ACT_ALLOW", "syscalls", List.of(Map.of(
                "names", List.of("mkdir"), "action", "SCMP_ACT_ERRNO",
                "args", List.of(Map.of("index", 0, "value", 1, "op", "SCMP_CMP_EQUAL")))));
        refused(id, "linux.seccomp.syscalls[0].args[0].op: unknown op \"SCMP_CMP_EQUAL\"",
                "create", "--bundle", withSeccomp(bundle("b", "true"), profile).dir().toString(), id);
    }
}
