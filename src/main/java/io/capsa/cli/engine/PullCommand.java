package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.image.Images;
import io.capsa.image.Platform;
import io.capsa.image.PullOptions;
import io.capsa.image.PullReport;
import io.capsa.image.reference.Reference;
import io.capsa.image.registry.ProgressListener;

/** docker pull: the image into the data root's store, with Docker's progress and closing lines. */
final class PullCommand implements Command {
    @Override
    public String names() {
        return "pull";
    }

    @Override
    public Usage usage() {
        return new Usage("Download an image from a registry", "NAME[:TAG|@DIGEST]",
                Flag.ofText("--platform", "OS/ARCH[/VARIANT]", "The image for this platform (default: this machine's)"),
                Flag.ofBoolean("-q, --quiet", "Print only the image's name"),
                tlsVerify());
    }

    /** podman's per-command switch to plain http, which Docker has as the daemon's --insecure-registry. */
    static Flag tlsVerify() {
        return Flag.ofBoolean("--tls-verify", "Use https and check the registry's certificate (false: plain http)").orElse("true");
    }

    static boolean tlsVerify(Args args) {
        return !args.value("--tls-verify").equalsIgnoreCase("false");
    }

    @Override
    public int run(Globals globals, Args args) {
        String name = args.arg(0);
        Reference ref = Reference.parse(name);
        Platform platform = args.value("--platform") == null ? Platform.host() : Platform.parse(args.value("--platform"));
        boolean quiet = args.flag("--quiet");
        String header = (ref.digest() != null ? ref.digest() : ref.tag()) + ": Pulling from " + ref.path();
        ProgressListener progress = quiet ? ProgressListener.NONE : TransferProgress.toStdout(TransferProgress.Words.PULL, header);
        PullReport report;
        try (Images images = globals.images(globals.registryOptions(ref.domain(), tlsVerify(args)))) {
            report = images.pull(name, new PullOptions(platform, progress));
        }
        if (!quiet) {
            System.out.println("Digest: " + report.digest());
            boolean named = ref.digest() != null || name.lastIndexOf(':') > name.lastIndexOf('/');
            String tagged = named ? name : name + ":latest";
            System.out.println("Status: " + (report.fetched().isEmpty() ? "Image is up to date for " : "Downloaded newer image for ") + tagged);
        }
        return Main.print(ref + "\n");
    }
}
