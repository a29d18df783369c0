package io.capsa.seccomp;

import io.capsa.spec.Node;

import java.math.BigInteger;

/** A comparison of one system call argument; value and valueTwo are 64-bit unsigned, kept in a long. */
public record Condition(int index, Comparison op, long value, long valueTwo) {
    static Condition parse(Node arg) {
        long index = arg.get("index").integer(-1);
        if (index < 0 || index > 5) throw arg.get("index").error(index == -1 ? "is required" : "must be between 0 and 5");
        Comparison op = Comparison.of(arg.get("op"));
        Node value = arg.get("value");
        if (value.missing()) throw value.error("is required");
        return new Condition((int) index, op, uint64(value), arg.get("valueTwo").missing() ? 0 : uint64(arg.get("valueTwo")));
    }

    /** Json reads a number above Long.MAX_VALUE as a BigInteger; the low 64 bits are the value. */
    private static long uint64(Node n) {
        // instanceof rather than a pattern switch, whose first run bootstraps through method handles
        if (n.raw() instanceof Long l && l >= 0) return l;
        if (n.raw() instanceof BigInteger b && b.signum() >= 0 && b.bitLength() <= 64) return b.longValue();
        throw n.error("must be an integer between 0 and 18446744073709551615");
    }
}
