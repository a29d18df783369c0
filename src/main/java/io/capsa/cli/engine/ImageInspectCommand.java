package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.image.Digest;
import io.capsa.image.ImageConfig;
import io.capsa.image.ImageInfo;
import io.capsa.image.store.ImageRecord;
import io.capsa.spec.Json;
import io.capsa.template.Template;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * docker image inspect: each image as docker's JSON shows it (fields in docker's order), in an array indented
 * by four spaces, or each through -f's template. The top-level "capsa inspect" is this too until there are
 * containers to inspect.
 */
final class ImageInspectCommand extends AliasedCommand {
    ImageInspectCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("Display detailed information on one or more images", "IMAGE [IMAGE...]",
                Flag.ofText("-f, --format", "TEMPLATE", "Format the output using the given Go template, or json"));
    }

    @Override
    public int run(Globals globals, Args args) {
        List<String> wanted = args.argsFrom(0);
        if (wanted.isEmpty()) throw new UsageException("\"capsa " + name() + "\" requires at least 1 argument");
        String format = args.value("--format");
        Template template = format == null || format.equals("json") ? null : Listing.parse(format);
        LocalImages local = new LocalImages(globals);
        List<Object> all = new ArrayList<>();
        for (String name : wanted) all.add(describe(local, local.find(name)));
        if (template == null) return Main.print(Json.prettyAsDocker(all) + "\n");
        StringBuilder out = new StringBuilder();
        for (Object image : all) {
            template.execute(image, out);
            out.append('\n');
        }
        return Main.print(out.toString());
    }

    static Map<String, Object> describe(LocalImages local, ImageRecord record) {
        ImageInfo info = local.info(record);
        ImageConfig c = info.config();
        List<String> tags = new ArrayList<>(), digests = new ArrayList<>();
        for (ImageRecord r : local.sameImage(record)) (LocalImages.byDigest(r) ? digests : tags).add(LocalImages.familiar(r.name()));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("User", c.user());
        if (!c.exposedPorts().isEmpty()) config.put("ExposedPorts", emptyObjects(c.exposedPorts()));
        config.put("Env", orNull(c.env()));
        config.put("Cmd", orNull(c.cmd()));
        config.put("Volumes", c.volumes().isEmpty() ? null : emptyObjects(c.volumes()));
        config.put("WorkingDir", c.workingDir());
        config.put("Entrypoint", orNull(c.entrypoint()));
        config.put("Labels", c.labels().isEmpty() ? null : new TreeMap<>(c.labels()));
        if (!c.stopSignal().isEmpty()) config.put("StopSignal", c.stopSignal());
        List<String> layers = new ArrayList<>();
        for (Digest d : c.diffIds()) layers.add(d.toString());
        Map<String, Object> image = new LinkedHashMap<>();
        image.put("Id", local.id(record).toString());
        image.put("RepoTags", tags);
        image.put("RepoDigests", digests);
        image.put("Parent", "");
        image.put("Comment", "");
        image.put("Created", c.created().isEmpty() ? "0001-01-01T00:00:00Z" : c.created());
        image.put("Config", config);
        image.put("Architecture", c.architecture());
        if (!c.variant().isEmpty()) image.put("Variant", c.variant());
        image.put("Os", c.os());
        image.put("Size", local.size(record));
        Map<String, Object> rootfs = new LinkedHashMap<>();
        rootfs.put("Type", "layers");
        rootfs.put("Layers", layers);
        image.put("RootFS", rootfs);
        image.put("Metadata", Map.of("LastTagTime", rfc3339Nano(Instant.ofEpochMilli(record.created()))));
        return image;
    }

    /** As Go's RFC3339Nano prints a time: the fraction without its trailing zeros ("...:10.2Z"). */
    private static String rfc3339Nano(Instant time) {
        String text = time.toString();
        if (text.indexOf('.') < 0) return text;
        int end = text.length() - 1; // before the Z
        while (text.charAt(end - 1) == '0') end--;
        if (text.charAt(end - 1) == '.') end--;
        return text.substring(0, end) + "Z";
    }

    private static Object orNull(List<String> list) {
        return list.isEmpty() ? null : list;
    }

    /** Docker's sets ({"80/tcp": {}}). */
    private static Map<String, Object> emptyObjects(List<String> keys) {
        Map<String, Object> map = new TreeMap<>();
        for (String k : keys) map.put(k, Map.of());
        return map;
    }
}
