package io.capsa.cgroups.v2;

import io.capsa.spec.Resources;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Device rules as a BPF_PROG_TYPE_CGROUP_DEVICE program, the v2 replacement for devices.allow/deny.
 * The rules are tried last first, so the last matching rule decides, as in v1; no match denies.
 * The context is struct bpf_cgroup_dev_ctx { u32 access_type (type | access << 16); u32 major, minor; }.
 */
public final class DeviceFilter {
    private DeviceFilter() {}

    static final int R0 = 0, R1 = 1, R2 = 2, R3 = 3, R4 = 4, R5 = 5;
    static final int LDXW = 0x61, MOV32_X = 0xbc, MOV64_K = 0xb7, AND32_K = 0x54, RSH32_K = 0x74,
            JNE_K = 0x55, EXIT = 0x95;
    private static final int DEV_BLOCK = 1, DEV_CHAR = 2, ACC_MKNOD = 1, ACC_READ = 2, ACC_WRITE = 4;

    /** One instruction: struct bpf_insn. */
    record Insn(int code, int dst, int src, int off, int imm) {}

    public static byte[] compile(List<Resources.DeviceRule> rules) {
        return encode(program(rules));
    }

    static List<Insn> program(List<Resources.DeviceRule> rules) {
        List<Insn> p = new ArrayList<>(List.of(
                new Insn(LDXW, R2, R1, 0, 0),          // r2 = access_type
                new Insn(MOV32_X, R3, R2, 0, 0),
                new Insn(AND32_K, R2, 0, 0, 0xffff),    // r2 = device type
                new Insn(RSH32_K, R3, 0, 0, 16),        // r3 = access asked for
                new Insn(LDXW, R4, R1, 4, 0),           // r4 = major
                new Insn(LDXW, R5, R1, 8, 0)));         // r5 = minor
        for (int i = rules.size() - 1; i >= 0; i--) {
            List<Insn> block = block(rules.get(i));
            p.addAll(block);
            if (block.size() == 2) return p; // a rule for every device: what follows is unreachable, which the verifier refuses
        }
        p.add(new Insn(MOV64_K, R0, 0, 0, 0));
        p.add(new Insn(EXIT, 0, 0, 0, 0));
        return p;
    }

    /** Checks that skip to the next rule on a mismatch, then the verdict. */
    private static List<Insn> block(Resources.DeviceRule r) {
        List<Insn[]> checks = new ArrayList<>();
        if (!r.type().equals("a")) checks.add(new Insn[] {new Insn(JNE_K, R2, 0, 0, r.type().equals("b") ? DEV_BLOCK : DEV_CHAR)});
        int access = (r.access().contains("m") ? ACC_MKNOD : 0) | (r.access().contains("r") ? ACC_READ : 0)
                | (r.access().contains("w") ? ACC_WRITE : 0);
        if (access != (ACC_MKNOD | ACC_READ | ACC_WRITE))
            checks.add(new Insn[] {new Insn(MOV32_X, R1, R3, 0, 0), new Insn(AND32_K, R1, 0, 0, ~access),
                    new Insn(JNE_K, R1, 0, 0, 0)});
        if (r.major() != null && r.major() >= 0) checks.add(new Insn[] {new Insn(JNE_K, R4, 0, 0, (int) (long) r.major())});
        if (r.minor() != null && r.minor() >= 0) checks.add(new Insn[] {new Insn(JNE_K, R5, 0, 0, (int) (long) r.minor())});
        int length = checks.stream().mapToInt(c -> c.length).sum() + 2;
        List<Insn> out = new ArrayList<>();
        for (Insn[] check : checks) {
            for (Insn in : check) {
                // a jump goes past the verdict's two instructions, to the next rule
                out.add(in.code() == JNE_K ? new Insn(JNE_K, in.dst(), 0, length - out.size() - 1, in.imm()) : in);
            }
        }
        out.add(new Insn(MOV64_K, R0, 0, 0, r.allow() ? 1 : 0));
        out.add(new Insn(EXIT, 0, 0, 0, 0));
        return out;
    }

    private static byte[] encode(List<Insn> program) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Insn i : program) {
            out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).put((byte) i.code())
                    .put((byte) (i.dst() | i.src() << 4)).putShort((short) i.off()).putInt(i.imm()).array());
        }
        return out.toByteArray();
    }
}
