package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Exit;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.engine.Engine;
import io.capsa.engine.files.ContainerFiles;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.nio.file.Path;

/**
 * docker cp: between a container and the host, one side written CONTAINER:PATH, the other a host path or
 * "-" for a tar stream on stdin or stdout. A host path with a ':' is told apart by starting with / or . ,
 * as Docker tells it.
 */
final class CpCommand implements Command {
    @Override
    public String names() {
        return "cp";
    }

    @Override
    public Usage usage() {
        return new Usage("Copy files/folders between a container and the local filesystem",
                "CONTAINER:SRC_PATH|SRC_PATH|- DEST_PATH|-|CONTAINER:DEST_PATH",
                Flag.ofBoolean("-a, --archive", "Archive mode (copy all uid/gid information)"),
                Flag.ofBoolean("-L, --follow-link", "Always follow symbol link in SRC_PATH"));
    }

    @Override
    public int run(Globals globals, Args args) throws Exception {
        String src = args.arg(0), dest = args.arg(1);
        int srcColon = containerColon(src), destColon = containerColon(dest);
        if (srcColon > 0 && destColon > 0) throw new UsageException("copying between containers is not supported");
        if (srcColon < 0 && destColon < 0) throw new UsageException("must specify at least one container source (CONTAINER:PATH)");
        ContainerFiles.CopyOptions options = new ContainerFiles.CopyOptions(args.flag("--archive"), args.flag("--follow-link"));
        Engine engine = globals.engine();
        ContainerFiles files = new ContainerFiles(engine);
        if (srcColon > 0) {
            var record = engine.find(src.substring(0, srcColon));
            String path = src.substring(srcColon + 1);
            if (!dest.equals("-")) {
                files.copyOut(record, path, Path.of(dest), options);
                return Exit.OK;
            }
            OutputStream out = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
            files.copyOut(record, path, out, options);
            out.flush();
            return Exit.OK;
        }
        var record = engine.find(dest.substring(0, destColon));
        String path = dest.substring(destColon + 1);
        if (src.equals("-")) files.copyIn(System.in, record, path, options);
        else files.copyIn(Path.of(src), record, path, options);
        return Exit.OK;
    }

    /** Where CONTAINER ends in CONTAINER:PATH; -1 for a host path; refused for ":PATH" (no container). */
    private static int containerColon(String arg) {
        if (arg.startsWith("/") || arg.startsWith(".")) return -1;
        int colon = arg.indexOf(':');
        if (colon == 0) throw new UsageException("no container named before ':' in " + arg);
        return colon;
    }
}
