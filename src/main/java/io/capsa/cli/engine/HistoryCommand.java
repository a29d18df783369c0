package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.image.Digest;
import io.capsa.image.ImageInfo;
import io.capsa.image.store.ImageRecord;
import io.capsa.spec.Json;
import io.capsa.spec.Node;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * docker history: the configuration's history, newest first; a step that made a layer shows the layer's size,
 * the newest step the image ID and the others "&lt;missing&gt;", as docker shows an image it pulled.
 */
final class HistoryCommand implements Command {
    private static final String TABLE = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    private static final Map<String, String> TITLES = Map.of("ID", "IMAGE", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT",
            "CreatedBy", "CREATED BY", "Size", "SIZE", "Comment", "COMMENT");
    private static final int CREATED_BY_WIDTH = 45;

    @Override
    public String names() {
        return "history";
    }

    @Override
    public Usage usage() {
        return new Usage("Show the history of an image", "IMAGE",
                Flag.ofBoolean("-q, --quiet", "Only show image IDs"),
                Flag.ofBoolean("--no-trunc", "Don't truncate output"),
                Flag.ofText("--format", "FORMAT", "table, table TEMPLATE, json or a Go template"));
    }

    @Override
    public int run(Globals globals, Args args) {
        if (args.argsFrom(0).size() != 1) throw new UsageException("\"capsa history\" requires exactly 1 argument");
        boolean noTrunc = args.flag("--no-trunc");
        Listing listing = new Listing(args.flag("--quiet") ? "{{.ID}}" : args.value("--format"), TABLE);
        LocalImages local = new LocalImages(globals);
        ImageRecord record = local.find(args.arg(0));
        ImageInfo info = local.info(record);
        Digest id = local.id(record);
        Node config = Json.parse(new String(local.store.blobs().read(id), StandardCharsets.UTF_8), "config " + id);
        List<Node> steps = config.get("history").list();
        List<Map<String, Object>> rows = new ArrayList<>();
        int layer = 0;
        for (Node step : steps) {
            boolean empty = step.get("empty_layer").bool(false) || layer >= info.layers().size();
            long size = empty ? 0 : local.size(info.layers().get(layer++));
            String created = step.get("created").string("");
            Instant when = created.isEmpty() ? Instant.EPOCH : Instant.parse(created);
            String by = step.get("created_by").string("").replace('\t', ' ');
            Map<String, Object> row = new TreeMap<>();
            row.put("ID", "<missing>");
            row.put("CreatedAt", when.toString());
            row.put("CreatedSince", LocalImages.since(when));
            row.put("CreatedBy", noTrunc ? by : ellipsis(by));
            row.put("Size", Units.humanSize(size));
            row.put("Comment", step.get("comment").string(""));
            rows.addFirst(row);
        }
        if (!rows.isEmpty()) rows.getFirst().put("ID", noTrunc ? id.toString() : id.hex().substring(0, 12));
        return Main.print(listing.render(TITLES, rows));
    }

    /** docker's stringutils.Ellipsis: at most 45 characters, the last an ellipsis when cut. */
    private static String ellipsis(String text) {
        int[] chars = text.codePoints().toArray();
        return chars.length <= CREATED_BY_WIDTH ? text : new String(chars, 0, CREATED_BY_WIDTH - 1) + "…";
    }
}
