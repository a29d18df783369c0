package io.capsa.network;

import java.util.ArrayList;
import java.util.List;

/**
 * The bridge plugin's masquerade rules for one container, taken away after its DEL. The plugin finds them
 * through the addresses of the container's interface, so a DEL after the namespace is gone (the container died
 * and nothing held its namespace) leaves them: a POSTROUTING rule and a CNI-... chain, both commented
 * {@code name: "NETWORK" id: "CONTAINER"}. Only rules with that comment are touched.
 */
final class MasqueradeSweep {
    private MasqueradeSweep() {}

    static void sweep(String network, String containerId) {
        String comment = "/* name: \"" + network + "\" id: \"" + containerId + "\" */";
        List<Integer> numbers = new ArrayList<>();
        List<String> chains = new ArrayList<>();
        for (String line : HostCommand.ok("iptables", "-w", "-t", "nat", "-L", "POSTROUTING", "-n", "--line-numbers").split("\n")) {
            if (!line.contains(comment)) continue;
            String[] f = line.trim().split("\\s+");
            numbers.add(Integer.parseInt(f[0]));
            if (f[1].startsWith("CNI-")) chains.add(f[1]);
        }
        for (int i = numbers.size() - 1; i >= 0; i--) HostCommand.ok("iptables", "-w", "-t", "nat", "-D", "POSTROUTING", numbers.get(i).toString());
        for (String chain : chains) {
            HostCommand.succeeds("iptables", "-w", "-t", "nat", "-F", chain);
            HostCommand.succeeds("iptables", "-w", "-t", "nat", "-X", chain);
        }
    }
}
