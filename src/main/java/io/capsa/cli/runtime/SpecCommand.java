package io.capsa.cli.runtime;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.runtime.CapsaException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** As `runc spec`: writes a default config.json into the bundle. */
final class SpecCommand implements Command {
    @Override
    public Usage usage() {
        return new Usage("Write a default config.json.", "", Flag.ofText("-b, --bundle", "DIR", "Where to write config.json").orElse("."));
    }

    @Override
    public int run(Main main, Args args) throws IOException {
        Path bundle = args.path("--bundle");
        Path file = bundle.resolve("config.json");
        if (Files.exists(file)) throw new CapsaException("File " + file + " exists. Remove it first");
        if (!Files.isDirectory(bundle)) throw new CapsaException("bundle " + bundle + " is not a directory");
        try (InputStream in = SpecCommand.class.getResourceAsStream("/io/capsa/spec/default-config.json")) {
            Files.write(file, in.readAllBytes());
        }
        return Exit.OK;
    }
}
