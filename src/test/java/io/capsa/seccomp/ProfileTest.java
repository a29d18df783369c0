package io.capsa.seccomp;

import io.capsa.spec.Json;
import io.capsa.spec.Spec;
import io.capsa.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProfileTest {
    /** A config.json whose linux.seccomp is the given JSON. */
    private static Spec config(String seccomp) {
        return Spec.parse(Json.parse("""
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"},
                 "linux": {"namespaces": [{"type": "mount"}], "seccomp": %s}}""".formatted(seccomp), "config.json"));
    }

    private static String error(String seccomp) {
        return assertThrows(SpecException.class, () -> config(seccomp)).getMessage();
    }

    private static final String RULES = """
            {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
              {"names": ["read"], "action": "SCMP_ACT_ALLOW"},
              {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 13,
               "args": [{"index": 1, "value": 448, "op": "SCMP_CMP_MASKED_EQ", "valueTwo": 0}]}]}""";

    @Test
    void parsesActionsConditionsArchitecturesAndFlags() {
        Profile p = config("""
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"],
                 "flags": ["SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"], "syscalls": [
                  {"names": ["kill"], "action": "SCMP_ACT_TRACE", "errnoRet": 7,
                   "args": [{"index": 5, "value": 18446744073709551615, "op": "SCMP_CMP_GT"}]}]}""").linux().seccomp();
        assertEquals(0x00050001, p.defaultAction().ret(), "ERRNO without errnoRet is EPERM");
        assertEquals(List.of(Arch.X86, Arch.X32), p.architectures());
        assertEquals(Set.of(FilterFlag.LOG, FilterFlag.SPEC_ALLOW), p.flags());
        assertEquals(2 | 4, p.flagBits());
        assertEquals(List.of(Arch.X86_64, Arch.X86, Arch.X32), p.archesFor(Arch.X86_64));
        Rule kill = p.rules().getFirst();
        assertEquals(0x7ff00007, kill.action().ret());
        assertEquals(new Condition(5, Comparison.GT, -1L, 0), kill.conditions().getFirst(), "2^64-1 fits");
    }

    @Test
    void noSeccompNoProfile() {
        assertNull(Spec.parse(Json.parse("""
                {"ociVersion": "1.2.0", "root": {"path": "rootfs"}, "linux": {}}""", "config.json")).linux().seccomp());
    }

    @Test
    void eachMistakeIsOneLineNamingTheField() {
        assertEquals("linux.seccomp.syscalls[1].args[0].op: unknown op \"SCMP_CMP_MASKED\"",
                error(RULES.replace("SCMP_CMP_MASKED_EQ", "SCMP_CMP_MASKED")));
        assertEquals("linux.seccomp.syscalls[0].action: unknown action \"SCMP_ACT_ALLOWED\"",
                error(RULES.replace("\"action\": \"SCMP_ACT_ALLOW\"", "\"action\": \"SCMP_ACT_ALLOWED\"")));
        assertEquals("linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_MIPS\" (capsa knows "
                        + "SCMP_ARCH_X86_64, SCMP_ARCH_X86, SCMP_ARCH_X32, SCMP_ARCH_AARCH64, SCMP_ARCH_ARM)",
                error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_MIPS\"]}"));
        assertEquals("linux.seccomp.flags[0]: unknown flag \"SECCOMP_FILTER_FLAG_NOPE\"",
                error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_NOPE\"]}"));
        assertEquals("linux.seccomp.defaultAction: is required", error("{\"syscalls\": []}"));
        assertEquals("linux.seccomp.syscalls[1].args[0].index: must be between 0 and 5",
                error(RULES.replace("\"index\": 1", "\"index\": 6")));
        assertEquals("linux.seccomp.syscalls[1].args[0].value: must be an integer between 0 and 18446744073709551615",
                error(RULES.replace("\"value\": 448", "\"value\": -1")));
        assertEquals("linux.seccomp.syscalls[1].args[0].value: is required", error(RULES.replace("\"value\": 448,", "")));
        assertEquals("linux.seccomp.syscalls[1].errnoRet: must be between 0 and 4095",
                error(RULES.replace("\"errnoRet\": 13", "\"errnoRet\": 5000")));
        assertEquals("linux.seccomp.defaultErrnoRet: only SCMP_ACT_ERRNO and SCMP_ACT_TRACE return an errno",
                error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"defaultErrnoRet\": 1}"));
        assertEquals("linux.seccomp.syscalls[1].args: expected an array",
                error(RULES.replace("\"args\": [{\"index\": 1, \"value\": 448, \"op\": \"SCMP_CMP_MASKED_EQ\", \"valueTwo\": 0}]",
                        "\"args\": {\"index\": 1}")));
        assertEquals("linux.seccomp.syscalls[1].names[0]: expected a string", error(RULES.replace("\"mkdir\",", "7,")));
        assertEquals("linux.seccomp.syscalls[0].names: must name at least one system call",
                error(RULES.replace("[\"read\"]", "[]")));
    }

    @Test
    void seccompAgentsAreRefusedClearly() {
        assertEquals("linux.seccomp.syscalls[0].action: SCMP_ACT_NOTIFY needs a seccomp agent (listenerPath), "
                + "which capsa does not support yet", error(RULES.replace("\"action\": \"SCMP_ACT_ALLOW\"", "\"action\": \"SCMP_ACT_NOTIFY\"")));
        assertEquals("linux.seccomp.listenerPath: seccomp agents are not supported yet",
                error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"listenerPath\": \"/run/agent.sock\"}"));
        assertEquals("linux.seccomp.flags[0]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV is for seccomp agents "
                        + "(SCMP_ACT_NOTIFY), which capsa does not support yet",
                error("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"flags\": [\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}"));
    }

    /** As in runc: a profile written for a newer kernel, or another architecture, still loads. */
    @Test
    void anUnknownSyscallIsSkippedAndNoted() {
        Profile p = config(RULES.replace("\"mkdirat\"", "\"mkdri\"").replace("[\"read\"]", "[\"read\", \"arm_fadvise64_64\"]"))
                .linux().seccomp();
        assertEquals(List.of("linux.seccomp: skipped syscall \"arm_fadvise64_64\": no such call on [X86_64]",
                "linux.seccomp: skipped syscall \"mkdri\": unknown"), p.skippedSyscalls());
    }
}
