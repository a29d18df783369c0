package io.capsa.spec;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** process.capabilities as five bit masks, one bit per capability number. */
public record Capabilities(long bounding, long effective, long permitted, long inheritable, long ambient) {

    /** Capability names in number order (linux/capability.h). */
    public static final List<String> NAMES = List.of("CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH",
            "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
            "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW",
            "CAP_IPC_LOCK", "CAP_IPC_OWNER", "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE",
            "CAP_SYS_PACCT", "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP",
            "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND",
            "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    static Capabilities parse(Node caps) {
        Capabilities c = new Capabilities(mask(caps.get("bounding")), mask(caps.get("effective")),
                mask(caps.get("permitted")), mask(caps.get("inheritable")), mask(caps.get("ambient")));
        long notRaisable = c.ambient & ~(c.permitted & c.inheritable);
        if (notRaisable != 0)
            throw caps.get("ambient").error(names(notRaisable) + " must also be permitted and inheritable to be ambient");
        return c;
    }

    private static final Map<String, Integer> NUMBERS = numbers();

    private static Map<String, Integer> numbers() {
        Map<String, Integer> numbers = new HashMap<>();
        for (int i = 0; i < NAMES.size(); i++) numbers.put(NAMES.get(i), i);
        return numbers;
    }

    /** The mask of one capability name, accepted with or without the CAP_ prefix, in any case. */
    public static long bit(String name) {
        Integer n = NUMBERS.get(name); // as config.json spells them; a list search costs ~1 ms uncompiled
        if (n == null) {
            String upper = name.toUpperCase(Locale.ROOT);
            n = NUMBERS.get(upper.startsWith("CAP_") ? upper : "CAP_" + upper);
        }
        return n == null ? 0 : 1L << n;
    }

    private static long mask(Node list) {
        long mask = 0;
        for (Node n : list.list()) {
            long bit = bit(n.requiredString());
            if (bit == 0) throw n.error("unknown capability \"" + n.string("") + "\"");
            mask |= bit;
        }
        return mask;
    }

    static String names(long mask) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < NAMES.size(); i++) if ((mask >> i & 1) != 0) s.append(s.isEmpty() ? "" : ", ").append(NAMES.get(i));
        return s.toString();
    }

    public Capabilities plus(long extra) {
        return new Capabilities(bounding | extra, effective | extra, permitted | extra, inheritable, ambient);
    }
}
