package io.capsa.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * A classic BPF program written back to front. Jumps only go forward, so whatever a jump leads to is
 * written before it, and is named by a label: the count of instructions written up to and including it.
 * A conditional jump has 8-bit offsets; a farther target is reached through an unconditional jump
 * written right after it.
 */
final class BpfBuilder {
    // linux/bpf_common.h: BPF_LD|BPF_W|BPF_ABS, BPF_ALU|BPF_AND|BPF_K, BPF_JMP|BPF_JA, BPF_JMP|BPF_J*|BPF_K, BPF_RET|BPF_K
    static final int JEQ = 0x15, JGT = 0x25, JGE = 0x35;
    private static final int LOAD = 0x20, AND = 0x54, JA = 0x05, RET = 0x06;
    private static final int MAX_SHORT_JUMP = 255;

    private record Insn(int code, int jt, int jf, int k) {}

    private final List<Insn> reversed = new ArrayList<>();

    int size() {
        return reversed.size();
    }

    int ret(int value) {
        return emit(RET, 0, 0, value);
    }

    /** Loads the 32-bit word at this offset of struct seccomp_data into A. */
    int load(int offset) {
        return emit(LOAD, 0, 0, offset);
    }

    int and(int mask) {
        return emit(AND, 0, 0, mask);
    }

    /** Compares A with k (JEQ, JGT or JGE, unsigned) and goes on at ifTrue or ifFalse. */
    int jump(int op, int k, int ifTrue, int ifFalse) {
        if (distance(ifFalse) > MAX_SHORT_JUMP) ifFalse = emit(JA, 0, 0, distance(ifFalse));
        if (distance(ifTrue) > MAX_SHORT_JUMP) ifTrue = emit(JA, 0, 0, distance(ifTrue));
        return emit(op, distance(ifTrue), distance(ifFalse), k);
    }

    /** struct sock_filter[] in host byte order: u16 code, u8 jt, u8 jf, u32 k. */
    byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(8 * reversed.size()).order(ByteOrder.nativeOrder());
        for (Insn i : reversed.reversed()) out.putShort((short) i.code).put((byte) i.jt).put((byte) i.jf).putInt(i.k);
        return out.array();
    }

    /** How many instructions the next one written must skip to reach target. */
    private int distance(int target) {
        return reversed.size() - target;
    }

    private int emit(int code, int jt, int jf, int k) {
        reversed.add(new Insn(code, jt, jf, k));
        return reversed.size();
    }
}
