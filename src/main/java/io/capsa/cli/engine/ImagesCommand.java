package io.capsa.cli.engine;

import io.capsa.cli.Args;
import io.capsa.cli.Flag;
import io.capsa.cli.Usage;
import io.capsa.cli.UsageException;
import io.capsa.image.Digest;
import io.capsa.image.reference.Reference;
import io.capsa.image.store.ImageRecord;
import io.capsa.spec.Quoted;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** docker images / docker image ls: a row per tag, and one per repository of an image known only by digest. */
final class ImagesCommand extends AliasedCommand {
    private static final String TABLE = "table {{.Repository}}\t{{.Tag}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    private static final String TABLE_DIGESTS = "table {{.Repository}}\t{{.Tag}}\t{{.Digest}}\t{{.ID}}\t{{.CreatedSince}}\t{{.Size}}";
    private static final Map<String, String> TITLES = Map.of("Repository", "REPOSITORY", "Tag", "TAG", "ID", "IMAGE ID",
            "CreatedSince", "CREATED", "CreatedAt", "CREATED AT", "Size", "SIZE", "VirtualSize", "SIZE",
            "Digest", "DIGEST", "Containers", "CONTAINERS", "SharedSize", "SHARED SIZE");
    /** Go's time.Time.String() without the fraction, as docker prints CreatedAt. */
    private static final String NONE = "<none>";

    ImagesCommand(String names) {
        super(names);
    }

    @Override
    public Usage usage() {
        return new Usage("List images", "[REPOSITORY[:TAG]]",
                Flag.ofBoolean("-a, --all", "Show all images (there are no intermediate images to hide)"),
                Flag.ofBoolean("-q, --quiet", "Only show image IDs"),
                Flag.ofBoolean("--digests", "Show digests"),
                Flag.ofBoolean("--no-trunc", "Don't truncate output"),
                Flag.ofText("-f, --filter", "FILTER", "reference=, dangling=true|false, label=KEY[=VALUE], before=IMAGE, since=IMAGE").repeatable(),
                Flag.ofText("--format", "FORMAT", "table, table TEMPLATE, json or a Go template"));
    }

    /** One row and what the filters look at. */
    private record Row(String repository, String tag, Instant created, Map<String, String> labels,
                       Map<String, Object> fields) {}

    @Override
    public int run(Globals globals, Args args) {
        if (args.argsFrom(0).size() > 1) throw new UsageException("\"capsa " + name() + "\" requires at most 1 argument");
        boolean noTrunc = args.flag("--no-trunc");
        Listing listing = new Listing(args.flag("--quiet") ? "{{.ID}}" : args.value("--format"), args.flag("--digests") ? TABLE_DIGESTS : TABLE);
        List<String> filters = new ArrayList<>(args.values("--filter"));
        if (!args.argsFrom(0).isEmpty()) filters.add("reference=" + args.arg(0));
        for (String filter : filters) check(filter);
        LocalImages local = new LocalImages(globals);
        List<Row> rows = rows(local, noTrunc);
        for (String filter : filters) rows = filter(local, rows, filter);
        rows.sort(Comparator.comparing(Row::created).reversed());
        List<Map<String, Object>> fields = new ArrayList<>();
        for (Row r : rows) fields.add(r.fields());
        return Main.print(listing.render(TITLES, fields));
    }

    private static List<Row> rows(LocalImages local, boolean noTrunc) {
        List<ImageRecord> records = local.images.list();
        List<Row> rows = new ArrayList<>();
        for (ImageRecord r : records) {
            Reference ref = Reference.parse(r.name());
            if (LocalImages.byDigest(r) && tagged(records, r)) continue; // the tags' rows show its digest
            rows.add(row(local, r, ref, digestOf(records, r, ref), noTrunc));
        }
        return rows;
    }

    private static boolean tagged(List<ImageRecord> records, ImageRecord record) {
        for (ImageRecord r : records) if (r.target().equals(record.target()) && !LocalImages.byDigest(r)) return true;
        return false;
    }

    /** The digest a row shows: the image's, when the repository knows it by digest (a pull does). */
    private static String digestOf(List<ImageRecord> records, ImageRecord record, Reference ref) {
        String byDigest = ref.repository() + "@" + record.target();
        for (ImageRecord r : records) if (r.name().equals(byDigest)) return record.target().toString();
        return NONE;
    }

    private static Row row(LocalImages local, ImageRecord r, Reference ref, String digest, boolean noTrunc) {
        Digest id = local.id(r);
        Instant created = local.created(r);
        String size = Units.humanSize(local.size(r));
        String repository = ref.familiarRepository();
        String tag = ref.tag() == null || LocalImages.byDigest(r) ? NONE : ref.tag();
        Map<String, Object> f = new TreeMap<>(); // docker's {{json .}} of a row: keys sorted
        f.put("Containers", "N/A");
        f.put("CreatedAt", Listing.createdAt(created));
        f.put("CreatedSince", LocalImages.since(created));
        f.put("Digest", digest);
        f.put("ID", noTrunc ? id.toString() : id.hex().substring(0, 12));
        f.put("Repository", repository);
        f.put("SharedSize", "N/A");
        f.put("Size", size);
        f.put("Tag", tag);
        f.put("UniqueSize", "N/A");
        f.put("VirtualSize", size);
        return new Row(repository, tag, created, local.info(r).config().labels(), f);
    }

    /** Refuses a filter docker would, before anything is read. */
    private static void check(String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) throw new UsageException("bad format of filter (expected name=value): " + Quoted.of(filter));
        String key = filter.substring(0, eq), value = filter.substring(eq + 1);
        switch (key) {
            case "dangling" -> {
                if (!value.equals("true") && !value.equals("false")) throw new UsageException("invalid filter 'dangling=" + value + "'");
            }
            case "reference", "label", "before", "since" -> {}
            default -> throw new UsageException("invalid filter " + Quoted.of(key));
        }
    }

    private static List<Row> filter(LocalImages local, List<Row> rows, String filter) {
        int eq = filter.indexOf('=');
        String key = filter.substring(0, eq), value = filter.substring(eq + 1);
        List<Row> kept = new ArrayList<>();
        switch (key) {
            case "dangling" -> {
                for (Row r : rows) if (r.tag().equals(NONE) == value.equals("true")) kept.add(r);
            }
            case "reference" -> {
                var matcher = FileSystems.getDefault().getPathMatcher("glob:" + value);
                for (Row r : rows) {
                    if (matcher.matches(Path.of(r.repository())) || matcher.matches(Path.of(r.repository() + ":" + r.tag()))) kept.add(r);
                }
            }
            case "label" -> {
                int leq = value.indexOf('=');
                for (Row r : rows) {
                    String label = r.labels().get(leq < 0 ? value : value.substring(0, leq));
                    if (label != null && (leq < 0 || label.equals(value.substring(leq + 1)))) kept.add(r);
                }
            }
            case "before", "since" -> {
                Instant pivot = local.created(local.find(value));
                for (Row r : rows) if (key.equals("before") ? r.created().isBefore(pivot) : r.created().isAfter(pivot)) kept.add(r);
            }
            default -> throw new IllegalStateException("unchecked filter " + key);
        }
        return kept;
    }
}
