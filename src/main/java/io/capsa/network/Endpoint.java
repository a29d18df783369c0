package io.capsa.network;

/**
 * A container's place on one network after attach: its interface in the container's namespace (eth0, eth1...),
 * address and prefix length, the gateway (the bridge's address; an internal network gives no default route
 * through it), MAC, and the resolver for the container's resolv.conf (the gateway, where the network's
 * aardvark-dns listens), or null when the network has none (the default network, as docker's bridge).
 */
public record Endpoint(String network, String networkId, String containerId, String containerName, String ifname,
                       String address, int prefixLength, String gateway, String mac, String resolver) {}
