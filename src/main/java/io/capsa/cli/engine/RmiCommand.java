package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.image.Digest;
import io.capsa.image.ImageException;
import io.capsa.image.reference.Reference;
import io.capsa.image.store.ImageRecord;

import io.capsa.spec.Quoted;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * docker rmi / docker image rm: removes a name ("Untagged: busybox:latest"); the image's last name takes the
 * image with it ("Deleted: sha256:<id>") and its blobs and layers no other image shares. By ID, an image that
 * has several repositories needs -f, which removes all its names, as docker asks.
 */
final class RmiCommand extends AliasedCommand {
    RmiCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Remove one or more images", "IMAGE [IMAGE...]",
                Flag.ofBoolean("-f, --force", "Force removal of the image"),
                Flag.ofBoolean("--no-prune", "Do not delete untagged parents (there are none)"));
    }

    @Override
    public int run(Globals globals, Args args) {
        List<String> wanted = args.argsFrom(0);
        if (wanted.isEmpty()) throw new UsageException("\"capsa " + name() + "\" requires at least 1 argument");
        LocalImages local = new LocalImages(globals);
        boolean deleted = false;
        try {
            for (String text : wanted) deleted |= remove(local, text, args.flag("--force"));
        } finally { // what went before a refused image is gone: its blobs and layers go too
            if (deleted) local.collectGarbage();
        }
        return Exit.OK;
    }

    /** Prints what it removed as it goes; returns whether the image went with its last name. */
    private static boolean remove(LocalImages local, String text, boolean force) {
        ImageRecord record = local.find(text);
        Digest id = local.id(record);
        boolean byId = LocalImages.namesId(text, id);
        List<ImageRecord> names = byId ? local.sameImage(record) : List.of(record);
        if (byId && !force && repositories(names) > 1)
            throw new ImageException("conflict: unable to delete " + id.hex().substring(0, 12)
                    + " (must be forced) - image is referenced in multiple repositories");
        var user = local.containerOf(id);
        if (user.isPresent() && !force && names.containsAll(local.sameImage(record)))
            throw new ImageException("conflict: unable to remove repository reference " + Quoted.of(text) + " (must force) - container "
                    + user.get().shortId() + " is using its referenced image " + id.hex().substring(0, 12));
        StringBuilder out = new StringBuilder();
        for (ImageRecord name : names) local.untag(name, "Untagged", out);
        boolean deleted = local.sameImage(record).isEmpty() && user.isEmpty();
        if (deleted) out.append("Deleted: ").append(id).append('\n');
        Main.print(out.toString());
        return deleted;
    }

    private static long repositories(List<ImageRecord> names) {
        Set<String> repos = new HashSet<>();
        for (ImageRecord r : names) repos.add(Reference.parse(r.name()).repository());
        return repos.size();
    }
}
