package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Usage;
import io.capsa.engine.ContainerRecord;
import io.capsa.engine.config.CreateRequest;

/** docker create: the container recorded, not started; its id printed. */
final class CreateCommand extends AliasedCommand {
    CreateCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Create a new container", "IMAGE [COMMAND] [ARG...]", RunFlags.flags()).endOptionsAtFirstArgument();
    }

    @Override
    public int run(Globals globals, Args args) {
        CreateRequest request = RunFlags.request(args);
        ContainerImage image = ContainerImage.find(globals, request.config().image());
        ContainerRecord record = globals.engine().create(request, image.info(), image.id(), request.config().image());
        return Main.print(record.id() + "\n");
    }
}
