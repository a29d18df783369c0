package io.capsa.seccomp;

import io.capsa.engine.config.SeccompProfiles;
import io.capsa.spec.Json;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's and Podman's default profiles, as the engines hand them to a runtime, through the compiled filter. */
class DefaultProfilesTest {
    private static final int AUDIT_X86_64 = 0xC000003E, AUDIT_I386 = 0x40000003, AUDIT_AARCH64 = 0xC00000B7,
            AUDIT_ARM = 0x40000028;
    private static final int ALLOW = 0x7fff0000, KILL_THREAD = 0, EPERM = 0x00050001, EINVAL = 0x00050016,
            ENOSYS = 0x00050026;
    private static final int X32 = 0x40000000;
    // From the kernel's syscall tables, not from capsa's.
    private static final int X86_64_READ = 0, X86_64_MOUNT = 165, X86_64_UNSHARE = 272, X86_64_SETNS = 308, X86_64_CLONE = 56,
            X86_64_CLONE3 = 435, X86_64_SOCKET = 41, X86_64_PERSONALITY = 135, X86_64_KEYCTL = 250, X86_64_SWAPON = 167,
            X86_64_ARCH_PRCTL = 158;
    private static final int I386_READ = 3, I386_MOUNT = 21, I386_SOCKETCALL = 102, I386_SOCKET = 359, I386_SWAPON = 87;
    private static final int AARCH64_READ = 63, AARCH64_MOUNT = 40, AARCH64_SWAPON = 224;
    private static final int ARM_READ = 3, ARM_MOUNT = 21, ARM_RECV = 291, ARM_SEND = 289, ARM_BREAKPOINT = 0xf0001,
            ARM_SET_TLS = 0xf0005;
    private static final long CLONE_NEWNS = 0x20000, SIGCHLD = 17, AF_INET = 2, AF_NETLINK = 16, AF_VSOCK = 40,
            NETLINK_AUDIT = 9;

    private static Profile profile(Map<String, Object> seccomp) {
        return Profile.parse(Json.parse(Json.write(seccomp), "linux.seccomp"));
    }

    private static byte[] filter(Map<String, Object> seccomp, Arch host) {
        return FilterCompiler.compile(profile(seccomp), host);
    }

    @Test
    void dockersProfileOnAnAmd64Host() {
        byte[] f = filter(EngineProfiles.docker("amd64"), Arch.X86_64);
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_READ));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_ARCH_PRCTL));
        for (int nr : new int[] {X86_64_MOUNT, X86_64_UNSHARE, X86_64_SETNS, X86_64_KEYCTL, X86_64_SWAPON, 1000})
            assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_X86_64, nr), "nr " + nr);
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_CLONE, SIGCHLD));
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_CLONE, CLONE_NEWNS | SIGCHLD));
        assertEquals(ENOSYS, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_CLONE3), "so that libc falls back to clone");
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_SOCKET, AF_INET));
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_SOCKET, AF_VSOCK));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_PERSONALITY, 0));
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_PERSONALITY, 1));

        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_I386, I386_READ));
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_I386, I386_MOUNT));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_I386, I386_SOCKET, AF_INET));
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_I386, I386_SOCKET, AF_VSOCK));
        for (int call = 1; call <= 20; call++) assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_I386, I386_SOCKETCALL, call));

        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X32 | X86_64_READ));
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_X86_64, X32 | X86_64_MOUNT));
        assertEquals(KILL_THREAD, BpfInterpreter.run(f, AUDIT_AARCH64, AARCH64_READ), "not an architecture of the filter");
    }

    @Test
    void dockersProfileOnAnArm64HostCoversArm() {
        byte[] f = filter(EngineProfiles.docker("arm64"), Arch.AARCH64);
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_AARCH64, AARCH64_READ));
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_AARCH64, AARCH64_MOUNT));
        allowsArmsOwnCalls(f);
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_ARM, ARM_MOUNT));
        assertEquals(KILL_THREAD, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_READ));
    }

    @Test
    void podmansProfileOnAnAmd64Host() {
        byte[] f = filter(EngineProfiles.podman("amd64"), Arch.X86_64);
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_READ));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_MOUNT), "Podman leaves mount to the capabilities");
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_SWAPON));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_SETNS), "allowed outright before denied without CAP_SYS_ADMIN");
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_SOCKET, AF_INET));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_SOCKET, AF_NETLINK, 3, 0));
        assertEquals(EINVAL, BpfInterpreter.run(f, AUDIT_X86_64, X86_64_SOCKET, AF_NETLINK, 3, NETLINK_AUDIT));

        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_I386, I386_READ));
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_I386, I386_SWAPON));
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_I386, I386_SOCKETCALL, 10), "recv");
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_X86_64, X32 | X86_64_SWAPON));
    }

    @Test
    void podmansProfileOnAnArm64Host() {
        byte[] f = filter(EngineProfiles.podman("arm64"), Arch.AARCH64);
        assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_AARCH64, AARCH64_READ));
        assertEquals(EPERM, BpfInterpreter.run(f, AUDIT_AARCH64, AARCH64_SWAPON));
        allowsArmsOwnCalls(f);
    }

    /** recv and send, which arm64 lacks, and arm's private calls (__ARM_NR_*), which both profiles allow. */
    private static void allowsArmsOwnCalls(byte[] f) {
        for (int nr : new int[] {ARM_READ, ARM_RECV, ARM_SEND, ARM_BREAKPOINT, ARM_SET_TLS})
            assertEquals(ALLOW, BpfInterpreter.run(f, AUDIT_ARM, nr), "nr " + nr);
    }

    /** Every name either profile uses, for any architecture, is one capsa knows. */
    @Test
    void capsaKnowsEveryNameBothProfilesUse() throws IOException {
        for (String json : List.of(SeccompProfiles.dockerDefault(), Files.readString(EngineProfiles.PODMAN_PROFILE))) {
            for (var rule : Json.parse(json, "profile").get("syscalls").list())
                for (String name : rule.get("names").strings()) assertTrue(SyscallTable.id(name) != -1, name);
        }
    }

    /** recv, for one, is not: i386 has it as socketcall(SYS_RECV, ...). */
    @Test
    void onlyCallsOfOtherArchitecturesAreSkipped() {
        assertEquals(List.of("linux.seccomp: skipped syscall \"riscv_hwprobe\": no such call on [X86_64, X86, X32]"),
                profile(EngineProfiles.docker("amd64")).skippedSyscalls());
    }
}
