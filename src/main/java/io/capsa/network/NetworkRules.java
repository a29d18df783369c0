package io.capsa.network;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The iptables rules of capsa's networks, one set per network as Docker has for its bridges (rather than the
 * bridge plugin's masquerade and the firewall plugin's accepts for each container: ~25 iptables calls a run):
 * <ul>
 * <li>isolation, as docker's DOCKER-ISOLATION-STAGE-1/2: what enters from one capsa bridge and leaves through
 * another is dropped, and nothing crosses an internal network's bridge;</li>
 * <li>forwarding (CAPSA-FORWARD, after the isolation in FORWARD): a network's traffic out, and the replies in, are
 * accepted whatever FORWARD's policy; an internal network's only between its containers;</li>
 * <li>masquerade (nat CAPSA-POSTROUTING) of what leaves a network that is not internal for another interface.</li>
 * </ul>
 * The chains and their jumps are capsa's own and go with their last rules; no other rule is touched. Each change
 * is one iptables-restore of what the tables (read once each with iptables -S) lack or still have.
 */
final class NetworkRules {
    private static final String STAGE_1 = "CAPSA-ISOLATION-STAGE-1";
    private static final String STAGE_2 = "CAPSA-ISOLATION-STAGE-2";
    private static final String FORWARD = "CAPSA-FORWARD";
    private static final String POSTROUTING = "CAPSA-POSTROUTING";
    private static final String DROP_TO_CAPSA = "-o capsa+ -j DROP";
    /** The chains are the host's, shared by every data root: their changes are serialized host-wide. */
    private static final Path LOCK = Path.of("/run/capsa-isolation.lock");

    private NetworkRules() {}

    /** The rules for one network. Idempotent. */
    static void add(NetworkConfig network) {
        try (NetworkLock ignored = NetworkLock.take(LOCK)) {
            Table filter = Table.read("filter"), nat = Table.read("nat");
            List<String> f = new ArrayList<>(), n = new ArrayList<>();
            filter.ensure(STAGE_2, List.of(DROP_TO_CAPSA), f);
            filter.ensure(STAGE_1, isolation(network), f);
            filter.ensure(FORWARD, forwarding(network), f);
            int stage1 = filter.rules("FORWARD").indexOf("-j " + STAGE_1); // the isolation first, the accepts after it
            if (stage1 < 0) {
                f.add("-I FORWARD 1 -j " + STAGE_1);
                stage1 = 0;
            }
            if (!filter.has("FORWARD", "-j " + FORWARD)) f.add("-I FORWARD " + (stage1 + 2) + " -j " + FORWARD);
            if (!network.internal()) {
                nat.ensure(POSTROUTING, List.of(masquerade(network)), n);
                if (!nat.has("POSTROUTING", "-j " + POSTROUTING)) n.add("-A POSTROUTING -j " + POSTROUTING);
            }
            apply(f, n);
        }
    }

    /** Takes one network's rules away, and each chain of capsa's with its last rule. Idempotent. */
    static void remove(NetworkConfig network) {
        try (NetworkLock ignored = NetworkLock.take(LOCK)) {
            Table filter = Table.read("filter"), nat = Table.read("nat");
            List<String> f = new ArrayList<>(), n = new ArrayList<>();
            if (filter.drop(STAGE_1, isolation(network), "FORWARD", f) && filter.hasChain(STAGE_2))
                f.addAll(List.of("-F " + STAGE_2, "-X " + STAGE_2));
            filter.drop(FORWARD, forwarding(network), "FORWARD", f);
            nat.drop(POSTROUTING, List.of(masquerade(network)), "POSTROUTING", n);
            apply(f, n);
        }
    }

    /** As iptables -S prints them (its order of options: -i before -o, a negation before its option). */
    private static List<String> isolation(NetworkConfig network) {
        String bridge = network.bridge();
        if (network.internal()) return List.of(
                "-i " + bridge + " ! -o " + bridge + " -j DROP",
                "! -i " + bridge + " -o " + bridge + " -j DROP");
        return List.of("-i " + bridge + " ! -o " + bridge + " -j " + STAGE_2);
    }

    private static List<String> forwarding(NetworkConfig network) {
        String bridge = network.bridge();
        if (network.internal()) return List.of("-i " + bridge + " -o " + bridge + " -j ACCEPT");
        return List.of("-o " + bridge + " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", "-i " + bridge + " -j ACCEPT");
    }

    private static String masquerade(NetworkConfig network) {
        return "-s " + network.subnet() + " ! -o " + network.bridge() + " -j MASQUERADE";
    }

    /** All the changes at once, or none: iptables-restore commits each table as one transaction. */
    private static void apply(List<String> filter, List<String> nat) {
        StringBuilder input = new StringBuilder();
        if (!filter.isEmpty()) input.append("*filter\n").append(String.join("\n", filter)).append("\nCOMMIT\n");
        if (!nat.isEmpty()) input.append("*nat\n").append(String.join("\n", nat)).append("\nCOMMIT\n");
        if (!input.isEmpty()) HostCommand.okWithInput(input.toString(), "iptables-restore", "-w", "--noflush");
    }

    /** A table's chains and rules, from one iptables -S. */
    private record Table(List<String> lines) {
        static Table read(String table) {
            return new Table(List.of(HostCommand.ok("iptables", "-w", "-t", table, "-S").split("\n")));
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

        /** Adds to changes what makes the chain and appends those of the rules it lacks. */
        void ensure(String chain, List<String> wanted, List<String> changes) {
            if (!hasChain(chain)) changes.add("-N " + chain);
            for (String rule : wanted) if (!has(chain, rule)) changes.add("-A " + chain + " " + rule);
        }

        /**
         * Adds to changes what deletes each of the rules from the chain (each time it is there: racing processes may
         * have added one twice) and, when nothing is left in it, the chain and its jumps from parent. True then.
         */
        boolean drop(String chain, List<String> unwanted, String parent, List<String> changes) {
            if (!hasChain(chain)) return false;
            int left = 0;
            for (String rule : rules(chain)) {
                if (unwanted.contains(rule)) changes.add("-D " + chain + " " + rule);
                else left++;
            }
            if (left > 0) return false;
            for (String rule : rules(parent)) if (rule.equals("-j " + chain)) changes.add("-D " + parent + " -j " + chain);
            changes.add("-X " + chain);
            return true;
        }
    }
}
