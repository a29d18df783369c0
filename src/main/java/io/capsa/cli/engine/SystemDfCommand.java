package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.engine.Engine;
import io.capsa.engine.files.ContainerSpace;
import io.capsa.image.Digest;
import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.Layer;

import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * docker system df: images (their layers unpacked, each counted once; reclaimable what no container's image
 * shares), containers (the files each wrote; reclaimable those of stopped ones), and docker's rows for local
 * volumes and build cache, which capsa does not keep (yet), in docker's table.
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
        String format = "%-16s%-10s%-10s%-10s%s\n";
        return Main.print(String.format(format, "TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE")
                + String.format(format, "Images", ids.size(), active.size(), Units.humanSize(imageBytes), share(imageBytes - usedBytes, imageBytes))
                + String.format(format, "Containers", containers, running, Units.humanSize(containerBytes), share(stoppedBytes, containerBytes))
                + String.format(format, "Local Volumes", 0, 0, Units.humanSize(0), Units.humanSize(0))
                + String.format(format, "Build Cache", 0, 0, Units.humanSize(0), Units.humanSize(0)));
    }

    /** docker's "1.2MB (40%)". */
    private static String share(long part, long whole) {
        return Units.humanSize(part) + " (" + (whole == 0 ? 0 : part * 100 / whole) + "%)";
    }
}
