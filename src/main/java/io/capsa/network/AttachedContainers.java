package io.capsa.network;

import java.util.List;

/**
 * The engine's answer to "which containers use this network?" (running or not), so that a network in use is
 * not removed; the attachments capsa's network library recorded itself count as well.
 */
@FunctionalInterface
public interface AttachedContainers {
    List<String> of(NetworkConfig network);

    AttachedContainers NONE = network -> List.of();
}
