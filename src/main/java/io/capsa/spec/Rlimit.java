package io.capsa.spec;

import java.util.List;

/** One of process.rlimits: the resource's number for setrlimit(2), and its limits. */
public record Rlimit(String type, int resource, long soft, long hard) {

    /** RLIMIT_* names in number order (asm-generic/resource.h). */
    private static final List<String> TYPES = List.of("RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_DATA", "RLIMIT_STACK",
            "RLIMIT_CORE", "RLIMIT_RSS", "RLIMIT_NPROC", "RLIMIT_NOFILE", "RLIMIT_MEMLOCK", "RLIMIT_AS",
            "RLIMIT_LOCKS", "RLIMIT_SIGPENDING", "RLIMIT_MSGQUEUE", "RLIMIT_NICE", "RLIMIT_RTPRIO", "RLIMIT_RTTIME");

    static Rlimit parse(Node n) {
        String type = n.get("type").requiredString();
        int resource = TYPES.indexOf(type);
        if (resource < 0) throw n.get("type").error("unknown rlimit \"" + type + "\"");
        long soft = limit(n.get("soft")), hard = limit(n.get("hard"));
        if (Long.compareUnsigned(soft, hard) > 0) throw n.get("soft").error("must not exceed hard (" + hard + ")");
        return new Rlimit(type, resource, soft, hard);
    }

    /** An rlim_t, 0..2^64-1 in a long's bits; -1 is taken too, as the same bits: RLIM_INFINITY. */
    private static long limit(Node n) {
        return n.raw() instanceof Long l && l == -1 ? -1 : n.uint64(-1);
    }
}
