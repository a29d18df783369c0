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
        assertEquals("process.user.uid: must be between 0 and 4294967295", error(BASE.replace("\"uid\": 1", "\"uid\": -1")));
        assertEquals("ociVersion: is required", error(BASE.replace("\"ociVersion\": \"1.2.0\",", "")));
        assertEquals("linux.namespaces[1].type: namespace type \"pid\" given twice",
                error(BASE.replace("{\"type\": \"mount\"}", "{\"type\": \"pid\"}")));
        assertEquals("linux.uidMappings: needs a new user namespace",
                error(BASE.replace("\"linux\": {", "\"linux\": {\"uidMappings\": [{\"containerID\": 0, \"hostID\": 1, \"size\": 1}],")));
        assertEquals("hostname: cannot be set without a uts namespace", error(BASE.replace("\"annotations\"", "\"hostname\": \"h\", \"annotations\"")));
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
