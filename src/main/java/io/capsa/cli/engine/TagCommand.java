package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;

/** docker tag: another name for a stored image, silently, as docker does. */
final class TagCommand implements Command {
    @Override
    public String names() {
        return "tag";
    }

    @Override
    public Usage usage() {
        return new Usage("Create a tag TARGET_IMAGE that refers to SOURCE_IMAGE", "SOURCE_IMAGE[:TAG] TARGET_IMAGE[:TAG]");
    }

    @Override
    public int run(Globals globals, Args args) {
        if (args.argsFrom(0).size() != 2) throw new UsageException("\"capsa tag\" requires exactly 2 arguments");
        LocalImages local = new LocalImages(globals);
        local.images.tag(local.find(args.arg(0)).name(), args.arg(1));
        return Exit.OK;
    }
}
