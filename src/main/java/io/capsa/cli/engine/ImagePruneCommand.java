package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.image.Digest;
import io.capsa.image.store.GarbageCollector;
import io.capsa.image.store.ImageRecord;
import io.capsa.image.store.Layer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * docker image prune: removes the dangling images (known by digest only), or with -a every image (no
 * container keeps one yet), then their blobs and layers; the space is the removed layers' bytes unpacked, as
 * docker counts it. It asks first unless -f, as docker does.
 */
final class ImagePruneCommand implements Command {
    @Override
    public String names() {
        return "prune";
    }

    @Override
    public Usage usage() {
        return new Usage("Remove unused images", "",
                Flag.ofBoolean("-a, --all", "Remove all unused images, not just dangling ones"),
                Flag.ofBoolean("-f, --force", "Do not prompt for confirmation"));
    }

    @Override
    public int run(Globals globals, Args args) throws IOException {
        boolean all = args.flag("--all");
        if (!args.flag("--force") && !confirmed(all ? "WARNING! This will remove all images without at least one container associated to them."
                : "WARNING! This will remove all dangling images.")) return Exit.OK;
        Pruned pruned = prune(new LocalImages(globals), all);
        String deleted = pruned.report().isEmpty() ? "" : "Deleted Images:\n" + pruned.report() + "\n";
        return Main.print(deleted + "Total reclaimed space: " + Units.humanSize(pruned.reclaimed()) + "\n");
    }

    /** What a prune removed: docker's lines for it ("untagged: ...", "deleted: ..."), and the bytes it gave back. */
    record Pruned(String report, long reclaimed) {}

    /** Removes the dangling images, or with all every image no container uses, and what only they needed. */
    static Pruned prune(LocalImages local, boolean all) {
        Set<ImageRecord> doomed = new LinkedHashSet<>();
        for (ImageRecord r : local.images.list()) {
            if ((all || onlyByDigest(local, r)) && local.containerOf(local.id(r)).isEmpty()) doomed.add(r);
        }
        StringBuilder out = new StringBuilder();
        Map<Layer, Long> layerSizes = new HashMap<>();
        Set<Digest> ids = new LinkedHashSet<>();
        for (ImageRecord r : doomed) { // all read before any name goes
            for (Layer layer : local.info(r).layers()) layerSizes.computeIfAbsent(layer, l -> local.size(l));
            ids.add(local.id(r));
        }
        for (ImageRecord r : doomed) local.untag(r, "untagged", out);
        for (Digest id : ids) out.append("deleted: ").append(id).append('\n');
        GarbageCollector.Result collected = local.collectGarbage();
        long reclaimed = 0;
        for (Map.Entry<Layer, Long> layer : layerSizes.entrySet()) { // gone unpacked, or still packed
            if (collected.layers().contains(layer.getKey().chainId()) || collected.blobs().contains(layer.getKey().blob().digest()))
                reclaimed += layer.getValue();
        }
        return new Pruned(out.toString(), reclaimed);
    }

    private static boolean onlyByDigest(LocalImages local, ImageRecord record) {
        for (ImageRecord r : local.sameImage(record)) if (!LocalImages.byDigest(r)) return false;
        return true;
    }

    /** docker's prompt; only "y" or "Y" goes on. */
    static boolean confirmed(String warning) throws IOException {
        System.out.print(warning + "\nAre you sure you want to continue? [y/N] ");
        System.out.flush();
        String answer = new BufferedReader(new InputStreamReader(System.in)).readLine();
        return answer != null && answer.strip().equalsIgnoreCase("y");
    }
}
