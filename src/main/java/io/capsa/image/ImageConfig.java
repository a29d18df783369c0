package io.capsa.image;

import java.util.List;
import java.util.Map;

/**
 * The parts of an image configuration the engine runs a container with. diffIds are the sha256 of each
 * layer's uncompressed tar, bottom first; the layers are unpacked by the chain IDs made from them.
 */
public record ImageConfig(String os, String architecture, String variant, String created,
                          String user, List<String> env, List<String> entrypoint, List<String> cmd,
                          String workingDir, String stopSignal, Map<String, String> labels,
                          List<String> volumes, List<String> exposedPorts, List<Digest> diffIds) {
}
