package io.capsa.network;

import java.util.List;

/**
 * What a container asks of one network: its name or ID, the names it is known by there besides its own
 * (--network-alias), and optionally a fixed address (--ip) and MAC address (--mac-address), null for any.
 */
public record Attachment(String network, List<String> aliases, String ip, String mac) {
    public static Attachment of(String network) {
        return new Attachment(network, List.of(), null, null);
    }
}
