package io.capsa.seccomp;

import io.capsa.spec.Node;

/** The flags of seccomp(SECCOMP_SET_MODE_FILTER) that a profile may ask for. */
public enum FilterFlag {
    TSYNC(1), LOG(2), SPEC_ALLOW(4);

    final int bit;

    FilterFlag(int bit) {
        this.bit = bit;
    }

    public String specName() {
        return "SECCOMP_FILTER_FLAG_" + name();
    }

    static FilterFlag of(Node node) {
        String name = node.requiredString();
        for (FilterFlag f : values()) if (f.specName().equals(name)) return f;
        if (name.equals("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"))
            throw node.error(name + " is for seccomp agents (SCMP_ACT_NOTIFY), which capsa does not support yet");
        throw node.error("unknown flag \"" + name + "\"");
    }
}
