package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.engine.ContainerInspection;
import io.capsa.engine.ContainerStore;
import io.capsa.engine.Engine;
import io.capsa.image.ImageException;
import io.capsa.runtime.CapsaException;
import io.capsa.spec.Json;
import io.capsa.template.Template;

import java.util.ArrayList;
import java.util.List;

/**
 * docker inspect and container inspect: each object as Docker's JSON shows it, or through -f's template. The
 * top-level command looks for a container first, then an image, as Docker does; --type chooses.
 */
final class InspectCommand extends AliasedCommand {
    private final boolean containersOnly;

    InspectCommand(String names, boolean containersOnly) {
        super(names);
        this.containersOnly = containersOnly;
    }

    @Override
    public Usage usage() {
        Flag format = Flag.ofText("-f, --format", "TEMPLATE", "Format the output using the given Go template, or json");
        if (containersOnly) return new Usage("Display detailed information on one or more containers", "CONTAINER [CONTAINER...]", format);
        return new Usage("Return low-level information on containers or images", "NAME|ID [NAME|ID...]", format,
                Flag.ofText("--type", "TYPE", "Only this type of object: container or image"));
    }

    @Override
    public int run(Globals globals, Args args) {
        List<String> wanted = args.argsFrom(0);
        if (wanted.isEmpty()) throw new UsageException("\"capsa " + name() + "\" requires at least 1 argument");
        String type = containersOnly ? "container" : args.value("--type");
        if (type != null && !type.equals("container") && !type.equals("image")) throw new UsageException("\"" + type + "\" is not a valid value for --type");
        String format = args.value("--format");
        Template template = format == null || format.equals("json") ? null : Listing.parse(format);
        Engine engine = globals.engine();
        List<Engine.Container> running = engine.list(false);
        LocalImages local = null;
        List<Object> all = new ArrayList<>();
        for (String name : wanted) {
            if (!"image".equals(type)) {
                try {
                    var record = engine.find(name);
                    all.add(ContainerInspection.of(engine, new Engine.Container(record, engine.state(record)), running));
                    continue;
                } catch (ContainerStore.NoSuchContainerException e) {
                    if (type != null) throw e;
                }
            }
            if (local == null) local = new LocalImages(globals);
            try {
                all.add(ImageInspectCommand.describe(local, local.find(name)));
            } catch (ImageException e) {
                if (type != null) throw e;
                throw new CapsaException("No such object: " + name);
            }
        }
        if (template == null) return Main.print(Json.prettyAsDocker(all) + "\n");
        StringBuilder out = new StringBuilder();
        for (Object o : all) {
            template.execute(o, out);
            out.append('\n');
        }
        return Main.print(out.toString());
    }
}
