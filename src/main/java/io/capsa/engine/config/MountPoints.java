package io.capsa.engine.config;

import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The destinations of bind mounts made in the root beforehand, as root of the host: in a remapped user
 * namespace the runtime mounts as the container's root, which may not create them in an image owned by the
 * host's root. Each is resolved inside the root, so no link of the image's leads the making out of it.
 */
final class MountPoints {
    private MountPoints() {}

    @SuppressWarnings("unchecked")
    static void make(Path rootfs, List<Object> mounts) {
        for (Object o : mounts) {
            Map<String, Object> m = (Map<String, Object>) o;
            if (!m.get("type").equals("bind")) continue;
            String destination = (String) m.get("destination");
            Path target = RootPath.resolve(rootfs, destination);
            if (Files.exists(target)) continue;
            try {
                Files.createDirectories(target.getParent());
                if (Files.isDirectory(Path.of((String) m.get("source")))) Files.createDirectory(target);
                else Files.createFile(target);
            } catch (FileAlreadyExistsException e) {
                // made meanwhile: what the runtime needs
            } catch (IOException e) {
                throw new CapsaException("cannot make the mount point " + destination + " in the container: " + e.getMessage());
            }
        }
    }
}
