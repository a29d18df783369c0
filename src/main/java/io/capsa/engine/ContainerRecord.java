package io.capsa.engine;

import io.capsa.engine.config.ContainerConfig;
import io.capsa.engine.config.HostConfig;
import io.capsa.image.Digest;
import io.capsa.spec.Node;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a container was created as, written once at create (and again by rename): its id, name, image and
 * Docker's Config and HostConfig. What changes as it runs is its {@link RunState}.
 */
public record ContainerRecord(String id, String name, Instant created, String imageName, Digest imageId, Digest imageManifest,
                              ContainerConfig config, HostConfig hostConfig) {
    public ContainerRecord withName(String newName) {
        return new ContainerRecord(id, newName, created, imageName, imageId, imageManifest, config, hostConfig);
    }

    public String shortId() {
        return id.substring(0, 12);
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", id);
        m.put("Name", name);
        m.put("Created", created.toString());
        m.put("ImageName", imageName);
        m.put("Image", imageId.toString());
        m.put("ImageManifest", imageManifest.toString());
        m.put("Config", config.toJson());
        m.put("HostConfig", hostConfig.toJson());
        return m;
    }

    static ContainerRecord fromJson(Node n) {
        return new ContainerRecord(n.get("Id").requiredString(), n.get("Name").requiredString(),
                Instant.parse(n.get("Created").requiredString()), n.get("ImageName").requiredString(),
                Digest.parse(n.get("Image").requiredString()), Digest.parse(n.get("ImageManifest").requiredString()),
                ContainerConfig.fromJson((Map<?, ?>) n.get("Config").raw()), HostConfig.fromJson((Map<?, ?>) n.get("HostConfig").raw()));
    }
}
