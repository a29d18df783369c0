package io.capsa.seccomp;

import io.capsa.spec.Node;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/** linux.seccomp of a config.json: validated when the config is read, compiled when a process is planned. */
public record Profile(Action defaultAction, List<Arch> architectures, Set<FilterFlag> flags, List<Rule> rules) {

    /** The profile, or null when the config has none. */
    public static Profile parse(Node seccomp) {
        if (seccomp.missing()) return null;
        Node listener = seccomp.get("listenerPath");
        if (!listener.string("").isEmpty()) throw listener.error("seccomp agents are not supported yet");
        Action defaultAction = Action.parse(seccomp.get("defaultAction"), seccomp.get("defaultErrnoRet"));
        List<Arch> architectures = seccomp.get("architectures").list().stream().map(Arch::of).toList();
        Set<FilterFlag> flags = seccomp.get("flags").list().stream().map(FilterFlag::of).collect(Collectors.toUnmodifiableSet());
        List<Rule> rules = seccomp.get("syscalls").list().stream().map(Rule::parse).toList();
        return new Profile(defaultAction, architectures, flags, rules);
    }

    /** The flags argument of seccomp(2). */
    public int flagBits() {
        return flags.stream().mapToInt(f -> f.bit).reduce(0, (a, b) -> a | b);
    }

    /** The filter for this machine as hex: struct sock_filter[] in host byte order, for the helper. */
    public String filterHex() {
        return HexFormat.of().formatHex(FilterCompiler.compile(this, Arch.host()));
    }

    /** The host's architecture first, then those the profile adds, each once. */
    List<Arch> archesFor(Arch host) {
        List<Arch> arches = new ArrayList<>(List.of(host));
        for (Arch a : architectures) if (!arches.contains(a)) arches.add(a);
        return arches;
    }
}
