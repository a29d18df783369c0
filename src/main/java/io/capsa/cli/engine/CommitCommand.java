package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.engine.Engine;
import io.capsa.engine.files.ContainerChanges;
import io.capsa.image.archive.LoadedImage;

/** docker commit: a new image from the container's changes; prints its ID. */
final class CommitCommand implements Command {
    @Override
    public String names() {
        return "commit";
    }

    @Override
    public Usage usage() {
        return new Usage("Create a new image from a container's changes", "CONTAINER [REPOSITORY[:TAG]]",
                Flag.ofText("-a, --author", "AUTHOR", "Author (e.g., \"John Hannibal Smith <hannibal@a-team.com>\")"),
                Flag.ofText("-c, --change", "INSTRUCTION", "Apply Dockerfile instruction to the created image").repeatable(),
                Flag.ofText("-m, --message", "MESSAGE", "Commit message"),
                Flag.ofBoolean("-p, --pause", "Pause container during commit (the default; --pause=false not)"));
    }

    @Override
    public int run(Globals globals, Args args) {
        Engine engine = globals.engine();
        ContainerChanges.CommitOptions options = new ContainerChanges.CommitOptions(args.arg(1), args.values("--change"),
                args.value("--message"), args.value("--author"), !"false".equalsIgnoreCase(args.value("--pause")));
        LoadedImage image = new ContainerChanges(engine).commit(engine.find(args.arg(0)), options);
        return Main.print(image.config() + "\n");
    }
}
