package io.capsa.network;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * iptables rules that keep networks apart, as docker's DOCKER-ISOLATION-STAGE-1/2: traffic that enters from one
 * capsa bridge and leaves through another is dropped (the firewall plugin alone lets a container reach any
 * address the host routes to), and nothing crosses an internal network's bridge at all. The chains and the
 * FORWARD jump are capsa's own and go when the last network's rules go; no other rule is touched.
 */
final class Isolation {
    private static final String STAGE_1 = "CAPSA-ISOLATION-STAGE-1";
    private static final String STAGE_2 = "CAPSA-ISOLATION-STAGE-2";
    /** The chains are the host's, shared by every data root: their changes are serialized host-wide. */
    private static final Path LOCK = Path.of("/run/capsa-isolation.lock");

    private Isolation() {}

    /** The rules for one network. Idempotent. */
    static void add(NetworkConfig network) {
        try (NetworkLock ignored = NetworkLock.take(LOCK)) {
            addUnlocked(network);
        }
    }

    private static void addUnlocked(NetworkConfig network) {
        String[][] rules = rules(network);
        if (HostCommand.succeeds(concat(new String[] {"iptables", "-w", "-C", STAGE_1}, rules[rules.length - 1]))
                && HostCommand.succeeds("iptables", "-w", "-C", "FORWARD", "-j", STAGE_1)) return; // the usual case: two calls, not eight
        chain(STAGE_2);
        ensure(STAGE_2, "-o", "capsa+", "-j", "DROP");
        chain(STAGE_1);
        if (!HostCommand.succeeds("iptables", "-w", "-C", "FORWARD", "-j", STAGE_1)) HostCommand.ok("iptables", "-w", "-I", "FORWARD", "1", "-j", STAGE_1);
        for (String[] rule : rules) ensure(STAGE_1, rule);
    }

    /** Takes one network's rules away, and capsa's chains with the last of them. Idempotent. */
    static void remove(NetworkConfig network) {
        try (NetworkLock ignored = NetworkLock.take(LOCK)) {
            removeUnlocked(network);
        }
    }

    private static void removeUnlocked(NetworkConfig network) {
        if (!HostCommand.succeeds("iptables", "-w", "-S", STAGE_1)) return;
        for (String[] rule : rules(network)) {
            while (HostCommand.succeeds(concat(new String[] {"iptables", "-w", "-D", STAGE_1}, rule))) {
                // a rule added twice by racing processes goes as well
            }
        }
        if (!HostCommand.ok("iptables", "-w", "-S", STAGE_1).strip().equals("-N " + STAGE_1)) return;
        HostCommand.succeeds("iptables", "-w", "-D", "FORWARD", "-j", STAGE_1);
        HostCommand.succeeds("iptables", "-w", "-X", STAGE_1);
        HostCommand.succeeds("iptables", "-w", "-F", STAGE_2);
        HostCommand.succeeds("iptables", "-w", "-X", STAGE_2);
    }

    private static String[][] rules(NetworkConfig network) {
        String bridge = network.bridge();
        if (network.internal()) return new String[][] {
                {"-i", bridge, "!", "-o", bridge, "-j", "DROP"},
                {"-o", bridge, "!", "-i", bridge, "-j", "DROP"}};
        return new String[][] {{"-i", bridge, "!", "-o", bridge, "-j", STAGE_2}};
    }

    private static void chain(String name) {
        if (!HostCommand.succeeds("iptables", "-w", "-S", name)) HostCommand.succeeds("iptables", "-w", "-N", name);
    }

    private static void ensure(String chain, String... rule) {
        if (!HostCommand.succeeds(concat(new String[] {"iptables", "-w", "-C", chain}, rule)))
            HostCommand.ok(concat(new String[] {"iptables", "-w", "-A", chain}, rule));
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
