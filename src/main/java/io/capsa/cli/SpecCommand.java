package io.capsa.cli;

import io.capsa.runtime.CapsaException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** As `runc spec`: writes a default config.json into the bundle. */
@Command(name = "spec", description = "Write a default config.json.")
final class SpecCommand implements Callable<Integer> {
    @Option(names = {"--bundle", "-b"}, defaultValue = ".", description = "Where to write config.json.") Path bundle;

    @Override
    public Integer call() throws IOException {
        Path file = bundle.resolve("config.json");
        if (Files.exists(file)) throw new CapsaException("File " + file + " exists. Remove it first");
        if (!Files.isDirectory(bundle)) throw new CapsaException("bundle " + bundle + " is not a directory");
        try (InputStream in = SpecCommand.class.getResourceAsStream("/io/capsa/spec/default-config.json")) {
            Files.write(file, in.readAllBytes());
        }
        return Exit.OK;
    }
}
