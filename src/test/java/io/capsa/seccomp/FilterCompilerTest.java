package io.capsa.seccomp;

import io.capsa.spec.Json;
import io.capsa.spec.SpecException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.LongPredicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the compiled filters in an interpreter: which action does a given call get? */
class FilterCompilerTest {
    private static final int AUDIT_X86_64 = 0xC000003E, AUDIT_I386 = 0x40000003, AUDIT_AARCH64 = 0xC00000B7;
    private static final int ALLOW = 0x7fff0000, KILL_THREAD = 0, KILL_PROCESS = 0x80000000;
    private static final int X86_64_GETPID = 39, X86_64_MKDIR = 83, X86_64_MKDIRAT = 258, I386_MKDIR = 39, AARCH64_MKDIRAT = 34;
    private static final int X32 = 0x40000000;

    private static int errno(int e) {
        return 0x00050000 | e;
    }

    private static byte[] filter(String json, Arch host) {
        return FilterCompiler.compile(Profile.parse(Json.parse(json, "seccomp")), host);
    }

    private static byte[] filter(String json) {
        return filter(json, Arch.X86_64);
    }

    private static final String MKDIR_DENIED = """
            {"defaultAction": "SCMP_ACT_ALLOW", %s "syscalls": [
              {"names": ["mkdir", "mkdirat"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1}]}""";

    @Test
    void listedCallsGetTheirActionOthersTheDefault() {
        byte[] f = filter("""
                {"defaultAction": "SCMP_ACT_ERRNO", "defaultErrnoRet": 13, "syscalls": [
                  {"names": ["read", "write"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO"},
                  {"names": ["getpid"], "action": "SCMP_ACT_KILL_PROCESS"}]}""");
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, 0));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, 1));
        assertEquals(errno(1), BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MKDIR), "errnoRet defaults to EPERM");
        assertEquals(KILL_PROCESS, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_GETPID));
        for (int nr : new int[] {2, 38, 40, X86_64_MKDIRAT, 100_000, X32 - 1})
            assertEquals(errno(13), BpfInterpreter.run(f, AUDIT_X86_64, nr), "nr " + nr);
    }

    @Test
    void callsOfOtherArchitecturesKillUnlessListed() {
        byte[] nativeOnly = filter(MKDIR_DENIED.formatted(""));
        assertEquals(KILL_THREAD, BpfInterpreter.run(nativeOnly, AUDIT_I386, I386_MKDIR));
        assertEquals(KILL_THREAD, BpfInterpreter.run(nativeOnly, AUDIT_AARCH64, AARCH64_MKDIRAT));
        byte[] withX86 = filter(MKDIR_DENIED.formatted("\"architectures\": [\"SCMP_ARCH_X86\"],"));
        assertEquals(errno(1), BpfInterpreter.run(withX86, AUDIT_I386, I386_MKDIR), "i386 numbers for i386 calls");
        assertEquals(ALLOW, BpfInterpreter.run(withX86, AUDIT_X86_64, X86_64_GETPID), "same number, another call");
        assertEquals(errno(1), BpfInterpreter.run(withX86, AUDIT_X86_64, X86_64_MKDIR));
        byte[] onArm = filter(MKDIR_DENIED.formatted(""), Arch.AARCH64);
        assertEquals(errno(1), BpfInterpreter.run(onArm, AUDIT_AARCH64, AARCH64_MKDIRAT));
        assertEquals(KILL_THREAD, BpfInterpreter.run(onArm, AUDIT_X86_64, X86_64_MKDIRAT));
    }

    @Test
    void x32CallsAreToldApartByTheirBit() {
        byte[] without = filter(MKDIR_DENIED.formatted(""));
        assertEquals(KILL_THREAD, BpfInterpreter.run(without, AUDIT_X86_64, X32 | X86_64_MKDIR));
        assertEquals(KILL_THREAD, BpfInterpreter.run(without, AUDIT_X86_64, X32 | 1));
        assertEquals(ALLOW, BpfInterpreter.run(without, AUDIT_X86_64, -1), "a call a tracer skipped gets the default");
        byte[] with = filter(MKDIR_DENIED.formatted("\"architectures\": [\"SCMP_ARCH_X32\"],"));
        assertEquals(errno(1), BpfInterpreter.run(with, AUDIT_X86_64, X32 | X86_64_MKDIR));
        assertEquals(ALLOW, BpfInterpreter.run(with, AUDIT_X86_64, X32 | 1));
        assertEquals(errno(1), BpfInterpreter.run(with, AUDIT_X86_64, X86_64_MKDIR));
    }

    /**
     * i386 reaches the socket calls through socketcall(call, args) too, and recv and send only so; the IPC
     * calls through ipc(call, ...). x86-64 has no recv at all. Numbers from the kernel's tables and linux/net.h.
     */
    @Test
    void i386SocketAndIpcCallsAreMatchedThroughTheirMultiplexerToo() {
        int socketcall = 102, ipc = 117, sysSocket = 1, sysRecv = 10, sysSend = 9, shmget = 23, i386Socket = 359,
                i386Shmget = 395, x86_64Recvfrom = 45;
        byte[] f = filter("""
                {"defaultAction": "SCMP_ACT_ERRNO", "architectures": ["SCMP_ARCH_X86"], "syscalls": [
                  {"names": ["recv", "socket", "shmget"], "action": "SCMP_ACT_ALLOW"},
                  {"names": ["send"], "action": "SCMP_ACT_ALLOW", "args": [{"index": 0, "op": "SCMP_CMP_EQ", "value": 3}]}]}""");
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_I386, socketcall, sysRecv));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_I386, socketcall, sysSocket));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_I386, i386Socket));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_I386, ipc, shmget));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_I386, i386Shmget));
        assertEquals(errno(1), BpfInterpreter.run(f, AUDIT_I386, socketcall, sysSend, 3),
                "send's argument is behind socketcall's pointer: the condition cannot hold there");
        assertEquals(errno(1), BpfInterpreter.run(f, AUDIT_I386, socketcall, 12));
        assertEquals(errno(1), BpfInterpreter.run(f, AUDIT_I386, ipc, 24));
        assertEquals(errno(1), BpfInterpreter.run(f, AUDIT_X86_64, x86_64Recvfrom), "no recv on x86-64");
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, 41), "socket");
    }

    private static final long[] EDGES = {0, 1, 2, 0x7fffffffL, 0x80000000L, 0xfffffffeL, 0xffffffffL, 0x1_00000000L,
            0x1_00000001L, 0x1_ffffffffL, 0x2_00000000L, Long.MAX_VALUE, Long.MIN_VALUE, -2, -1};

    /** Every operator against every pair of edge values, on argument 3 of a 64-bit call. */
    @Test
    void comparisonsAreUnsignedOn64Bits() {
        for (Comparison op : Comparison.values()) {
            for (long value : EDGES) {
                long valueTwo = value & 0xff00000000ffL;
                byte[] f = filter("""
                        {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [{"names": ["mkdir"], "action": "SCMP_ACT_ERRNO",
                          "args": [{"index": 3, "op": "%s", "value": %s, "valueTwo": %s}]}]}"""
                        .formatted(op.specName(), Long.toUnsignedString(value), Long.toUnsignedString(valueTwo)));
                LongPredicate holds = switch (op) {
                    case EQ -> a -> a == value;
                    case NE -> a -> a != value;
                    case LT -> a -> Long.compareUnsigned(a, value) < 0;
                    case LE -> a -> Long.compareUnsigned(a, value) <= 0;
                    case GT -> a -> Long.compareUnsigned(a, value) > 0;
                    case GE -> a -> Long.compareUnsigned(a, value) >= 0;
                    case MASKED_EQ -> a -> (a & value) == valueTwo;
                };
                for (long arg : EDGES) {
                    int expected = holds.test(arg) ? errno(1) : ALLOW;
                    assertEquals(expected, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MKDIR, 7, 7, 7, arg),
                            op + " " + Long.toHexString(arg) + " vs " + Long.toHexString(value));
                }
            }
        }
    }

    @Test
    void thirtyTwoBitAbisCompareTheLowHalfOnly() {
        byte[] f = filter("""
                {"defaultAction": "SCMP_ACT_ALLOW", "architectures": ["SCMP_ARCH_X86"], "syscalls": [
                  {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "args": [{"index": 0, "op": "SCMP_CMP_EQ", "value": 4294967301}]}]}""");
        assertEquals(errno(1), BpfInterpreter.run(f, AUDIT_I386, I386_MKDIR, 5));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MKDIR, 5));
        assertEquals(errno(1), BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MKDIR, 0x1_00000005L));
    }

    @Test
    void allConditionsOfARuleMustHoldAndTheFirstMatchingRuleDecides() {
        byte[] f = filter("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 2,
                   "args": [{"index": 0, "op": "SCMP_CMP_EQ", "value": 1}, {"index": 1, "op": "SCMP_CMP_GE", "value": 10}]},
                  {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3, "args": [{"index": 1, "op": "SCMP_CMP_GE", "value": 5}]}]}""");
        assertEquals(errno(2), BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MKDIR, 1, 10));
        assertEquals(errno(3), BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MKDIR, 2, 10));
        assertEquals(errno(3), BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MKDIR, 1, 5));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MKDIR, 1, 4));
    }

    @Test
    void anUnconditionalRuleDecidesAloneAsInLibseccomp() {
        byte[] f = filter("""
                {"defaultAction": "SCMP_ACT_ALLOW", "syscalls": [
                  {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 2, "args": [{"index": 0, "op": "SCMP_CMP_EQ", "value": 1}]},
                  {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 3},
                  {"names": ["mkdir"], "action": "SCMP_ACT_ERRNO", "errnoRet": 4}]}""");
        assertEquals(errno(3), BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MKDIR, 1));
        assertEquals(errno(3), BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MKDIR, 0));
    }

    /** A filter this long has jumps beyond the 255 instructions a conditional jump reaches. */
    @Test
    void everyCallOfALargeProfileGetsItsOwnAction() {
        List<String> names = SyscallTable.names();
        StringBuilder rules = new StringBuilder();
        for (int i = 0; i < names.size(); i++) {
            String args = i % 3 == 0 ? ", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_EQ\", \"value\": " + i + "}]" : "";
            rules.append(i == 0 ? "" : ",").append("{\"names\": [\"").append(names.get(i))
                    .append("\"], \"action\": \"SCMP_ACT_ERRNO\", \"errnoRet\": ").append(i + 1).append(args).append('}');
        }
        byte[] f = filter("{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"syscalls\": [" + rules + "]}");
        assertTrue(f.length / 8 > 1000, "long enough to need far jumps: " + f.length / 8);
        for (int i = 0; i < names.size(); i++) {
            int nr = SyscallTable.number(names.get(i), Arch.X86_64);
            if (nr == -1) continue; // not an x86-64 call
            assertEquals(errno(i + 1), BpfInterpreter.run(f, AUDIT_X86_64, nr, i), names.get(i));
            if (i % 3 == 0) assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, nr, i + 1), names.get(i));
        }
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, 1000));
    }

    /** The compiler sorts the numbers in signed order, which is the kernel's unsigned one only below 2^31. */
    @Test
    void everySystemCallNumberIsBelowTwoToThe31() {
        for (String name : SyscallTable.names())
            for (Arch a : Arch.values()) assertTrue(SyscallTable.number(name, a) >= -1, name + " on " + a);
    }

    @Test
    void aFilterBeyondTheKernelsLimitIsRefused() {
        StringBuilder rules = new StringBuilder();
        for (String name : SyscallTable.names())
            rules.append(rules.isEmpty() ? "" : ",").append("{\"names\": [\"").append(name).append("\"], \"action\": "
                    + "\"SCMP_ACT_ERRNO\", \"args\": [{\"index\": 0, \"op\": \"SCMP_CMP_LT\", \"value\": 1}]}");
        String json = "{\"defaultAction\": \"SCMP_ACT_ALLOW\", \"architectures\": [\"SCMP_ARCH_X86\", \"SCMP_ARCH_X32\"], "
                + "\"syscalls\": [" + rules + "]}";
        String message = assertThrows(SpecException.class, () -> filter(json)).getMessage();
        assertTrue(message.matches("linux.seccomp: the filter takes \\d+ BPF instructions, more than the kernel's 4096"), message);
    }
}
