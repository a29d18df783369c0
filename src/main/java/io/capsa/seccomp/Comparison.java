package io.capsa.seccomp;

import io.capsa.spec.Node;

/** The argument comparisons of libseccomp, all unsigned; MASKED_EQ is (arg & value) == valueTwo. */
public enum Comparison {
    NE, LT, LE, EQ, GE, GT, MASKED_EQ;

    public String specName() {
        return "SCMP_CMP_" + name();
    }

    static Comparison of(Node node) {
        String name = node.requiredString();
        for (Comparison c : values()) if (c.specName().equals(name)) return c;
        throw node.error("unknown op \"" + name + "\"");
    }
}
