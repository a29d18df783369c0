package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.image.Digest;
import io.capsa.image.Images;
import io.capsa.image.Platform;
import io.capsa.image.reference.Reference;
import io.capsa.image.registry.ProgressListener;
import io.capsa.image.registry.PushOptions;

/** docker push: a stored image to the registry its name names, with Docker's progress and closing line. */
final class PushCommand implements Command {
    @Override
    public String names() {
        return "push";
    }

    @Override
    public Usage usage() {
        return new Usage("Upload an image to a registry", "NAME[:TAG]",
                Flag.ofBoolean("-q, --quiet", "Print only the image's name"),
                PullCommand.tlsVerify());
    }

    @Override
    public int run(Globals globals, Args args) {
        String name = args.arg(0);
        Reference ref = Reference.parse(name);
        boolean quiet = args.flag("--quiet");
        String header = "The push refers to repository [" + ref.repository() + "]";
        ProgressListener progress = quiet ? ProgressListener.NONE : TransferProgress.toStdout(TransferProgress.Words.PUSH, header);
        Digest digest;
        try (Images images = globals.images(globals.registryOptions(ref.domain(), PullCommand.tlsVerify(args)))) {
            digest = images.push(name, Platform.host(), PushOptions.MONOLITHIC, progress);
        }
        return Main.print(quiet ? ref + "\n" : ref.manifestReference() + ": digest: " + digest + "\n");
    }
}
