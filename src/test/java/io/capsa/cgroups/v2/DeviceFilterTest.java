package io.capsa.cgroups.v2;

import io.capsa.spec.Json;
import io.capsa.spec.Resources;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.capsa.cgroups.v2.DeviceFilter.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The generated program, run by a tiny interpreter of the instructions it uses. */
class DeviceFilterTest {
    private static final int BLOCK = 1, CHAR = 2, MKNOD = 1, READ = 2, WRITE = 4;

    private static long run(List<Insn> program, int type, int access, int major, int minor) {
        long[] r = new long[11];
        int[] ctx = {type | access << 16, major, minor};
        for (int pc = 0; ; pc++) {
            Insn i = program.get(pc);
            switch (i.code()) {
                case LDXW -> r[i.dst()] = ctx[i.off() / 4] & 0xffffffffL;
                case MOV32_X -> r[i.dst()] = r[i.src()] & 0xffffffffL;
                case MOV64_K -> r[i.dst()] = i.imm();
                case AND32_K -> r[i.dst()] = (r[i.dst()] & i.imm()) & 0xffffffffL;
                case RSH32_K -> r[i.dst()] = (r[i.dst()] & 0xffffffffL) >>> i.imm();
                case JNE_K -> { if (r[i.dst()] != (i.imm() & 0xffffffffL)) pc += i.off(); }
                case EXIT -> { return r[0]; }
                default -> throw new AssertionError("opcode " + i.code());
            }
        }
    }

    private static List<Insn> compile(String rules) {
        return DeviceFilter.program(Resources.parse(Json.parse("{\"devices\":" + rules + "}", "r")).devices());
    }

    @Test
    void denyAllThenTheStandardDevices() {
        List<Insn> p = compile("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":3,\"access\":\"rwm\"},"
                + "{\"allow\":true,\"type\":\"c\",\"major\":136,\"access\":\"rw\"}]");
        assertEquals(1, run(p, CHAR, READ | WRITE, 1, 3), "/dev/null");
        assertEquals(0, run(p, CHAR, READ, 1, 5), "/dev/zero is not listed");
        assertEquals(0, run(p, BLOCK, MKNOD, 8, 0), "a disk");
        assertEquals(1, run(p, CHAR, WRITE, 136, 7), "any pts");
        assertEquals(0, run(p, CHAR, MKNOD, 136, 7), "pts without m");
    }

    @Test
    void theLastMatchingRuleDecidesAndNoMatchDenies() {
        List<Insn> p = compile("[{\"allow\":true,\"type\":\"b\",\"access\":\"rwm\"},{\"allow\":false,\"type\":\"b\",\"major\":8,\"minor\":0,\"access\":\"w\"}]");
        assertEquals(1, run(p, BLOCK, READ, 8, 0));
        assertEquals(0, run(p, BLOCK, WRITE, 8, 0));
        assertEquals(1, run(p, BLOCK, WRITE, 8, 1));
        assertEquals(0, run(p, CHAR, READ, 1, 3), "no rule for char devices");
        assertEquals(0, run(compile("[]"), CHAR, READ, 1, 3));
    }
}
