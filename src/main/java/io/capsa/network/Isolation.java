package io.capsa.network;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * iptables rules that keep networks apart, as docker's DOCKER-ISOLATION-STAGE-1/2: traffic that enters from one
 * capsa bridge and leaves through another is dropped (the firewall plugin alone lets a container reach any
 * address the host routes to), and nothing crosses an internal network's bridge at all. The chains and the
 * FORWARD jump are capsa's own and go when the last network's rules go; no other rule is touched. Each change is
 * one iptables-restore of what the filter table (read once with iptables -S) lacks or still has: a run on a
 * network whose bridge was idle made and removed them with ~20 iptables calls, ~100 ms.
 */
final class Isolation {
    private static final String STAGE_1 = "CAPSA-ISOLATION-STAGE-1";
    private static final String STAGE_2 = "CAPSA-ISOLATION-STAGE-2";
    private static final String JUMP = "-j " + STAGE_1;
    private static final String DROP_TO_CAPSA = "-o capsa+ -j DROP";
    /** The chains are the host's, shared by every data root: their changes are serialized host-wide. */
    private static final Path LOCK = Path.of("/run/capsa-isolation.lock");

    private Isolation() {}

    /** The rules for one network. Idempotent. */
    static void add(NetworkConfig network) {
        try (NetworkLock ignored = NetworkLock.take(LOCK)) {
            FilterTable now = FilterTable.read();
            List<String> changes = new ArrayList<>();
            if (!now.hasChain(STAGE_2)) changes.add("-N " + STAGE_2);
            if (!now.has(STAGE_2, DROP_TO_CAPSA)) changes.add("-A " + STAGE_2 + " " + DROP_TO_CAPSA);
            if (!now.hasChain(STAGE_1)) changes.add("-N " + STAGE_1);
            for (String rule : rules(network)) if (!now.has(STAGE_1, rule)) changes.add("-A " + STAGE_1 + " " + rule);
            if (!now.has("FORWARD", JUMP)) changes.add("-I FORWARD 1 " + JUMP);
            apply(changes);
        }
    }

    /** Takes one network's rules away, and capsa's chains with the last of them. Idempotent. */
    static void remove(NetworkConfig network) {
        try (NetworkLock ignored = NetworkLock.take(LOCK)) {
            FilterTable now = FilterTable.read();
            if (!now.hasChain(STAGE_1)) return;
            List<String> changes = new ArrayList<>();
            int left = now.rules(STAGE_1).size();
            for (String rule : rules(network)) {
                for (String r : now.rules(STAGE_1)) {
                    if (!r.equals(rule)) continue; // a rule added twice by racing processes goes as well
                    changes.add("-D " + STAGE_1 + " " + rule);
                    left--;
                }
            }
            if (left == 0) {
                for (String r : now.rules("FORWARD")) if (r.equals(JUMP)) changes.add("-D FORWARD " + JUMP);
                changes.add("-X " + STAGE_1);
                if (now.hasChain(STAGE_2)) changes.addAll(List.of("-F " + STAGE_2, "-X " + STAGE_2));
            }
            apply(changes);
        }
    }

    /** As iptables -S prints them (its order of options: -i before -o, a negation before its option). */
    private static List<String> rules(NetworkConfig network) {
        String bridge = network.bridge();
        if (network.internal()) return List.of(
                "-i " + bridge + " ! -o " + bridge + " -j DROP",
                "! -i " + bridge + " -o " + bridge + " -j DROP");
        return List.of("-i " + bridge + " ! -o " + bridge + " -j " + STAGE_2);
    }

    /** All the changes at once, or none: iptables-restore commits a table as one transaction. */
    private static void apply(List<String> changes) {
        if (changes.isEmpty()) return;
        HostCommand.okWithInput("*filter\n" + String.join("\n", changes) + "\nCOMMIT\n", "iptables-restore", "-w", "--noflush");
    }

    /** The filter table's chains and rules, from one iptables -S. */
    private record FilterTable(List<String> lines) {
        static FilterTable read() {
            return new FilterTable(List.of(HostCommand.ok("iptables", "-w", "-S").split("\n")));
        }

        boolean hasChain(String chain) {
            return lines.contains("-N " + chain);
        }

        boolean has(String chain, String rule) {
            return lines.contains("-A " + chain + " " + rule);
        }

        /** The chain's rules in order, each as it follows "-A CHAIN ". */
        List<String> rules(String chain) {
            String prefix = "-A " + chain + " ";
            List<String> rules = new ArrayList<>();
            for (String line : lines) if (line.startsWith(prefix)) rules.add(line.substring(prefix.length()));
            return rules;
        }
    }
}
