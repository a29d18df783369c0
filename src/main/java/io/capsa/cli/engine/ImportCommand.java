package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.image.Platform;
import io.capsa.image.archive.ImageImporter;
import io.capsa.image.archive.LoadedImage;
import io.capsa.spec.Quoted;

import java.nio.file.Path;

/** docker import: a root file system tarball, from a file or stdin, becomes a one-layer image; prints its ID. */
final class ImportCommand implements Command {
    @Override
    public String names() {
        return "import";
    }

    @Override
    public Usage usage() {
        return new Usage("Import the contents from a tarball to create a filesystem image", "FILE|- [REPOSITORY[:TAG]]",
                Flag.ofText("-c, --change", "INSTRUCTION", "Apply Dockerfile instruction to the created image").repeatable(),
                Flag.ofText("-m, --message", "MESSAGE", "Set commit message for imported image"));
    }

    @Override
    public int run(Globals globals, Args args) {
        String source = args.arg(0);
        // Docker fetches a URL itself; capsa leaves that to curl, whose output it reads from stdin.
        if (source.contains("://")) throw new UsageException("capsa import takes a file or -, not the URL " + Quoted.of(source));
        LoadedImage image = source.equals("-")
                ? ImageImporter.importTarball(globals.imageStore(), System.in, source, args.arg(1), args.values("--change"),
                        args.value("--message"), Platform.host())
                : ImageImporter.importTarball(globals.imageStore(), Path.of(source), args.arg(1), args.values("--change"),
                        args.value("--message"), Platform.host());
        return Main.print(image.config() + "\n");
    }
}
