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
        long soft = n.get("soft").integer(-1), hard = n.get("hard").integer(-1);
        if (soft < 0 && soft != -1 || hard < 0 && hard != -1) throw n.error("limits must not be negative");
        if (Long.compareUnsigned(soft, hard) > 0) throw n.get("soft").error("must not exceed hard (" + hard + ")");
        return new Rlimit(type, resource, soft, hard);
    }
}
