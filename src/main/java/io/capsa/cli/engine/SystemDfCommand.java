package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.Engine;
import io.capsa.engine.config.HostConfig;
import io.capsa.engine.config.MountFlags;
import io.capsa.engine.config.Volumes;
import io.capsa.engine.files.ContainerSpace;
import io.capsa.image.Digest;
import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.Layer;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * docker system df: images (their layers unpacked, each counted once; reclaimable what no container's image
 * shares), containers (the files each wrote; reclaimable those of stopped ones), local volumes (their data;
 * reclaimable those no container mounts) and build cache (capsa builds nothing), in docker's table.
 */
final class SystemDfCommand implements Command {
    @Override
    public String names() {
        return "df";
    }

    @Override
    public Usage usage() {
        return new Usage("Show capsa disk usage", "");
    }

    @Override
    public int run(Globals globals, Args args) throws IOException {
        LocalImages local = new LocalImages(globals);
        Set<Digest> ids = new HashSet<>(), active = new HashSet<>();
        Set<Layer> all = new HashSet<>(), used = new HashSet<>();
        for (ImageRecord r : local.images.list()) {
            Digest id = local.id(r);
            if (!ids.add(id)) continue;
            boolean inUse = local.containerOf(id).isPresent();
            if (inUse) active.add(id);
            for (Layer layer : local.info(r).layers()) {
                all.add(layer);
                if (inUse) used.add(layer);
            }
        }
        long imageBytes = 0, usedBytes = 0;
        for (Layer layer : all) {
            long size = local.size(layer);
            imageBytes += size;
            if (used.contains(layer)) usedBytes += size;
        }
        Engine engine = globals.engine();
        ContainerSpace space = new ContainerSpace(engine);
        int containers = 0, running = 0;
        long containerBytes = 0, stoppedBytes = 0;
        for (Engine.Container c : engine.list(true)) {
            long size = space.size(c.record());
            containers++;
            containerBytes += size;
            if (c.state().isUp()) running++;
            else stoppedBytes += size;
        }
        Set<String> usedVolumes = new HashSet<>();
        for (ContainerRecord r : engine.records()) usedVolumes.addAll(volumesOf(r));
        int volumes = 0, activeVolumes = 0;
        long volumeBytes = 0, unusedVolumeBytes = 0;
        Path volumeDir = globals.dataRoot().resolve("volumes");
        if (Files.isDirectory(volumeDir)) try (DirectoryStream<Path> dirs = Files.newDirectoryStream(volumeDir)) {
            for (Path volume : dirs) {
                long size = ContainerSpace.bytes(volume.resolve("_data"));
                volumes++;
                volumeBytes += size;
                if (usedVolumes.contains(volume.getFileName().toString())) activeVolumes++;
                else unusedVolumeBytes += size;
            }
        }
        String format = "%-16s%-10s%-10s%-10s%s\n";
        return Main.print(String.format(format, "TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE")
                + String.format(format, "Images", ids.size(), active.size(), Units.humanSize(imageBytes), share(imageBytes - usedBytes, imageBytes))
                + String.format(format, "Containers", containers, running, Units.humanSize(containerBytes), share(stoppedBytes, containerBytes))
                + String.format(format, "Local Volumes", volumes, activeVolumes, Units.humanSize(volumeBytes), share(unusedVolumeBytes, volumeBytes))
                + String.format(format, "Build Cache", 0, 0, Units.humanSize(0), Units.humanSize(0)));
    }

    /** The names of the volumes a container mounts: named ones, and its anonymous ones. */
    private static List<String> volumesOf(ContainerRecord r) {
        List<HostConfig.MountSpec> specs = new ArrayList<>(r.hostConfig().mounts());
        for (String bind : r.hostConfig().binds()) specs.add(MountFlags.volume(bind));
        List<String> names = new ArrayList<>(Volumes.anonymous(r.id(), r.config(), r.hostConfig()));
        for (HostConfig.MountSpec m : specs) if (m.type().equals("volume") && !m.source().isEmpty()) names.add(m.source());
        return names;
    }

    /** docker's "1.2MB (40%)". */
    private static String share(long part, long whole) {
        return Units.humanSize(part) + " (" + (whole == 0 ? 0 : part * 100 / whole) + "%)";
    }
}
