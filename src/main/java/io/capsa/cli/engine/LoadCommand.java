package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.image.ImageException;
import io.capsa.image.archive.ArchiveLoader;
import io.capsa.image.archive.LoadedImage;
import io.capsa.image.reference.Reference;
import io.capsa.linux.Libc;

import java.util.List;

/** docker load: a docker-archive or oci-archive, from stdin or -i, and the images it held, as Docker names them. */
final class LoadCommand implements Command {
    @Override
    public String names() {
        return "load";
    }

    @Override
    public Usage usage() {
        return new Usage("Load an image from a tar archive or STDIN", "",
                Flag.ofText("-i, --input", "FILE", "Read from tar archive file, instead of STDIN"),
                Flag.ofBoolean("-q, --quiet", "Suppress the load progress (the loaded images are printed still)"));
    }

    /** -q is Docker's: it hides a progress display, which capsa has not; Docker prints the names still. */
    @Override
    public int run(Globals globals, Args args) {
        List<LoadedImage> images;
        if (args.value("--input") != null) {
            images = ArchiveLoader.load(globals.imageStore(), args.path("--input"));
        } else {
            if (Libc.isatty(0)) throw new ImageException("requested load from stdin, but stdin is empty");
            images = ArchiveLoader.load(globals.imageStore(), System.in, "-");
        }
        StringBuilder b = new StringBuilder();
        for (LoadedImage image : images) {
            if (image.names().isEmpty()) b.append("Loaded image ID: ").append(image.config()).append('\n');
            for (String name : image.names()) b.append("Loaded image: ").append(Reference.parse(name).familiar()).append('\n');
        }
        return Main.print(b.toString());
    }
}
