package io.capsa.seccomp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Runs a seccomp BPF program on one system call as the kernel would, for the instructions a filter uses. */
final class BpfInterpreter {
    private BpfInterpreter() {}

    /** The SECCOMP_RET_* value the program returns for this call; args are the six arguments, zero when left out. */
    static int run(byte[] program, int arch, int nr, long... args) {
        ByteBuffer code = ByteBuffer.wrap(program).order(ByteOrder.nativeOrder());
        ByteBuffer data = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN).putInt(0, nr).putInt(4, arch);
        for (int i = 0; i < args.length; i++) data.putLong(16 + 8 * i, args[i]);
        int a = 0;
        for (int pc = 0; ; ) {
            if (pc < 0 || pc * 8 >= program.length) throw new AssertionError("ran off the program at " + pc);
            int op = code.getShort(pc * 8) & 0xffff, jt = code.get(pc * 8 + 2) & 0xff, jf = code.get(pc * 8 + 3) & 0xff;
            int k = code.getInt(pc * 8 + 4);
            pc++;
            switch (op) {
                case 0x20 -> a = data.getInt(k); // ld [k]
                case 0x54 -> a &= k; // and #k
                case 0x05 -> pc += k; // ja
                case 0x15 -> pc += a == k ? jt : jf;
                case 0x25 -> pc += Integer.compareUnsigned(a, k) > 0 ? jt : jf;
                case 0x35 -> pc += Integer.compareUnsigned(a, k) >= 0 ? jt : jf;
                case 0x06 -> { return k; }
                default -> throw new AssertionError("unexpected instruction 0x" + Integer.toHexString(op) + " at " + (pc - 1));
            }
        }
    }
}
