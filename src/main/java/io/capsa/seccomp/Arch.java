package io.capsa.seccomp;

import io.capsa.spec.Node;
import io.capsa.spec.SpecException;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The architectures a filter can name. x32 shares x86-64's audit number: its system calls are told
 * apart by the __X32_SYSCALL_BIT in the number. On the 32-bit ABIs only the low half of an argument
 * is compared, as libseccomp does.
 */
public enum Arch {
    X86_64("SCMP_ARCH_X86_64", "x86_64", 0xC000003E, true),
    X86("SCMP_ARCH_X86", "x86", 0x40000003, false),
    X32("SCMP_ARCH_X32", "x32", 0xC000003E, false),
    AARCH64("SCMP_ARCH_AARCH64", "aarch64", 0xC00000B7, true),
    ARM("SCMP_ARCH_ARM", "arm", 0x40000028, false); // EABI, which Docker and Podman add on arm64 hosts

    private final String specName;
    final String tableColumn;
    final int auditArch;
    final boolean wideArgs;

    Arch(String specName, String tableColumn, int auditArch, boolean wideArgs) {
        this.specName = specName;
        this.tableColumn = tableColumn;
        this.auditArch = auditArch;
        this.wideArgs = wideArgs;
    }

    public String specName() {
        return specName;
    }

    static Arch of(Node node) {
        String name = node.requiredString();
        for (Arch a : values()) if (a.specName.equals(name)) return a;
        throw node.error("unknown architecture \"" + name + "\" (capsa knows "
                + Arrays.stream(values()).map(Arch::specName).collect(Collectors.joining(", ")) + ")");
    }

    /** The machine's own architecture: a filter always covers it, as libseccomp's does. */
    static Arch host() {
        String arch = System.getProperty("os.arch");
        return switch (arch) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64" -> AARCH64;
            default -> throw new SpecException("linux.seccomp: capsa has no system call table for " + arch);
        };
    }
}
