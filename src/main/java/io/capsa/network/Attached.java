package io.capsa.network;

import java.util.List;

/** What attach made: one endpoint per network asked for, in order, and the ports published (free ones picked). */
public record Attached(List<Endpoint> endpoints, List<PortMapping> ports) {}
