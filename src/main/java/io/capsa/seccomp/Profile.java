package io.capsa.seccomp;

import io.capsa.spec.Node;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

/** linux.seccomp of a config.json: validated when the config is read, compiled when a process is planned. */
public record Profile(Action defaultAction, List<Arch> architectures, Set<FilterFlag> flags, List<Rule> rules) {

    /** The profile, or null when the config has none. */
    public static Profile parse(Node seccomp) {
        if (seccomp.missing()) return null;
        Node listener = seccomp.get("listenerPath");
        if (!listener.string("").isEmpty()) throw listener.error("seccomp agents are not supported yet");
        Action defaultAction = Action.parse(seccomp.get("defaultAction"), seccomp.get("defaultErrnoRet"));
        // Plain loops, no streams: a CLI call runs this in the interpreter.
        List<Arch> architectures = new ArrayList<>();
        for (Node a : seccomp.get("architectures").list()) architectures.add(Arch.of(a));
        Set<FilterFlag> flags = new HashSet<>();
        for (Node f : seccomp.get("flags").list()) flags.add(FilterFlag.of(f));
        List<Rule> rules = new ArrayList<>();
        for (Node r : seccomp.get("syscalls").list()) rules.add(Rule.parse(r));
        return new Profile(defaultAction, List.copyOf(architectures), Set.copyOf(flags), List.copyOf(rules));
    }

    /** The flags argument of seccomp(2). */
    public int flagBits() {
        int bits = 0;
        for (FilterFlag f : flags) bits |= f.bit;
        return bits;
    }

    /** The filter for this machine as hex: struct sock_filter[] in host byte order, for the helper. */
    public String filterHex() {
        return HexFormat.of().formatHex(FilterCompiler.compile(this, Arch.host()));
    }

    /** What the filter leaves out: each name that none of its architectures has, for --debug. */
    public List<String> skippedSyscalls() {
        List<Arch> arches = archesFor(Arch.host());
        List<String> skipped = new ArrayList<>();
        for (Rule r : rules) {
            for (int i = 0; i < r.ids().length; i++) {
                int id = r.ids()[i];
                if (id == -1) skipped.add("linux.seccomp: skipped syscall \"" + r.names().get(i) + "\": unknown");
                else if (!onAny(id, arches))
                    skipped.add("linux.seccomp: skipped syscall \"" + r.names().get(i) + "\": no such call on " + arches);
            }
        }
        return skipped;
    }

    private static boolean onAny(int id, List<Arch> arches) {
        for (Arch a : arches) if (SyscallTable.numbers(a)[id] != -1 || SyscallTable.multiplexed(id, a) != 0) return true;
        return false;
    }

    /** The host's architecture first, then those the profile adds, each once. */
    List<Arch> archesFor(Arch host) {
        List<Arch> arches = new ArrayList<>(List.of(host));
        for (Arch a : architectures) if (!arches.contains(a)) arches.add(a);
        return arches;
    }
}
