package io.capsa.seccomp;

import io.capsa.spec.Node;

import java.util.List;
import java.util.Map;

/** What the filter answers for a system call: a SECCOMP_RET_* value, with its errno or tracer datum. */
public record Action(String name, int ret) {
    private static final String ERRNO = "SCMP_ACT_ERRNO", TRACE = "SCMP_ACT_TRACE";
    private static final int EPERM = 1;
    private static final Map<String, Integer> RETS = Map.of(
            "SCMP_ACT_KILL", 0x00000000, // libseccomp's name for KILL_THREAD
            "SCMP_ACT_KILL_THREAD", 0x00000000,
            "SCMP_ACT_KILL_PROCESS", 0x80000000,
            "SCMP_ACT_TRAP", 0x00030000,
            ERRNO, 0x00050000,
            TRACE, 0x7ff00000,
            "SCMP_ACT_LOG", 0x7ffc0000,
            "SCMP_ACT_ALLOW", 0x7fff0000);

    /** The actions capsa carries out, as the features document lists them. */
    public static List<String> names() {
        return RETS.keySet().stream().sorted().toList();
    }

    /** An action and the errno that goes with it (EPERM when not given, as in runc). */
    static Action parse(Node action, Node errnoRet) {
        String name = action.requiredString();
        if (name.equals("SCMP_ACT_NOTIFY"))
            throw action.error("SCMP_ACT_NOTIFY needs a seccomp agent (listenerPath), which capsa does not support yet");
        Integer ret = RETS.get(name);
        if (ret == null) throw action.error("unknown action \"" + name + "\"");
        if (!name.equals(ERRNO) && !name.equals(TRACE)) {
            if (!errnoRet.missing()) throw errnoRet.error("only SCMP_ACT_ERRNO and SCMP_ACT_TRACE return an errno");
            return new Action(name, ret);
        }
        long max = name.equals(ERRNO) ? 4095 : 0xffff; // MAX_ERRNO; a tracer's datum has 16 bits
        long errno = errnoRet.integer(EPERM);
        if (errno < 0 || errno > max) throw errnoRet.error("must be between 0 and " + max);
        return new Action(name, ret | (int) errno);
    }
}
