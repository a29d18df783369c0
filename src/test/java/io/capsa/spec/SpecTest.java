package io.capsa.spec;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecTest {
    private static final String BASE = """
            {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
             "process": {"args": ["sh"], "cwd": "/", "env": ["PATH=/bin"], "user": {"uid": 1, "gid": 2}},
             "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "network", "path": "/proc/1/ns/net"}]},
             "annotations": {"a": "b"}, "x-unknown": {"kept": true}}""";

    private static Spec parse(String json) {
        return Spec.parse(Json.parse(json, "config.json"));
    }

    private static String error(String json) {
        return assertThrows(SpecException.class, () -> parse(json)).getMessage();
    }

    @Test
    void parsesTheFieldsCapsaActsOnAndKeepsTheRest() {
        Spec spec = parse(BASE);
        assertEquals(List.of("sh"), spec.process().args());
        assertEquals(1, spec.process().user().uid());
        assertEquals(NamespaceType.NETWORK, spec.linux().namespaces().get(2).type());
        assertEquals("/proc/1/ns/net", spec.linux().namespaces().get(2).path());
        assertTrue(spec.linux().creates(NamespaceType.PID));
        assertTrue(!spec.linux().creates(NamespaceType.NETWORK));
        assertEquals("b", spec.annotations().get("a"));
        assertTrue(((java.util.Map<?, ?>) spec.raw()).containsKey("x-unknown"));
    }

    @Test
    void errorsNameTheFieldPath() {
        assertEquals("linux.namespaces[1].type: unknown namespace type \"nope\"",
                error(BASE.replace("{\"type\": \"mount\"}", "{\"type\": \"nope\"}")));
        assertEquals("process.args: expected an array", error(BASE.replace("[\"sh\"]", "\"sh\"")));
        assertEquals("process.cwd: must be an absolute path", error(BASE.replace("\"cwd\": \"/\"", "\"cwd\": \"tmp\"")));
        assertEquals("process.user.uid: -1 is out of range 0..2147483647", error(BASE.replace("\"uid\": 1", "\"uid\": -1")));
        assertEquals("ociVersion: is required", error(BASE.replace("\"ociVersion\": \"1.2.0\",", "")));
        assertEquals("linux.namespaces[1].type: namespace type \"pid\" given twice",
                error(BASE.replace("{\"type\": \"mount\"}", "{\"type\": \"pid\"}")));
        assertEquals("linux.uidMappings: needs a new user namespace",
                error(BASE.replace("\"linux\": {", "\"linux\": {\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 1}],")));
        assertEquals("hostname: cannot be set without a uts namespace", error(BASE.replace("\"annotations\"", "\"hostname\": \"h\", \"annotations\"")));
    }

    private static String process(String field) {
        return BASE.replace("\"cwd\": \"/\"", "\"cwd\": \"/\", " + field);
    }

    @Test
    void numbersBeyondTheirTypeAreRefusedNotNarrowed() {
        // each of these became root, or another user, or "not set", when narrowed to the field's type
        for (String uid : List.of("4294967295", "18446744073709551616", "18446744073709552000", "2147483648"))
            assertEquals("process.user.uid: " + uid + " is out of range 0..2147483647", error(BASE.replace("\"uid\": 1", "\"uid\": " + uid)));
        assertEquals("process.user.gid: 4294967295 is out of range 0..2147483647", error(BASE.replace("\"gid\": 2", "\"gid\": 4294967295")));
        assertEquals("process.user.additionalGids[1]: 4294967296 is out of range 0..2147483647",
                error(BASE.replace("\"gid\": 2", "\"gid\": 2, \"additionalGids\": [5, 4294967296]")));
        assertEquals("process.user.umask: 18446744073709551634 is out of range 0..511",
                error(BASE.replace("\"gid\": 2", "\"gid\": 2, \"umask\": 18446744073709551634")));
        assertEquals("process.user.uid: 1.5 is not an integer", error(BASE.replace("\"uid\": 1", "\"uid\": 1.5")));
        assertEquals("process.user.uid: 1000.0 is not an integer", error(BASE.replace("\"uid\": 1", "\"uid\": 1e3")));
        assertEquals("process.oomScoreAdj: 18446744073709550616 is out of range -1000..1000",
                error(process("\"oomScoreAdj\": 18446744073709550616")));
        assertEquals("process.oomScoreAdj: 9223372036854775808 is out of range -1000..1000", error(process("\"oomScoreAdj\": 9223372036854775808")));
        assertEquals("process.oomScoreAdj: -9223372036854775808 is out of range -1000..1000", error(process("\"oomScoreAdj\": -9223372036854775808")));
        assertEquals("process.consoleSize.width: 18446744073709551696 is out of range 0..65535",
                error(process("\"consoleSize\": {\"height\": 24, \"width\": 18446744073709551696}")));
        assertEquals("process.rlimits[0].hard: 18446744073709551616 is out of range 0..18446744073709551615",
                error(process("\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": 1024, \"hard\": 18446744073709551616}]")));
        assertEquals("process.rlimits[0].soft: -2 is out of range 0..18446744073709551615",
                error(process("\"rlimits\": [{\"type\": \"RLIMIT_NOFILE\", \"soft\": -2, \"hard\": 1024}]")));
        assertEquals("linux.devices[0].major: 4294967297 is out of range 0..4095", error(BASE.replace("\"linux\": {",
                "\"linux\": {\"devices\": [{\"path\": \"/dev/x\", \"type\": \"c\", \"major\": 4294967297, \"minor\": 1}],")));
        assertEquals("hooks.prestart[0].timeout: 18446744073709551617 is out of range -9223372036854775808..9223372036854775807",
                error(BASE.replace("\"annotations\"", "\"hooks\": {\"prestart\": [{\"path\": \"/bin/true\", \"timeout\": 18446744073709551617}]}, \"annotations\"")));
    }

    @Test
    void numbersAtTheEdgesOfTheirRangeAreKept() {
        ProcessSpec p = parse(BASE.replace("\"uid\": 1", "\"uid\": 2147483647").replace("\"cwd\": \"/\"", "\"cwd\": \"/\", \"oomScoreAdj\": -1000, "
                + "\"rlimits\": [{\"type\": \"RLIMIT_CORE\", \"soft\": 18446744073709551615, \"hard\": -1}]")).process();
        assertEquals(2147483647, p.user().uid());
        assertEquals(-1000, p.oomScoreAdj());
        assertEquals(-1, p.rlimits().get(0).soft(), "2^64-1 is RLIM_INFINITY");
        assertEquals(-1, p.rlimits().get(0).hard());
    }

    @Test
    void anEscapedNulInAnyStringIsRefused() {
        String nul = "\\u0000";
        assertEquals("process.env[0]: must not contain a NUL character (\\u0000)",
                error(BASE.replace("PATH=/bin", "X=ok" + nul + "LD_PRELOAD=/evil.so")));
        assertEquals("process.args[0]: must not contain a NUL character (\\u0000)", error(BASE.replace("[\"sh\"]", "[\"sh" + nul + "x\"]")));
        assertEquals("process.cwd: must not contain a NUL character (\\u0000)", error(BASE.replace("\"cwd\": \"/\"", "\"cwd\": \"/tmp" + nul + "\"")));
        assertEquals("mounts[0].destination: must not contain a NUL character (\\u0000)", error(BASE.replace("\"annotations\"",
                "\"mounts\": [{\"destination\": \"/proc" + nul + "/x\", \"type\": \"proc\", \"source\": \"proc\"}], \"annotations\"")));
        assertEquals("mounts[0].options[1]: must not contain a NUL character (\\u0000)", error(BASE.replace("\"annotations\"",
                "\"mounts\": [{\"destination\": \"/x\", \"type\": \"tmpfs\", \"options\": [\"ro\", \"size=1m" + nul + "\"]}], \"annotations\"")));
        assertEquals("linux.maskedPaths[0]: must not contain a NUL character (\\u0000)",
                error(BASE.replace("\"linux\": {", "\"linux\": {\"maskedPaths\": [\"/proc" + nul + "/kcore\"],")));
        assertEquals("linux.sysctl: a member's name must not contain a NUL character (\\u0000)",
                error(BASE.replace("\"linux\": {", "\"linux\": {\"sysctl\": {\"net.ipv4.ip_forward" + nul + "\": \"1\"},")));
        assertEquals("hooks.prestart[0].args[1]: must not contain a NUL character (\\u0000)", error(BASE.replace("\"annotations\"",
                "\"hooks\": {\"prestart\": [{\"path\": \"/bin/sh\", \"args\": [\"sh\", \"-c" + nul + "\"]}]}, \"annotations\"")));
        assertEquals("annotations.a: must not contain a NUL character (\\u0000)", error(BASE.replace("\"a\": \"b\"", "\"a\": \"b" + nul + "\"")));
    }

    @Test
    void malformedDevicesAreRefusedNamingTheEntry() {
        String base = BASE.replace("\"namespaces\":", "\"devices\": [DEVICE], \"namespaces\":");
        String good = "{\"path\": \"/dev/fuse\", \"type\": \"c\", \"major\": 10, \"minor\": 229}";
        assertEquals("/dev/fuse", parse(base.replace("DEVICE", good)).linux().devices().getFirst().path());
        assertEquals("linux.devices[0].type: unknown device type (c, b, u or p)",
                error(base.replace("DEVICE", good.replace("\"c\"", "\"x\""))));
        assertEquals("linux.devices[0].path: must be under /dev", error(base.replace("DEVICE", good.replace("/dev/fuse", "/etc/fuse"))));
        assertEquals("linux.devices[0].path: must be under /dev", error(base.replace("DEVICE", good.replace("/dev/fuse", "/dev/../etc/passwd"))));
        assertEquals("linux.devices[0].path: must be under /dev", error(base.replace("DEVICE", good.replace("/dev/fuse", "dev/fuse"))));
        assertEquals("linux.devices[0]: major and minor are required", error(base.replace("DEVICE", good.replace(", \"minor\": 229", ""))));
        assertTrue(error(base.replace("DEVICE", good.replace("229", "-1"))).startsWith("linux.devices[0].minor: -1 is out of range"));
        assertTrue(error(base.replace("DEVICE", good.replace("229}", "229, \"fileMode\": 4294967296}"))).startsWith("linux.devices[0].fileMode:"));
    }

    @Test
    void capabilitiesAreReadWithOrWithoutThePrefixInAnyCase() {
        String caps = "\"capabilities\": {\"bounding\": [\"CAP_CHOWN\", \"kill\", \"cap_net_raw\"]}, \"cwd\"";
        assertEquals((1L << 0) | (1L << 5) | (1L << 13), parse(BASE.replace("\"cwd\"", caps)).process().capabilities().bounding());
        assertEquals("process.capabilities.bounding[1]: unknown capability \"CAP_NOPE\"",
                error(BASE.replace("\"cwd\"", caps.replace("kill", "CAP_NOPE"))));
    }

    @Test
    void malformedJsonIsOneLine() {
        String message = error("{\"ociVersion\": ");
        assertTrue(message.startsWith("config.json: malformed JSON: "), message);
        assertEquals(1, message.lines().count());
    }

    @Test
    void mountOptionsSplitIntoFlagsPropagationAndData() {
        MountOptions o = MountOptions.parse(List.of("rbind", "ro", "nosuid", "rslave", "mode=755", "size=1m"));
        assertEquals(MountOptions.MS_BIND | MountOptions.MS_REC | MountOptions.MS_RDONLY | MountOptions.MS_NOSUID, o.flags());
        assertEquals(MountOptions.MS_SLAVE | MountOptions.MS_REC, o.propagation());
        assertEquals("mode=755,size=1m", o.data());
        assertEquals(0, MountOptions.parse(List.of("ro", "rw")).flags(), "a later option wins");
    }
}
